import type { CrossplaneFieldConflict } from '@platformops/plugin-crossplane-common';

/** A manager as the API server prints it: quoted, then where it wrote. */
const MANAGER =
  /conflicts? with ("(?:[^"\\]|\\.)*")(?: with subresource "(?:[^"\\]|\\.)*")?(?: using \S+(?: at \S+)?)?:?/;

function managerOf(text: string): string | undefined {
  const match = MANAGER.exec(text);
  if (!match) return undefined;
  try {
    return JSON.parse(match[1]) as string;
  } catch {
    return match[1].slice(1, -1);
  }
}

/** `.spec.parameters.size` is `spec.parameters.size`. */
function fieldOf(path: string): string {
  return path.startsWith('.') ? path.slice(1) : path;
}

/**
 * The fields a server-side apply would take from other field managers, as
 * the API server's 409 answer (a `Status`, or its message) names them:
 * `details.causes` of type `FieldManagerConflict` where the answer has
 * them, else the lines of its message (`Apply failed with 1 conflict:
 * conflict with "kubectl" using v1: .spec.size`). Empty for any other
 * answer.
 *
 * @public
 */
export function fieldConflictsOf(status: unknown): CrossplaneFieldConflict[] {
  if (!status || typeof status !== 'object') return [];
  const { message, details } = status as {
    message?: unknown;
    details?: { causes?: unknown };
  };
  const causes = Array.isArray(details?.causes) ? details!.causes : [];
  const fromCauses = causes.flatMap(cause => {
    const {
      reason,
      type,
      message: text,
      field,
    } = (cause ?? {}) as Record<string, unknown>;
    if ((reason ?? type) !== 'FieldManagerConflict') return [];
    if (typeof field !== 'string' || typeof text !== 'string') return [];
    const manager = managerOf(text);
    return manager === undefined ? [] : [{ field: fieldOf(field), manager }];
  });
  if (fromCauses.length > 0 || typeof message !== 'string') return fromCauses;
  return conflictsOfMessage(message);
}

function conflictsOfMessage(message: string): CrossplaneFieldConflict[] {
  if (!/Apply failed with \d+ conflicts?:/.test(message)) return [];
  const conflicts: CrossplaneFieldConflict[] = [];
  let manager: string | undefined;
  for (const line of message.split('\n')) {
    const list = /^- (\S+)$/.exec(line.trim());
    if (list && manager !== undefined) {
      conflicts.push({ field: fieldOf(list[1]), manager });
      continue;
    }
    const found = managerOf(line);
    if (found === undefined) continue;
    manager = found;
    // One conflict: `conflict with "m": .spec.x` on the same line.
    const single = /^conflict with .*: (\.\S+)$/.exec(
      line.slice(line.indexOf('conflict with')),
    );
    if (single) conflicts.push({ field: fieldOf(single[1]), manager });
  }
  return conflicts;
}
