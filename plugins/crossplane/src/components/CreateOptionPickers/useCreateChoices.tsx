import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import type { CreateOptionPickerUiOptions } from '@platformops/plugin-crossplane-common';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import { CrossplaneApi, crossplaneApiRef } from '../../api/CrossplaneApi';
import { messageOf } from '../shared/messageOf';
import { pickerTarget } from './pickerTarget';

type PickerProps = FieldExtensionComponentProps<
  string,
  CreateOptionPickerUiOptions
>;
type Target = { cluster: string; xrd: string };

/**
 * What a create-option picker offers: its cluster and XRD (see
 * {@link pickerTarget}) and the choices `load` reads for them, read again
 * when either changes.
 */
export function useCreateChoices<T>(
  props: PickerProps,
  load: (api: CrossplaneApi, target: Target) => Promise<T>,
) {
  const api = useApi(crossplaneApiRef);
  const target = pickerTarget(
    props.uiSchema?.['ui:options'],
    props.formContext?.formData,
  );
  const choices = useAsync(
    async () => (target ? load(api, target) : undefined),
    [api, target?.cluster, target?.xrd],
  );
  return { target, choices };
}

/** Why a picker's choices could not be read. */
export function ChoicesError(props: {
  testId: string;
  title: string;
  what: string;
  cluster: string;
  error: unknown;
}) {
  return (
    <Alert severity="error" data-testid={props.testId}>
      {props.title}: the {props.what} of cluster {props.cluster} could not be
      read: {messageOf(props.error)}
    </Alert>
  );
}
