import { explainSignal } from '@platformops/plugin-crossplane-common';
import { EntityRollup } from '../../api/types';

/**
 * The sentence that explains a roll-up's health: the server's message,
 * which names the cause, or one made from the deciding signal.
 */
export function causeText(
  rollup: Pick<EntityRollup, 'health' | 'cause'>,
): string | undefined {
  const { health, cause } = rollup;
  return health.message ?? (cause ? explainSignal(cause) : undefined);
}

/** `lastFailure` → `last failure`: a detail's key as words. */
export function detailLabel(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
}
