/*
 * The odd values the fuzz puts in place of a real one. None of them holds a
 * server path, a stack-trace line or the canary (checked at start, see
 * `assertNoFalseFindings`), so a response that contains one of those did
 * not just echo the request.
 */
import { Random } from './random';

export interface OddValue {
  label: string;
  value: string;
}

const odd = (label: string, value: string): OddValue => ({ label, value });

/** Strings any field may get. */
export const ODD_STRINGS: OddValue[] = [
  odd('empty', ''),
  odd('space', ' '),
  odd('spaces', '   '),
  odd('padded', ' team-alpha '),
  odd('__proto__', '__proto__'),
  odd('constructor', 'constructor'),
  odd('prototype', 'prototype'),
  odd('toString', 'toString'),
  odd('hasOwnProperty', 'hasOwnProperty'),
  odd('dot', '.'),
  odd('dot-dot', '..'),
  odd('../', '../'),
  odd('../../etc/passwd', '../../etc/passwd'),
  odd('..\\..\\windows', '..\\..\\windows'),
  odd('literal %2e%2e', '%2e%2e'),
  odd('literal %2e%2e%2f', '%2e%2e%2f'),
  odd('slash', '/'),
  odd('double slash', '//'),
  odd('a/b', 'a/b'),
  odd('absolute path', '/etc/platformops-fuzz'),
  odd('long 300', 'a'.repeat(300)),
  odd('long 8k', 'x'.repeat(8_000)),
  odd('long 100k', 'y'.repeat(100_000)),
  odd('dns label 64', 'a'.repeat(64)),
  odd('dns subdomain 254', 'a'.repeat(254)),
  odd('unicode accents', 'tëam-ålphä'),
  odd('unicode cjk', '数据库'),
  odd('emoji', 'db-🦄'),
  odd('full-width', 'ｔｅａｍ－ａｌｐｈａ'),
  odd('dotless i', 'ınstance'),
  odd('zero-width space', 'team\u200b-alpha'),
  odd('right-to-left override', 'db\u202eatad'),
  odd('NUL', 'a\u0000b'),
  odd('newline', 'a\nb'),
  odd('CRLF header', 'a\r\nX-Fuzz: 1'),
  odd('tab', '\t'),
  odd('escape sequence', '\u001b[31mred'),
  odd('DEL', '\u007f'),
  odd('lone surrogate', 'a\ud800b'),
  odd('null', 'null'),
  odd('undefined', 'undefined'),
  odd('true', 'true'),
  odd('zero', '0'),
  odd('minus one', '-1'),
  odd('float', '1.5'),
  odd('exponent', '1e309'),
  odd('NaN', 'NaN'),
  odd('Infinity', 'Infinity'),
  odd('huge integer', '9007199254740993'),
  odd('json object', '{"a":1}'),
  odd('json array', '[]'),
  odd('star', '*'),
  odd('percent', '%'),
  odd('question mark', '?'),
  odd('hash', '#'),
  odd('ampersand', '&'),
  odd('equals', '='),
  odd('comma list', 'a,b'),
  odd('label selector', 'app!=x'),
  odd('colon', 'a:b'),
  odd('entity ref', 'component:default/x'),
  odd('sql', "' OR 1=1 --"),
  odd('html', '<script>alert(1)</script>'),
  odd('template', '{{ 7*7 }}'),
  odd('leading dash', '-db'),
  odd('trailing dash', 'db-'),
  odd('upper', 'UPPER'),
];

/**
 * Percent-sequences sent as they are (not encoded again), so that the server
 * decodes them: `%2e%2e` arrives as `..`. `decoded` is what the server sees.
 */
export const RAW_QUERY_VALUES: { label: string; raw: string }[] = [
  { label: 'raw %2e%2e', raw: '%2e%2e' },
  { label: 'raw %2e%2e%2f', raw: '%2e%2e%2f' },
  { label: 'raw %2F', raw: '%2F' },
  { label: 'raw %00', raw: '%00' },
  { label: 'raw %0d%0a', raw: '%0d%0a' },
  { label: 'raw invalid %', raw: '%E0%A4%A' },
  { label: 'raw lone %', raw: '%' },
  { label: 'raw overlong', raw: '%c0%ae%c0%ae' },
  { label: 'raw plus', raw: 'a+b' },
];

/** Kinds that are not Crossplane objects, or not kinds at all. */
export const ODD_KINDS = [
  'NoSuchKind',
  'secret',
  'Secret',
  'Secrets',
  'SECRET',
  'ConfigMap',
  'ServiceAccount',
  'Namespace',
  'Node',
  'Pod',
  'Deployment',
  'Event',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'CompositeResourceDefinition',
  'Composition',
  'TokenReview',
  'SelfSubjectAccessReview',
  'List',
  'Status',
  'Object',
];

/** apiVersions that are wrong, foreign, or not apiVersions. */
export const ODD_API_VERSIONS = [
  ' ',
  'v1',
  'v2',
  'apps/v1',
  'a/b/c',
  '/v1',
  'v1/',
  '/',
  'core/v1',
  'apiextensions.k8s.io/v1',
  'apiextensions.crossplane.io/v1',
  'rbac.authorization.k8s.io/v1',
  'authentication.k8s.io/v1',
  'nop.crossplane.io/v1alpha1',
  'database.platformops.io',
  'database.platformops.io/',
  'database.platformops.io/v9',
  '../v1',
];

/** Spellings of a real value that are not the real value. */
export function caseVariants(value: string): string[] {
  const variants = new Set([
    value.toUpperCase(),
    value.toLowerCase(),
    value.charAt(0).toUpperCase() + value.slice(1),
    value.charAt(0).toLowerCase() + value.slice(1),
    value
      .split('')
      .map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase()))
      .join(''),
  ]);
  variants.delete(value);
  return [...variants];
}

/** The real value with one character changed, added or removed. */
export function nearMiss(value: string, random: Random): string {
  if (value.length === 0) return 'x';
  const i = random.int(value.length);
  switch (random.int(3)) {
    case 0: {
      const c = value[i] === 'x' ? 'y' : 'x';
      return value.slice(0, i) + c + value.slice(i + 1);
    }
    case 1:
      return `${value.slice(0, i)}-${value.slice(i)}`;
    default:
      return value.length > 1 ? value.slice(0, i) + value.slice(i + 1) : 'x';
  }
}
