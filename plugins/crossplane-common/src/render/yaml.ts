import { stringify } from 'yaml';

/**
 * Deterministic YAML for a manifest: block style, no line folding, and
 * YAML 1.1 quoting, so that strings like `yes`, `on` or `2025-01-01` stay
 * strings for Kubernetes' (YAML 1.1) parser. Key order is the object's.
 *
 * @public
 */
export function toYaml(value: unknown): string {
  return stringify(value, {
    version: '1.1',
    lineWidth: 0,
    minContentWidth: 0,
    indentSeq: true,
    aliasDuplicateObjects: false,
  });
}
