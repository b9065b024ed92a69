import { Condition } from '@platformops/plugin-crossplane-common';

/** `Ready=False (Creating: Unready resources: server), Synced=True`. */
export function describeConditions(conditions: Condition[]): string {
  return conditions
    .map(
      c =>
        `${c.type}=${c.status}${
          c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''
        }`,
    )
    .join(', ');
}
