import { qualifiedNameProblem } from '../model/names';

/**
 * One requirement of an equality-based Kubernetes label selector.
 *
 * @public
 */
export type LabelRequirement =
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'exists' | '!exists' };

/**
 * Parses `key=value,key!=value,key,!key` (the equality-based selectors that
 * kubectl accepts). Set-based selectors (`in`, `notin`) are refused with a
 * message that says so.
 *
 * @public
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const requirements: LabelRequirement[] = [];
  for (const raw of selector.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    if (/\s(in|notin)\s*\(/.test(part)) {
      throw new Error(
        `set-based requirement "${part}" is not supported; use key=value, key!=value, key or !key`,
      );
    }
    const match = /^(!?)([^=!]+?)\s*(?:(==|=|!=)\s*(.*))?$/.exec(part);
    const key = match?.[2]?.trim();
    if (!match || !key || qualifiedNameProblem(key)) {
      throw new Error(
        `"${part}" is not a valid requirement; use key=value, key!=value, key or !key`,
      );
    }
    if (match[3]) {
      if (match[1]) throw new Error(`"${part}" is not a valid requirement`);
      requirements.push({
        key,
        op: match[3] === '!=' ? '!=' : '=',
        value: match[4].trim(),
      });
    } else {
      requirements.push({ key, op: match[1] ? '!exists' : 'exists' });
    }
  }
  return requirements;
}

/**
 * True when the labels satisfy every requirement.
 *
 * @public
 */
export function matchesLabelSelector(
  labels: Record<string, string> | undefined,
  requirements: LabelRequirement[],
): boolean {
  return requirements.every(r => {
    const value = labels?.[r.key];
    switch (r.op) {
      case '=':
        return value === r.value;
      case '!=':
        return value !== r.value;
      case 'exists':
        return value !== undefined;
      default:
        return value === undefined;
    }
  });
}
