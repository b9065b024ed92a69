import { CodeSnippet, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { crossplaneApiRef } from '../../api/CrossplaneApi';
import { CrossplaneCreatePreview } from '../../api/types';
import { messageOf } from '../shared/messageOf';
import { createPreviewRequest } from './createPreviewRequest';

/** How long the form must rest before it is rendered and dry-run again. */
export const PREVIEW_DEBOUNCE_MS = 500;

/** `ui:options` of the field: the XRD the template creates a resource of. */
export interface ManifestPreviewUiOptions {
  xrd?: string;
}

/**
 * The manifest a generated form creates and the API server's dry run of
 * it, for the form's "Review" step: rendered by the backend from the whole
 * form's data (the same render as the template's), again whenever the
 * form has rested for a moment. It collects no value.
 */
export function ManifestPreviewField(
  props: FieldExtensionComponentProps<string, ManifestPreviewUiOptions>,
) {
  const xrd = props.uiSchema?.['ui:options']?.xrd;
  const formData = props.formContext?.formData;
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 8 }}>
      <Typography variant="h6">{props.schema?.title ?? 'Manifest'}</Typography>
      <ManifestPreview xrd={xrd} formData={formData} />
    </Box>
  );
}

/** The preview of a form's data; see {@link ManifestPreviewField}. */
export function ManifestPreview(props: {
  xrd?: string;
  formData?: unknown;
  debounceMs?: number;
}) {
  const api = useApi(crossplaneApiRef);
  const request = createPreviewRequest(props.xrd, props.formData);
  const key = request ? JSON.stringify(request) : '';
  // The first request goes at once; later ones once typing has paused.
  const [settled, setSettled] = useState(key);
  useDebounce(() => setSettled(key), props.debounceMs ?? PREVIEW_DEBOUNCE_MS, [
    key,
  ]);
  const preview = useAsync(
    async () => (settled ? api.previewCreate(JSON.parse(settled)) : undefined),
    [api, settled],
  );

  if (!request) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="manifest-preview-hint"
      >
        The manifest and the cluster's dry run show here once the form has a
        name and a cluster.
      </Typography>
    );
  }
  if (key !== settled || preview.loading) return <Progress />;
  if (preview.error) {
    return (
      <Alert severity="error" data-testid="manifest-preview-error">
        No manifest: {messageOf(preview.error)}
      </Alert>
    );
  }
  return preview.value ? <PreviewView preview={preview.value} /> : null;
}

function PreviewView(props: { preview: CrossplaneCreatePreview }) {
  const { manifest, validation } = props.preview;
  return (
    <>
      <Box data-testid="manifest-preview-manifest">
        <CodeSnippet text={manifest} language="yaml" showCopyCodeButton />
      </Box>
      <Alert
        severity={validation.ok ? 'success' : 'error'}
        data-testid="manifest-preview-validation"
      >
        {validation.ok
          ? 'The API server accepts it (server-side dry run). Nothing is created before "Create".'
          : `The API server refuses it: ${
              validation.message ?? 'no reason given'
            }`}
      </Alert>
    </>
  );
}
