import { Progress } from '@backstage/core-components';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import type { CreateOptionPickerUiOptions } from '@platformops/plugin-crossplane-common';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useEffect } from 'react';
import { ChoicesError, useCreateChoices } from './useCreateChoices';

/**
 * The namespace of a generated form: a choice among the namespaces of the
 * cluster where the user may create the XRD's claim or XR (the namespace
 * policy and their create permission, as the backend judges them), read
 * live; it says so when there is none.
 */
export function CrossplaneNamespacePicker(
  props: FieldExtensionComponentProps<string, CreateOptionPickerUiOptions>,
) {
  const { onChange, formData, required, rawErrors, schema, idSchema } = props;
  const { target, choices } = useCreateChoices(props, (api, at) =>
    api.getNamespaceChoices(at),
  );
  const items = choices.value?.items;

  // The only choice is made for the user; a value no longer offered
  // (another cluster chosen) is cleared.
  useEffect(() => {
    if (!items) return;
    if (items.length === 1 && !formData) onChange(items[0]);
    else if (formData && !items.includes(formData)) onChange(undefined as any);
  }, [items, formData, onChange]);

  const title = schema?.title ?? 'Namespace';
  if (!target) {
    return (
      <Alert severity="info" data-testid="namespace-picker-unset">
        {title}: the form names no XRD and cluster to offer namespaces of.
      </Alert>
    );
  }
  if (choices.loading) return <Progress />;
  if (choices.error) {
    return (
      <ChoicesError
        testId="namespace-picker-error"
        title={title}
        what="namespaces"
        cluster={target.cluster}
        error={choices.error}
      />
    );
  }
  if (!items || items.length === 0) {
    return (
      <Alert severity="warning" data-testid="namespace-picker-empty">
        You may create {choices.value?.kind ?? target.xrd} in no namespace of
        cluster {target.cluster}: your permissions and the portal's namespace
        policy allow none. Ask the platform team for access, or choose another
        cluster.
      </Alert>
    );
  }
  return (
    <TextField
      id={idSchema?.$id}
      select
      fullWidth
      margin="normal"
      label={title}
      required={required}
      value={formData ?? ''}
      onChange={e => onChange(e.target.value as string)}
      error={(rawErrors?.length ?? 0) > 0 && !formData}
      helperText={
        schema?.description ??
        `Namespaces of cluster ${target.cluster} where you may create it.`
      }
      inputProps={{ 'data-testid': 'namespace-picker' }}
    >
      {items.map(namespace => (
        <MenuItem key={namespace} value={namespace}>
          {namespace}
        </MenuItem>
      ))}
    </TextField>
  );
}
