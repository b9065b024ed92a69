import { Progress } from '@backstage/core-components';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import type { CreateOptionPickerUiOptions } from '@platformops/plugin-crossplane-common';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useEffect } from 'react';
import { CrossplaneCompositionChoice } from '../../api/types';
import { ChoicesError, useCreateChoices } from './useCreateChoices';

/** The value of "no choice": the XRD's default, or Crossplane's pick. */
const NONE = '';

function labelOf(choice: CrossplaneCompositionChoice): string {
  const labels = Object.entries(choice.labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  return `${choice.name}${choice.default ? ' (default)' : ''}${
    labels ? ` · ${labels}` : ''
  }`;
}

/**
 * The Composition of a generated form: a choice among the Compositions of
 * the XRD's composite type, read live (the backend checks the choice again
 * when it renders); empty keeps the XRD's default. Shown only where there
 * is a choice, or to say that the XRD enforces one or has none.
 */
export function CrossplaneCompositionPicker(
  props: FieldExtensionComponentProps<string, CreateOptionPickerUiOptions>,
) {
  const { onChange, formData, schema, idSchema } = props;
  const { target, choices } = useCreateChoices(props, (api, at) =>
    api.getCompositionChoices(at),
  );
  const title = schema?.title ?? 'Composition';
  const items = choices.value?.items;

  // A Composition the chosen cluster does not offer is cleared.
  useEffect(() => {
    if (items && formData && !items.some(c => c.name === formData)) {
      onChange(undefined as any);
    }
  }, [items, formData, onChange]);

  if (!target) return null;
  if (choices.loading) return <Progress />;
  if (choices.error) {
    return (
      <ChoicesError
        testId="composition-picker-error"
        title={title}
        what="Compositions"
        cluster={target.cluster}
        error={choices.error}
      />
    );
  }
  if (!items || items.length === 0) {
    return (
      <Alert severity="warning" data-testid="composition-picker-empty">
        Cluster {target.cluster} has no Composition for {target.xrd}: what you
        create there stays unready until the platform team adds one.
      </Alert>
    );
  }
  // One Composition and free to choose: nothing to choose.
  if (items.length === 1 && !choices.value?.enforced) return null;
  const fallback = items.find(c => c.default);
  return (
    <TextField
      id={idSchema?.$id}
      select
      fullWidth
      margin="normal"
      label={title}
      value={formData ?? NONE}
      disabled={Boolean(choices.value?.enforced)}
      onChange={e => onChange((e.target.value as string) || (undefined as any))}
      helperText={
        choices.value?.enforced
          ? `${target.xrd} always uses ${choices.value.enforced}.`
          : schema?.description
      }
      inputProps={{ 'data-testid': 'composition-picker' }}
    >
      <MenuItem value={NONE}>
        {fallback ? `Default (${fallback.name})` : 'Chosen by Crossplane'}
      </MenuItem>
      {items.map(choice => (
        <MenuItem key={choice.name} value={choice.name}>
          {labelOf(choice)}
        </MenuItem>
      ))}
    </TextField>
  );
}
