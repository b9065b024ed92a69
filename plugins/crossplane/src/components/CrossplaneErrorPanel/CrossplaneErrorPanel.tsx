import { ResponseErrorPanel, WarningPanel } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';

/**
 * Whether an error is the backend denying a permission (HTTP 403).
 *
 * @public
 */
export function isNotAllowedError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as Partial<ResponseError> & { name?: string };
  return (
    e.statusCode === 403 ||
    e.response?.status === 403 ||
    e.body?.error?.name === 'NotAllowedError' ||
    e.name === 'NotAllowedError'
  );
}

/**
 * Shows a failed backend call: a "not allowed" notice when a permission was
 * denied, otherwise Backstage's ResponseErrorPanel.
 *
 * @public
 */
export function CrossplaneErrorPanel(props: { error: Error; title?: string }) {
  const { error, title } = props;
  if (isNotAllowedError(error)) {
    return (
      <WarningPanel
        severity="info"
        title="You are not allowed to see this"
        message="Your Backstage permissions do not allow reading this Crossplane data. Ask the portal's administrators for access."
      />
    );
  }
  return <ResponseErrorPanel error={error} title={title} />;
}
