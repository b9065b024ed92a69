import { hasOwn, isRecord, setOwn } from '../model/util';

/**
 * Puts back the live values of what came back from a redacted view
 * unchanged: wherever `edited` holds, as a string, exactly what the
 * redacted copy showed at the same path and the live value differs, the
 * live value is kept. So an edit form prefilled from a redacted object
 * never writes `<redacted>` over a secret it did not show; a value the
 * user changed is taken as written.
 *
 * @public
 */
export function restoreRedacted(
  edited: unknown,
  live: unknown,
  redacted: unknown,
): unknown {
  if (typeof edited === 'string') {
    return edited === redacted && live !== redacted ? live : edited;
  }
  if (Array.isArray(edited)) {
    return edited.map((item, i) =>
      Array.isArray(live) && Array.isArray(redacted)
        ? restoreRedacted(item, live[i], redacted[i])
        : item,
    );
  }
  if (isRecord(edited)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(edited)) {
      const same = isRecord(live) && isRecord(redacted) && hasOwn(live, key);
      setOwn(
        out,
        key,
        same
          ? restoreRedacted(edited[key], live[key], redacted[key])
          : edited[key],
      );
    }
    return out;
  }
  return edited;
}
