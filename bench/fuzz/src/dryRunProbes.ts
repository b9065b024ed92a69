/*
 * Scaffolder dry runs (`POST /api/scaffolder/v2/dry-run`) of a template of
 * one `crossplane:*` step whose input is valid but for one field (sometimes
 * two): missing, of the wrong type, an odd string, another spelling, a near
 * miss, a `__proto__` key, another kind, an odd workspace layout.
 */
import {
  caseVariants,
  nearMiss,
  ODD_API_VERSIONS,
  ODD_KINDS,
  ODD_STRINGS,
} from './oddValues';
import { Probe } from './findings';
import { Random } from './random';
import { Target } from './targets';

export interface DryRunProbe extends Probe {
  action: string;
  /** The request body, as JSON text (it may hold own `__proto__` keys). */
  body: string;
}

export interface DryRunContext {
  random: Random;
  cluster: string;
  crossplane: Target[];
  other: Target[];
  /** A real claim as the cluster holds it (apiVersion, kind, metadata, spec). */
  realClaim: Record<string, unknown>;
}

/** A file a layout that escapes the workspace would write, under `/`. */
export const ESCAPE_DIR = '/platformops-fuzz-escape';

const LAYOUTS = [
  `../../../../../../../../../..${ESCAPE_DIR}/{name}.yaml`,
  `{name}/../../../../../../../../../../..${ESCAPE_DIR}/{name}-nested.yaml`,
  `${ESCAPE_DIR}/absolute-{name}.yaml`,
  '..',
  '.',
  '',
  '/',
  'dir/',
  '{unknown}/{name}.yaml',
  '{name',
  'name}',
  '{{name}}',
  '{__proto__}/{constructor}.yaml',
  'a\u0000b.yaml',
  '%2e%2e/%2e%2e/x.yaml',
  '..\\..\\x.yaml',
  '~/x.yaml',
  'C:\\x.yaml',
  '\n',
  'a/./b/../c.yaml',
  `${'x'.repeat(300)}.yaml`,
  '{name}/'.repeat(2000),
  '{namespace}/{name}.yaml',
  'clusters/{cluster}/{namespace}/{kind}-{name}.yaml',
];

const WRONG_TYPES: unknown[] = [
  42,
  -1,
  0,
  1.5,
  1e308,
  true,
  false,
  null,
  [],
  {},
  ['x'],
  { a: 1 },
];

type Json = unknown;
type Path = (string | number)[];

function bucketValues() {
  return { parameters: { region: 'eu-west-1', storageClass: 'STANDARD' } };
}

function renderInputs(cluster: string): Record<string, Json>[] {
  return [
    {
      cluster,
      xrd: 'xobjectbuckets.storage.platformops.io',
      name: 'fuzz-bucket',
      namespace: 'team-alpha',
      owner: 'group:default/team-alpha',
      values: bucketValues(),
    },
    {
      cluster,
      apiVersion: 'storage.platformops.io/v1alpha1',
      kind: 'ObjectBucket',
      name: 'fuzz-bucket',
      namespace: 'team-beta',
      values: bucketValues(),
      writeToWorkspace: true,
      layout: '{cluster}/{namespace}/{kind}/{name}.yaml',
    },
    {
      cluster,
      xrd: 'xpostgresqlinstances.database.platformops.io',
      name: 'fuzz-db',
      namespace: 'team-alpha',
      values: {
        parameters: {
          version: '16',
          instanceClass: 'medium',
          storage: { sizeGB: 50 },
        },
      },
    },
    {
      cluster,
      xrd: 'xkubernetesclusters.compute.platformops.io',
      name: 'fuzz-k8s',
      namespace: 'team-beta',
      values: {
        parameters: {
          version: '1.33',
          region: 'eu-west-1',
          nodePools: [
            {
              name: 'system',
              machineType: 'standard-4',
              minSize: 1,
              maxSize: 3,
            },
          ],
        },
      },
    },
  ];
}

function objectInput(t: Target): Record<string, Json> {
  return {
    cluster: t.cluster,
    apiVersion: t.apiVersion,
    kind: t.kind,
    name: t.name,
    ...(t.namespace ? { namespace: t.namespace } : {}),
  };
}

/** A step's input before mutation, and what in it is already odd. */
export interface DryRunBase {
  action: string;
  input: Record<string, Json>;
  /** Fields a refusal may name without any mutation (e.g. `kind` of a Secret). */
  odd: string[];
  /** What is odd about it before any mutation, for the report. */
  label?: string;
}

const OWNER = 'group:default/team-alpha';

/**
 * Inputs a dry run should accept as they are: the demo's XRDs rendered, a new
 * bucket and the real claim applied, a claim deleted or waited for.
 */
export function wellFormedBases(ctx: DryRunContext): DryRunBase[] {
  const claims = ctx.crossplane.filter(t => t.objectClass === 'claim');
  const newBucket = {
    apiVersion: 'storage.platformops.io/v1alpha1',
    kind: 'ObjectBucket',
    metadata: {
      name: 'fuzz-bucket',
      namespace: 'team-alpha',
      // The owner as PlatformOps writes it: annotation and label value.
      labels: { 'platformops.io/owner': 'group.default.team-alpha' },
      annotations: { 'platformops.io/owner': OWNER },
    },
    spec: bucketValues(),
  };
  return [
    ...renderInputs(ctx.cluster).map(input => ({
      action: 'crossplane:render',
      input,
      odd: [],
    })),
    ...[newBucket, ctx.realClaim].map(manifest => ({
      action: 'crossplane:apply',
      input: { cluster: ctx.cluster, manifest },
      odd: [],
    })),
    ...claims.map(t => ({
      action: 'crossplane:delete',
      input: objectInput(t),
      odd: [],
    })),
    ...claims.map(t => ({
      action: 'crossplane:wait',
      input: {
        ...objectInput(t),
        conditions: ['Ready', 'Synced'],
        timeoutSeconds: 60,
      },
      odd: [],
    })),
  ];
}

function baseFor(action: string, ctx: DryRunContext): DryRunBase {
  const { random } = ctx;
  if (action === 'crossplane:delete' && random.chance(0.4)) {
    // Not a claim: a composite, a managed resource, a Secret, a namespace.
    const target = random.pick([
      ...ctx.crossplane.filter(t => t.objectClass !== 'claim'),
      ...ctx.other,
    ]);
    return {
      action,
      input: objectInput(target),
      odd: ['kind', 'apiVersion'],
      label: `not a claim: ${target.kind} ${target.name}`,
    };
  }
  if (action === 'crossplane:wait' && random.chance(0.3)) {
    const target = random.pick(ctx.crossplane);
    return {
      action,
      input: {
        ...objectInput(target),
        conditions: ['Ready'],
        timeoutSeconds: 60,
      },
      odd: [],
    };
  }
  const bases = wellFormedBases(ctx).filter(b => b.action === action);
  const base = random.pick(bases);
  return { ...base, input: structuredClone(base.input) };
}

/** Every path to a value in the input (objects and arrays included). */
function paths(value: Json, prefix: Path = []): Path[] {
  const out: Path[] = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(...paths(v, [...prefix, k]));
    }
  }
  return out;
}

function getAt(root: any, path: Path): any {
  return path.reduce(
    (v, k) => (v === null || v === undefined ? v : v[k]),
    root,
  );
}

function parentOf(
  root: any,
  path: Path,
): { parent: any; key: string | number } {
  return { parent: getAt(root, path.slice(0, -1)), key: path[path.length - 1] };
}

/** Sets an own property, even `__proto__`, so that JSON.stringify sends it. */
function setOwn(target: any, key: string | number, value: unknown) {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** The field a message must name: the last named segment of the path. */
function fieldOf(path: Path): string {
  const named = path.filter((k): k is string => typeof k === 'string');
  return named[named.length - 1] ?? String(path[0]);
}

const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40
    ? `${text.slice(0, 40)}... (${text.length} chars)`
    : text;
};

/** One mutation of the input; returns the fields made bad and what was done. */
function mutate(
  input: Record<string, Json>,
  action: string,
  ctx: DryRunContext,
): { fields: string[]; description: string } {
  const { random } = ctx;
  const op = random.weighted([
    [10, 'missing'],
    [25, 'odd'],
    [18, 'type'],
    [4, 'long'],
    [8, 'case'],
    [8, 'nearMiss'],
    [6, 'proto'],
    [7, 'kind'],
    [action === 'crossplane:render' ? 14 : 0, 'layout'],
    [4, 'extra'],
  ] as const);
  const path = random.pick(paths(input));
  const { parent, key } = parentOf(input, path);
  const field = fieldOf(path);
  const at = path.join('.');
  const real = getAt(input, path);
  switch (op) {
    case 'missing':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      return { fields: [field], description: `${at} missing` };
    case 'odd': {
      const o = random.pick(ODD_STRINGS);
      parent[key] = o.value;
      return { fields: [field], description: `${at} = ${o.label}` };
    }
    case 'type': {
      const v = structuredClone(random.pick(WRONG_TYPES));
      parent[key] = v;
      return { fields: [field], description: `${at} = ${show(v)}` };
    }
    case 'long':
      parent[key] = 'z'.repeat(100_000);
      return { fields: [field], description: `${at} = long 100k` };
    case 'case':
    case 'nearMiss': {
      if (typeof real !== 'string') return mutate(input, action, ctx);
      const variants =
        op === 'case' ? caseVariants(real) : [nearMiss(real, random)];
      if (variants.length === 0) return mutate(input, action, ctx);
      parent[key] = random.pick(variants);
      return {
        fields: [field],
        description: `${at} = ${show(parent[key])} (real: ${real})`,
      };
    }
    case 'proto': {
      const isObject = (v: unknown) =>
        Boolean(v) && typeof v === 'object' && !Array.isArray(v);
      let holder = input;
      let where = 'input';
      if (isObject(real)) {
        holder = real;
        where = at;
      } else if (isObject(parent)) {
        holder = parent;
        where = path.slice(0, -1).join('.') || 'input';
      }
      const protoKey = random.pick(['__proto__', 'constructor', 'prototype']);
      setOwn(holder, protoKey, { polluted: 'fuzz', toString: 'x' });
      return {
        fields: [protoKey],
        description: `${where}.${protoKey} = {...}`,
      };
    }
    case 'kind': {
      const kindHolder =
        action === 'crossplane:apply' ? (input.manifest as any) : input;
      if (!kindHolder || typeof kindHolder !== 'object') {
        return mutate(input, action, ctx);
      }
      const kind = random.pick(ODD_KINDS);
      kindHolder.kind = kind;
      if (random.chance(0.5)) {
        kindHolder.apiVersion =
          kind.toLowerCase() === 'secret'
            ? 'v1'
            : random.pick(ODD_API_VERSIONS);
        return {
          fields: ['kind', 'apiVersion'],
          description: `kind = ${kind}, apiVersion = ${JSON.stringify(
            kindHolder.apiVersion,
          )}`,
        };
      }
      return { fields: ['kind'], description: `kind = ${kind}` };
    }
    case 'layout': {
      input.writeToWorkspace = true;
      input.layout = random.pick(LAYOUTS);
      return {
        fields: ['layout'],
        description: `layout = ${show(input.layout)}`,
      };
    }
    default: {
      const extra = random.pick(['fuzzExtra', 'dryRun', 'force', 'namespace']);
      if (extra in input) return mutate(input, action, ctx);
      input[extra] = random.pick(ODD_STRINGS).value;
      return { fields: [extra], description: `extra input ${extra}` };
    }
  }
}

/** The string values of the input (not its keys: those are field names). */
function strings(value: Json, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object') {
    for (const k of Object.keys(value)) strings((value as any)[k], out);
  }
  return out;
}

/** The dry-run request of a template of one step. */
export function dryRunBody(
  action: string,
  input: Record<string, Json>,
): string {
  return JSON.stringify({
    template: {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name: 'platformops-fuzz' },
      spec: {
        owner: 'group:default/platform-team',
        type: 'fuzz',
        parameters: [],
        steps: [{ id: 'step', name: 'fuzz', action, input }],
      },
    },
    values: {},
    directoryContents: [],
  });
}

export function dryRunProbes(count: number, ctx: DryRunContext): DryRunProbe[] {
  const probes: DryRunProbe[] = [];
  for (let i = 0; i < count; i++) {
    const action = ctx.random.weighted([
      [35, 'crossplane:render'],
      [25, 'crossplane:apply'],
      [20, 'crossplane:delete'],
      [20, 'crossplane:wait'],
    ] as const);
    const base = baseFor(action, ctx);
    const input = base.input;
    const n = ctx.random.weighted([
      [7, 0],
      [85, 1],
      [8, 2],
    ]);
    const mutated = new Set<string>(base.odd);
    const descriptions: string[] = [];
    for (let j = 0; j < n; j++) {
      const m = mutate(input, action, ctx);
      m.fields.forEach(f => mutated.add(f));
      descriptions.push(m.description);
    }
    probes.push({
      route: `dry-run ${action}`,
      action,
      description:
        [...(base.label ? [base.label] : []), ...descriptions].join('; ') ||
        'well-formed',
      mutated: [...mutated],
      sent: strings(input),
      body: dryRunBody(action, input),
    });
  }
  return probes;
}
