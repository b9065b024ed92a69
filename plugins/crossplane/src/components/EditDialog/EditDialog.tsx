import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type CoreForm from '@rjsf/core';
import Form from '@rjsf/material-ui';
import validator from '@rjsf/validator-ajv8';
import { useMemo, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { crossplaneApiRef } from '../../api/CrossplaneApi';
import {
  CrossplaneEditResult,
  CrossplaneFieldOwner,
  CrossplaneObjectLocator,
} from '../../api/types';
import { CrossplaneErrorPanel } from '../CrossplaneErrorPanel';
import { GitOpsNotice } from '../shared/GitOpsNotice';
import { messageOf } from '../shared/messageOf';
import { OperationDialog } from '../shared/OperationDialog';
import { PullRequestOpened } from '../shared/PullRequestOpened';
import { DiffView } from './DiffView';
import { stepsToForm } from './stepsToForm';

/** What an edit preview or apply says, in the order a reviewer reads it. */
export function EditResultView(props: {
  result: CrossplaneEditResult;
  /** Conflicts only: whether the reviewer takes the fields over. */
  takeOver?: boolean;
  onTakeOverChange?: (takeOver: boolean) => void;
  /** The edit opens a pull request (default: PlatformOps' own objects). */
  pullRequest?: boolean;
}) {
  const { result, takeOver, onTakeOverChange } = props;
  const pullRequest =
    props.pullRequest ?? result.gitOps?.tool === 'platformops';
  // A pull request's change is applied by the GitOps tool, which owns the
  // fields: no conflicts to take over.
  const conflicts = pullRequest ? [] : result.conflicts;
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 8 }} mt={2}>
      {result.pullRequest && (
        <PullRequestOpened pullRequest={result.pullRequest} />
      )}
      {result.applied && (
        <Alert severity="success" data-testid="edit-applied">
          Applied: the change was written to the cluster.
        </Alert>
      )}
      {result.changed ? (
        <DiffView diff={result.diff} />
      ) : (
        <Typography variant="body2">No change: nothing to apply.</Typography>
      )}
      <Alert
        severity={result.validation.ok ? 'success' : 'error'}
        data-testid="edit-validation"
      >
        {result.validation.ok
          ? 'The API server accepts the change (server-side dry run).'
          : `The API server refuses the change: ${
              result.validation.message ?? 'no reason given'
            }`}
      </Alert>
      {conflicts.length > 0 && (
        <Alert severity="warning" data-testid="edit-conflicts">
          The change writes fields another manager owns; they are taken over
          only if you say so (the manager may set them back):
          <ul>
            {conflicts.map(conflict => (
              <li key={`${conflict.field} ${conflict.manager}`}>
                <code>{conflict.field}</code>: owned by {conflict.manager}
              </li>
            ))}
          </ul>
          {onTakeOverChange && !result.applied && (
            <FormControlLabel
              control={
                <Checkbox
                  checked={!!takeOver}
                  onChange={event => onTakeOverChange(event.target.checked)}
                  inputProps={{ 'aria-label': 'Take over fields' }}
                />
              }
              label="Take these fields over"
            />
          )}
        </Alert>
      )}
      {result.gitOps && (
        <GitOpsNotice
          source={result.gitOps}
          action="edited"
          pullRequest={pullRequest}
        />
      )}
    </Box>
  );
}

/** Who wrote which of the object's fields, so a conflict is no surprise. */
function FieldOwners(props: { owners: CrossplaneFieldOwner[] }) {
  if (props.owners.length === 0) return null;
  return (
    <Box mt={1} data-testid="edit-field-owners">
      <Typography variant="caption" color="textSecondary">
        Field managers:
      </Typography>
      {props.owners.map(owner => (
        <Typography
          key={`${owner.manager} ${owner.operation}`}
          variant="caption"
          color="textSecondary"
          display="block"
        >
          {owner.manager} ({owner.operation}): {owner.fields.join(', ')}
        </Typography>
      ))}
    </Box>
  );
}

/**
 * Edits a claim or XR through its XRD's form, prefilled with the live
 * values: "Preview" shows the diff, the API server's dry run and the fields
 * other managers own; "Apply" writes what was previewed. An object Git
 * delivers is never applied from here: one PlatformOps delivers gets
 * "Open pull request" instead, another tool's nothing.
 */
export function EditDialog(props: {
  locator: CrossplaneObjectLocator;
  open: boolean;
  onClose: () => void;
  /** Called after the change was applied. */
  onApplied: () => void;
  /** The edit opens a pull request (the object's capability says). */
  pullRequest?: boolean;
}) {
  const { locator, open, onClose, onApplied } = props;
  const api = useApi(crossplaneApiRef);
  const form = useAsync(
    async () => (open ? api.getEditForm(locator) : undefined),
    [api, open, JSON.stringify(locator)],
  );
  const viaPullRequest =
    props.pullRequest ?? form.value?.gitOps?.tool === 'platformops';
  const layout = useMemo(
    () => (form.value ? stepsToForm(form.value.steps) : undefined),
    [form.value],
  );
  const formRef = useRef<CoreForm>(null);
  const [values, setValues] = useState<Record<string, unknown>>();
  const [result, setResult] = useState<CrossplaneEditResult>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [takeOver, setTakeOver] = useState(false);
  const formData = values ?? form.value?.values;

  const send = async (dryRun: boolean) => {
    setBusy(true);
    setFailure(undefined);
    try {
      // Only the fields the reviewer saw as conflicts, and only if asked.
      const fields =
        !dryRun && takeOver ? result?.conflicts.map(c => c.field) : undefined;
      const sent = await api.editObject({
        ...locator,
        values: formData ?? {},
        dryRun,
        ...(fields?.length ? { takeOver: fields } : {}),
      });
      setResult(sent);
      if (sent.applied) onApplied();
    } catch (error) {
      const what = viaPullRequest ? 'Pull request' : 'Apply';
      setFailure(`${dryRun ? 'Preview' : what} failed: ${messageOf(error)}`);
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    setValues(undefined);
    setResult(undefined);
    setFailure(undefined);
    setTakeOver(false);
    onClose();
  };

  const gitOps = result?.gitOps ?? form.value?.gitOps;
  const done = !!(result?.applied || result?.pullRequest);
  // Apply writes exactly what was previewed, and only what the cluster
  // accepted; a change of the form asks for a new preview.
  const canApply =
    !!result &&
    result.dryRun &&
    result.changed &&
    result.validation.ok &&
    (result.conflicts.length === 0 || takeOver || viaPullRequest) &&
    (!gitOps || viaPullRequest) &&
    !busy;

  return (
    <OperationDialog
      name="edit"
      title={`Edit ${locator.kind} ${locator.name}`}
      open={open}
      onClose={close}
      failure={failure}
      actions={
        <>
          <Button onClick={close} aria-label="Close edit">
            {done ? 'Close' : 'Cancel'}
          </Button>
          {!done && (
            <Button
              variant="outlined"
              aria-label="Preview edit"
              disabled={!form.value || busy}
              // Submitting validates the form first; its errors show inline.
              onClick={() => formRef.current?.submit()}
            >
              Preview
            </Button>
          )}
          {(!gitOps || viaPullRequest) && !done && (
            <Button
              variant="contained"
              color="primary"
              aria-label={viaPullRequest ? 'Open pull request' : 'Apply edit'}
              disabled={!canApply}
              onClick={() => send(false)}
            >
              {viaPullRequest ? 'Open pull request' : 'Apply'}
            </Button>
          )}
        </>
      }
    >
      {form.loading && <Progress />}
      {form.error && (
        <CrossplaneErrorPanel
          error={form.error}
          title="Could not load the form"
        />
      )}
      {gitOps && !result && (
        <GitOpsNotice
          source={gitOps}
          action="edited"
          pullRequest={viaPullRequest}
        />
      )}
      {form.value && layout && (
        <Form
          schema={layout.schema}
          uiSchema={{
            ...layout.uiSchema,
            'ui:submitButtonOptions': { norender: true },
          }}
          formData={formData}
          validator={validator}
          disabled={busy || done}
          onChange={event => {
            setValues(event.formData);
            setResult(undefined);
            setTakeOver(false);
          }}
          onSubmit={() => send(true)}
          showErrorList={false}
          // The schema's own messages, inline, rather than the browser's.
          noHtml5Validate
          ref={formRef}
        />
      )}
      {form.value && <FieldOwners owners={form.value.fieldOwners} />}
      {result && (
        <EditResultView
          result={result}
          takeOver={takeOver}
          onTakeOverChange={setTakeOver}
          pullRequest={viaPullRequest}
        />
      )}
    </OperationDialog>
  );
}
