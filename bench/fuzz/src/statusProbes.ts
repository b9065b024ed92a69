/*
 * Requests to the status routes (`/api/crossplane/...`): a real object (or a
 * real filter value) with one field, sometimes two, made bad: missing,
 * duplicated, array- or object-valued, replaced by an odd value, another
 * spelling of the real value, a near miss, another kind or apiVersion.
 */
import {
  caseVariants,
  nearMiss,
  ODD_API_VERSIONS,
  ODD_KINDS,
  ODD_STRINGS,
  RAW_QUERY_VALUES,
} from './oddValues';
import { Probe } from './findings';
import { Random } from './random';
import { SummaryFilters, Target } from './targets';

export interface QueryParam {
  key: string;
  value: string;
  /** Sent as it is, not percent-encoded, so that the server decodes it. */
  raw?: boolean;
}

export interface StatusProbe extends Probe {
  path: string;
  query: QueryParam[];
}

export interface StatusContext {
  random: Random;
  crossplane: Target[];
  other: Target[];
  filters: SummaryFilters;
}

const BASE = '/api/crossplane';
const OBJECT_FIELDS = ['cluster', 'apiVersion', 'kind', 'namespace', 'name'];
const SUMMARY_FIELDS = [
  'cluster',
  'xrd',
  'owner',
  'namespace',
  'health',
  'offset',
  'limit',
];
/** Parameters no route reads; a route should ignore them. */
const EXTRA_KEYS = [
  'foo',
  '__proto__',
  '__proto__[polluted]',
  'constructor[prototype][polluted]',
  'fieldSelector',
  'labelSelector',
  'watch',
  'continue',
  'resourceVersion',
  'dryRun',
  'propagationPolicy',
];
/** apiVersions that fit the odd kinds, so that a kind swap may be exact. */
const API_VERSION_OF: Record<string, string> = {
  Secret: 'v1',
  secret: 'v1',
  ConfigMap: 'v1',
  ServiceAccount: 'v1',
  Namespace: 'v1',
  Node: 'v1',
  Pod: 'v1',
  Event: 'v1',
  Deployment: 'apps/v1',
  ClusterRole: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
  CustomResourceDefinition: 'apiextensions.k8s.io/v1',
  CompositeResourceDefinition: 'apiextensions.crossplane.io/v1',
  Composition: 'apiextensions.crossplane.io/v1',
  TokenReview: 'authentication.k8s.io/v1',
  SelfSubjectAccessReview: 'authorization.k8s.io/v1',
};

type Op =
  | 'odd'
  | 'case'
  | 'nearMiss'
  | 'missing'
  | 'duplicate'
  | 'brackets'
  | 'index'
  | 'object'
  | 'raw'
  | 'kindSwap'
  | 'apiVersionSwap'
  | 'extra';

const OPS: [number, Op][] = [
  [30, 'odd'],
  [10, 'case'],
  [8, 'nearMiss'],
  [8, 'missing'],
  [8, 'duplicate'],
  [4, 'brackets'],
  [3, 'index'],
  [4, 'object'],
  [5, 'raw'],
  [7, 'kindSwap'],
  [5, 'apiVersionSwap'],
  [4, 'extra'],
];

/** Percent-encodes the UTF-8 bytes (lone surrogates become U+FFFD). */
export function percentEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c)
      ? c
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function statusUrl(probe: StatusProbe): string {
  if (probe.query.length === 0) return probe.path;
  const query = probe.query
    .map(p => `${p.key}=${p.raw ? p.value : percentEncode(p.value)}`)
    .join('&');
  return `${probe.path}?${query}`;
}

function decodedRaw(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

const valueOf = (query: QueryParam[], key: string) =>
  query.find(p => p.key === key)?.value;
const without = (query: QueryParam[], key: string) =>
  query.filter(p => p.key !== key && !p.key.startsWith(`${key}[`));
const fieldOfKey = (key: string) => key.split('[')[0];

/** A field's real value, to mutate from: what the query has, or a real one. */
function realValue(
  field: string,
  query: QueryParam[],
  ctx: StatusContext,
): string {
  const current = valueOf(query, field);
  if (current !== undefined) return current;
  const { filters, random } = ctx;
  const choices: Record<string, string[]> = {
    cluster: filters.clusters,
    xrd: filters.xrds,
    owner: filters.owners,
    namespace: filters.namespaces,
    health: filters.health,
    offset: ['0', '1'],
    limit: ['1', '10'],
    tree: ['true', 'false'],
  };
  const list = choices[field] ?? [];
  return list.length > 0 ? random.pick(list) : 'team-alpha';
}

/**
 * Applies one mutation to `field` (or, for kind/apiVersion swaps and extra
 * parameters, to the field the operation is about). Returns the query, the
 * fields now bad and what was done.
 */
function mutate(
  query: QueryParam[],
  field: string,
  op: Op,
  ctx: StatusContext,
): { query: QueryParam[]; mutated: string[]; description: string } {
  const { random } = ctx;
  const real = realValue(field, query, ctx);
  const oddValue = () => random.pick(ODD_STRINGS);
  switch (op) {
    case 'odd': {
      const o = oddValue();
      return {
        query: [...without(query, field), { key: field, value: o.value }],
        mutated: [field],
        description: `${field} = ${o.label}`,
      };
    }
    case 'case': {
      const variants = caseVariants(real);
      if (variants.length === 0) return mutate(query, field, 'odd', ctx);
      const value = random.pick(variants);
      return {
        query: [...without(query, field), { key: field, value }],
        mutated: [field],
        description: `${field} = ${JSON.stringify(value)} (real: ${real})`,
      };
    }
    case 'nearMiss': {
      const value = nearMiss(real, random);
      return {
        query: [...without(query, field), { key: field, value }],
        mutated: [field],
        description: `${field} = ${JSON.stringify(value)} (real: ${real})`,
      };
    }
    case 'missing':
      return {
        query: without(query, field),
        mutated: [field],
        description: `${field} missing`,
      };
    case 'duplicate': {
      const second = random.chance(0.5) ? real : oddValue().value;
      return {
        query: [
          ...without(query, field),
          { key: field, value: real },
          { key: field, value: second },
        ],
        mutated: [field],
        description: `${field} twice (${JSON.stringify(second.slice(0, 40))})`,
      };
    }
    case 'brackets':
      return {
        query: [
          ...without(query, field),
          { key: `${field}[]`, value: real },
          ...(random.chance(0.5) ? [{ key: `${field}[]`, value: real }] : []),
        ],
        mutated: [field],
        description: `${field}[]=`,
      };
    case 'index':
      return {
        query: [
          ...without(query, field),
          { key: `${field}[0]`, value: real },
          ...(random.chance(0.5)
            ? [{ key: `${field}[1]`, value: oddValue().value }]
            : []),
        ],
        mutated: [field],
        description: `${field}[0]=`,
      };
    case 'object': {
      const key = random.pick([
        `${field}[a]`,
        `${field}[__proto__]`,
        `${field}[constructor][prototype]`,
        `${field}[toString]`,
        `${field}[length]`,
      ]);
      return {
        query: [...without(query, field), { key, value: real }],
        mutated: [field],
        description: `${key}=`,
      };
    }
    case 'raw': {
      const r = random.pick(RAW_QUERY_VALUES);
      return {
        query: [
          ...without(query, field),
          { key: field, value: r.raw, raw: true },
        ],
        mutated: [field],
        description: `${field} = ${r.label}`,
      };
    }
    case 'kindSwap': {
      const kind = random.pick(ODD_KINDS);
      const apiVersion = API_VERSION_OF[kind];
      if (apiVersion && random.chance(0.6)) {
        return {
          query: [
            ...without(without(query, 'kind'), 'apiVersion'),
            { key: 'apiVersion', value: apiVersion },
            { key: 'kind', value: kind },
          ],
          mutated: ['kind', 'apiVersion'],
          description: `kind = ${kind}, apiVersion = ${apiVersion}`,
        };
      }
      return {
        query: [...without(query, 'kind'), { key: 'kind', value: kind }],
        mutated: ['kind'],
        description: `kind = ${kind}`,
      };
    }
    case 'apiVersionSwap': {
      const value = random.pick(ODD_API_VERSIONS);
      return {
        query: [...without(query, 'apiVersion'), { key: 'apiVersion', value }],
        mutated: ['apiVersion'],
        description: `apiVersion = ${JSON.stringify(value)}`,
      };
    }
    case 'extra': {
      const key = random.pick(EXTRA_KEYS);
      const value = random.chance(0.5) ? 'true' : oddValue().value;
      return {
        query: [...query, { key, value }],
        mutated: [fieldOfKey(key)],
        description: `extra ${key}`,
      };
    }
    default:
      throw new Error(`unknown operation ${op satisfies never}`);
  }
}

function targetQuery(t: Target): QueryParam[] {
  return [
    { key: 'cluster', value: t.cluster },
    { key: 'apiVersion', value: t.apiVersion },
    { key: 'kind', value: t.kind },
    ...(t.namespace ? [{ key: 'namespace', value: t.namespace }] : []),
    { key: 'name', value: t.name },
  ];
}

const describeTarget = (t: Target) =>
  `${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name}`;

/** Applies `count` mutations, each to another field. */
function mutateMany(
  start: QueryParam[],
  fields: string[],
  count: number,
  ctx: StatusContext,
  allowSwaps: boolean,
) {
  let query = start;
  const mutated = new Set<string>();
  const descriptions: string[] = [];
  for (let i = 0; i < count; i++) {
    const free = fields.filter(f => !mutated.has(f));
    const field = ctx.random.pick(free);
    let op = ctx.random.weighted(OPS);
    if (!allowSwaps && (op === 'kindSwap' || op === 'apiVersionSwap')) {
      op = 'odd';
    }
    const result = mutate(query, field, op, ctx);
    query = result.query;
    result.mutated.forEach(f => mutated.add(f));
    descriptions.push(result.description);
  }
  return { query, mutated: [...mutated], descriptions };
}

function mutationCount(random: Random): number {
  return random.weighted([
    [8, 0],
    [80, 1],
    [12, 2],
  ]);
}

function objectProbe(route: string, ctx: StatusContext): StatusProbe {
  const { random } = ctx;
  const source = random.weighted([
    [80, 'crossplane'],
    [14, 'other'],
    [6, 'synthetic'],
  ] as const);
  const fields =
    route === 'events' ? [...OBJECT_FIELDS, 'tree'] : OBJECT_FIELDS;
  let query: QueryParam[];
  const baseMutated: string[] = [];
  let base: string;
  if (source === 'synthetic') {
    query = OBJECT_FIELDS.map(key => ({
      key,
      value: random.pick(ODD_STRINGS).value,
    }));
    baseMutated.push(...OBJECT_FIELDS);
    base = 'odd values in every field';
  } else {
    const target = random.pick(
      source === 'crossplane' ? ctx.crossplane : ctx.other,
    );
    query = targetQuery(target);
    // Not a Crossplane object: its kind and apiVersion are what is odd.
    if (source === 'other') baseMutated.push('kind', 'apiVersion');
    base = `${source === 'other' ? 'other object' : 'real'} ${describeTarget(
      target,
    )}`;
  }
  if (route === 'events' && random.chance(0.5)) {
    query.push({ key: 'tree', value: random.pick(['true', 'false']) });
  }
  const m = mutateMany(query, fields, mutationCount(random), ctx, true);
  return {
    route: `GET /${route}`,
    path: `${BASE}/${route}`,
    query: m.query,
    mutated: [...new Set([...baseMutated, ...m.mutated])],
    description: [base, ...m.descriptions].join('; '),
    sent: [],
  };
}

function summaryProbe(ctx: StatusContext): StatusProbe {
  const { random, filters } = ctx;
  const query: QueryParam[] = [];
  const lists: [string, string[]][] = [
    ['cluster', filters.clusters],
    ['xrd', filters.xrds],
    ['owner', filters.owners],
    ['namespace', filters.namespaces],
    ['health', filters.health],
  ];
  for (const [key, values] of lists) {
    if (values.length > 0 && random.chance(0.25)) {
      query.push({ key, value: random.pick(values) });
    }
  }
  if (random.chance(0.15))
    query.push({ key: 'offset', value: `${random.int(10)}` });
  if (random.chance(0.15))
    query.push({ key: 'limit', value: `${1 + random.int(50)}` });
  const m = mutateMany(
    query,
    SUMMARY_FIELDS,
    mutationCount(random),
    ctx,
    false,
  );
  return {
    route: 'GET /summary',
    path: `${BASE}/summary`,
    query: m.query,
    mutated: m.mutated,
    description: m.descriptions.join('; ') || 'well-formed',
    sent: [],
  };
}

function clustersProbe(ctx: StatusContext): StatusProbe {
  const count = ctx.random.chance(0.2) ? 0 : 1;
  let query: QueryParam[] = [];
  const mutated: string[] = [];
  const descriptions: string[] = [];
  for (let i = 0; i < count; i++) {
    const result = mutate(query, 'cluster', 'extra', ctx);
    query = result.query;
    mutated.push(...result.mutated);
    descriptions.push(result.description);
  }
  return {
    route: 'GET /clusters',
    path: `${BASE}/clusters`,
    query,
    mutated,
    description: descriptions.join('; ') || 'well-formed',
    sent: [],
  };
}

export function statusProbes(count: number, ctx: StatusContext): StatusProbe[] {
  const probes: StatusProbe[] = [];
  for (let i = 0; i < count; i++) {
    const route = ctx.random.weighted([
      [5, 'clusters'],
      [14, 'summary'],
      [25, 'tree'],
      [25, 'events'],
      [31, 'yaml'],
    ] as const);
    let probe: StatusProbe;
    if (route === 'clusters') probe = clustersProbe(ctx);
    else if (route === 'summary') probe = summaryProbe(ctx);
    else probe = objectProbe(route, ctx);
    probe.sent = probe.query.map(p => (p.raw ? decodedRaw(p.value) : p.value));
    probes.push(probe);
  }
  return probes;
}
