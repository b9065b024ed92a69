import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  claimLocator,
  fakeCrossplaneApi,
  renderWithApi,
} from '../../__testUtils__/testing';
import { CrossplaneEditForm, CrossplaneEditResult } from '../../api/types';
import { EditDialog } from './EditDialog';
import { stepsToForm } from './stepsToForm';

const locator = claimLocator;

const form: CrossplaneEditForm = {
  object: locator,
  steps: [
    {
      title: 'Parameters',
      required: ['storageGB'],
      properties: {
        storageGB: { type: 'integer', title: 'Storage (GB)', minimum: 10 },
      },
    },
    {
      title: 'Options',
      properties: {
        version: {
          type: 'string',
          title: 'Version',
          enum: ['15', '16'],
          'ui:help': 'PostgreSQL major version',
        },
      },
    },
  ],
  values: { storageGB: 20, version: '16' },
  fieldOwners: [
    {
      manager: 'argocd-controller',
      operation: 'Apply',
      fields: ['spec.parameters.version'],
    },
  ],
};

const diff = [
  '--- before',
  '+++ after',
  '@@ -1,2 +1,2 @@',
  ' version: "16"',
  '-storageGB: 20',
  '+storageGB: 50',
  '',
].join('\n');

function editResult(
  overrides: Partial<CrossplaneEditResult> = {},
): CrossplaneEditResult {
  return {
    object: locator,
    dryRun: true,
    before: 'storageGB: 20\n',
    after: 'storageGB: 50\n',
    diff,
    changed: true,
    validation: { ok: true },
    conflicts: [],
    applied: false,
    ...overrides,
  };
}

const button = (name: string) =>
  screen.findByRole('button', { name }) as Promise<HTMLButtonElement>;

async function renderDialog(
  api: ReturnType<typeof fakeCrossplaneApi>,
  onApplied = jest.fn(),
) {
  await renderWithApi(
    <EditDialog
      locator={locator}
      open
      onClose={jest.fn()}
      onApplied={onApplied}
    />,
    api,
  );
  return onApplied;
}

async function changeStorage(value: string) {
  const storage = await screen.findByDisplayValue('20');
  fireEvent.change(storage, { target: { value } });
}

jest.setTimeout(20_000);

describe('EditDialog', () => {
  it('previews the change as a colored diff with the conflicts, applies it once they are taken over', async () => {
    const api = fakeCrossplaneApi({
      getEditForm: async () => form,
      editObject: async request =>
        request.dryRun
          ? editResult({
              conflicts: [
                {
                  field: 'spec.parameters.version',
                  manager: 'argocd-controller',
                },
              ],
            })
          : editResult({ dryRun: false, applied: true }),
    });
    const onApplied = await renderDialog(api);

    expect(await screen.findByTestId('edit-field-owners')).toHaveTextContent(
      'argocd-controller (Apply): spec.parameters.version',
    );
    expect(
      await screen.findByText('PostgreSQL major version'),
    ).toBeInTheDocument();
    expect(await button('Apply edit')).toBeDisabled();
    await changeStorage('50');
    fireEvent.click(await button('Preview edit'));

    const diffView = await screen.findByTestId('edit-diff');
    expect(api.editObject).toHaveBeenCalledWith({
      ...locator,
      values: { storageGB: 50, version: '16' },
      dryRun: true,
    });
    expect(diffView.querySelector('[data-diff="added"]')).toHaveTextContent(
      '+storageGB: 50',
    );
    expect(diffView.querySelector('[data-diff="removed"]')).toHaveTextContent(
      '-storageGB: 20',
    );
    expect(screen.getByTestId('edit-validation')).toHaveTextContent(
      'The API server accepts the change',
    );
    expect(screen.getByTestId('edit-conflicts')).toHaveTextContent(
      'spec.parameters.version: owned by argocd-controller',
    );
    expect(onApplied).not.toHaveBeenCalled();

    // Never taken silently: Apply waits for the reviewer's say-so.
    const apply = await button('Apply edit');
    expect(apply).toBeDisabled();
    fireEvent.click(screen.getByLabelText('Take over fields'));
    expect(apply).toBeEnabled();
    fireEvent.click(apply);

    expect(await screen.findByTestId('edit-applied')).toBeInTheDocument();
    expect(api.editObject).toHaveBeenLastCalledWith({
      ...locator,
      values: { storageGB: 50, version: '16' },
      dryRun: false,
      takeOver: ['spec.parameters.version'],
    });
    expect(onApplied).toHaveBeenCalledTimes(1);
  });

  it('does not send what the form refuses', async () => {
    const api = fakeCrossplaneApi({ getEditForm: async () => form });
    await renderDialog(api);

    await changeStorage('5');
    fireEvent.click(await button('Preview edit'));

    expect(await screen.findByText(/must be >= 10/)).toBeInTheDocument();
    expect(api.editObject).not.toHaveBeenCalled();
  });

  it('offers no Apply when the API server refuses the change, or after the form changed', async () => {
    const api = fakeCrossplaneApi({
      getEditForm: async () => form,
      editObject: async () =>
        editResult({
          validation: {
            ok: false,
            message: 'spec.parameters.storageGB: Invalid value: 50: quota',
          },
        }),
    });
    await renderDialog(api);

    await changeStorage('50');
    fireEvent.click(await button('Preview edit'));
    expect(await screen.findByTestId('edit-validation')).toHaveTextContent(
      'The API server refuses the change: spec.parameters.storageGB: Invalid value: 50: quota',
    );
    expect(await button('Apply edit')).toBeDisabled();

    // A new value asks for a new preview.
    fireEvent.change(screen.getByDisplayValue('50'), {
      target: { value: '60' },
    });
    await waitFor(() =>
      expect(screen.queryByTestId('edit-diff')).not.toBeInTheDocument(),
    );
    expect(await button('Apply edit')).toBeDisabled();
  });

  it('shows that Git is the source of truth and offers no Apply', async () => {
    const gitOps = {
      tool: 'argocd' as const,
      description: 'Argo CD application payments',
    };
    const api = fakeCrossplaneApi({
      getEditForm: async () => ({ ...form, gitOps }),
      editObject: async () => editResult({ gitOps }),
    });
    await renderDialog(api);

    expect(await screen.findByTestId('gitops-notice')).toHaveTextContent(
      'Delivered through Git by Argo CD application payments: it is not edited here. The change must go through its Git repository.',
    );
    expect(screen.queryByRole('button', { name: 'Apply edit' })).toBeNull();

    await changeStorage('50');
    fireEvent.click(await button('Preview edit'));
    expect(await screen.findByTestId('edit-diff')).toBeInTheDocument();
    expect(screen.getByTestId('gitops-notice')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Apply edit' })).toBeNull();
  });
});

describe('EditDialog of an object PlatformOps delivers through Git', () => {
  it("opens a pull request instead of applying, the conflicts being the GitOps tool's", async () => {
    const gitOps = {
      tool: 'platformops' as const,
      description:
        'pull request delivery from github.com?owner=acme&repo=infra',
      repoUrl: 'github.com?owner=acme&repo=infra',
      path: 'team-a/orders-db.yaml',
    };
    const api = fakeCrossplaneApi({
      getEditForm: async () => ({ ...form, gitOps }),
      editObject: async request =>
        request.dryRun
          ? editResult({
              gitOps,
              conflicts: [
                { field: 'spec.parameters.storageGB', manager: 'argocd' },
              ],
            })
          : editResult({
              gitOps,
              dryRun: false,
              pullRequest: {
                url: 'https://github.com/acme/infra/pull/3',
                number: 3,
                branch: 'platformops/edit-orders-db',
              },
            }),
    });
    const onApplied = await renderDialog(api);

    const notice = await screen.findByTestId('gitops-notice');
    expect(notice).toHaveTextContent(
      'it is edited by a pull request on github.com?owner=acme&repo=infra (team-a/orders-db.yaml), not in the cluster.',
    );
    // Not a web address: shown, not linked.
    expect(notice.querySelector('a')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Apply edit' })).toBeNull();
    expect(await button('Open pull request')).toBeDisabled();
    await changeStorage('50');
    fireEvent.click(await button('Preview edit'));
    expect(await screen.findByTestId('edit-diff')).toBeInTheDocument();
    expect(screen.queryByTestId('edit-conflicts')).toBeNull();
    fireEvent.click(await button('Open pull request'));

    const opened = await screen.findByTestId('pull-request-opened');
    expect(opened).toHaveTextContent('Pull request #3 opened');
    expect(opened.querySelector('a')).toHaveAttribute(
      'href',
      'https://github.com/acme/infra/pull/3',
    );
    expect(api.editObject).toHaveBeenLastCalledWith({
      ...locator,
      values: { storageGB: 50, version: '16' },
      dryRun: false,
    });
    expect(
      screen.queryByRole('button', { name: 'Open pull request' }),
    ).toBeNull();
    expect(await button('Close edit')).toHaveTextContent('Close');
    expect(onApplied).not.toHaveBeenCalled();
  });
});

describe('EditDialog of an object Argo CD delivers, with a pull request to open', () => {
  it('opens a pull request when the capability says so', async () => {
    const gitOps = {
      tool: 'argocd' as const,
      description: 'Argo CD application payments',
    };
    const api = fakeCrossplaneApi({
      getEditForm: async () => ({ ...form, gitOps }),
      editObject: async request =>
        request.dryRun
          ? editResult({
              gitOps,
              conflicts: [
                { field: 'spec.parameters.storageGB', manager: 'argocd' },
              ],
            })
          : editResult({
              gitOps,
              dryRun: false,
              pullRequest: {
                url: 'https://git.example.com/acme/infra/pulls/4',
                number: 4,
                branch: 'platformops/edit-orders-db',
              },
            }),
    });
    await renderWithApi(
      <EditDialog
        locator={locator}
        open
        onClose={jest.fn()}
        onApplied={jest.fn()}
        pullRequest
      />,
      api,
    );

    expect(await screen.findByTestId('gitops-notice')).toHaveTextContent(
      'Delivered through Git by Argo CD application payments: it is edited by a pull request on its Git repository, not in the cluster.',
    );
    await changeStorage('50');
    fireEvent.click(await button('Preview edit'));
    expect(await screen.findByTestId('edit-diff')).toBeInTheDocument();
    expect(screen.queryByTestId('edit-conflicts')).toBeNull();
    fireEvent.click(await button('Open pull request'));
    expect(await screen.findByTestId('pull-request-opened')).toHaveTextContent(
      'Pull request #4 opened',
    );
  });
});

describe('stepsToForm', () => {
  it('joins the steps and moves the ui keys to the uiSchema', () => {
    expect(stepsToForm(form.steps)).toEqual({
      schema: {
        type: 'object',
        required: ['storageGB'],
        properties: {
          storageGB: { type: 'integer', title: 'Storage (GB)', minimum: 10 },
          version: { type: 'string', title: 'Version', enum: ['15', '16'] },
        },
      },
      uiSchema: { version: { 'ui:help': 'PostgreSQL major version' } },
    });
  });
});
