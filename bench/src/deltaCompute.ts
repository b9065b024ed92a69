/*
 * How long the catalog module takes to compute and hand over one delta
 * mutation of a cluster of 10k objects, in process: the cluster's objects
 * (the v1 units of objects.ts) are served by an in-memory cluster and held
 * by the product's watch cache; once the cache has a change, the
 * provider's delta is timed up to the catalog's applyMutation (a no-op
 * here, so the figure is the module's own work). Prints one table and one
 * JSON line.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/src/deltaCompute.ts [--objects 10000] [--tries 30]
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  CrossplaneEntityProvider,
  readProviderConfig,
} from '@platformops/plugin-catalog-backend-module-crossplane';
import { ClusterObjectCache } from '@platformops/plugin-crossplane-node';
import { InMemoryClusterClient } from '@platformops/plugin-crossplane-node/testUtils';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { millis, now, percentile, sleep } from './measure';
import {
  ALL_KINDS,
  crd,
  OBJECTS_PER_UNIT,
  unitObjects,
  unitOf,
} from './objects';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const CLUSTER = 'bench-delta';

const quiet: LoggerService = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => quiet,
};

/** The module's defaults, but one window for the whole run: deltas are asked for, not debounced. */
const config = readProviderConfig(
  new ConfigReader({
    catalog: {
      providers: {
        crossplane: {
          templates: false,
          writerWindow: { hours: 1 },
          debounceMs: 3_600_000,
        },
      },
    },
  }),
);

/** The object with its Ready condition flipped: a new status, as a watch brings it. */
function flipped(object: KubernetesObject, i: number): KubernetesObject {
  const conditions = ((object.status as any)?.conditions ?? []).map((c: any) =>
    c.type === 'Ready'
      ? { ...c, status: i % 2 ? 'False' : 'True', reason: `Step${i}` }
      : c,
  );
  return {
    ...object,
    metadata: { ...object.metadata, resourceVersion: `rv-${i}` },
    status: { ...(object.status as object), conditions },
  };
}

async function main() {
  const total = flag('objects', 10_000);
  const tries = flag('tries', 30);
  const units = Math.ceil(total / OBJECTS_PER_UNIT);
  const objects = Array.from({ length: units }, (_, i) =>
    unitObjects(unitOf(CLUSTER, i)),
  ).flat() as KubernetesObject[];
  const established = { conditions: [{ type: 'Established', status: 'True' }] };
  const client = new InMemoryClusterClient(CLUSTER, [
    ...ALL_KINDS.map(kind => ({ ...crd(kind), status: established })),
    ...objects,
  ]);
  const cache = new ClusterObjectCache({
    client,
    logger: quiet,
    includeWorkloads: false,
  });
  /** Writes an object to the cluster; resolves once the cache has it. */
  const write = (object: KubernetesObject) =>
    new Promise<void>(resolve => {
      const stop = cache.subscribe(event => {
        if (
          event.type === 'upsert' &&
          event.object.kind === object.kind &&
          event.object.metadata.name === object.metadata.name
        ) {
          stop();
          resolve();
        }
      });
      client.put(object);
    });
  const writes: { type: string; entities: number }[] = [];
  const provider = new CrossplaneEntityProvider({
    cluster: {
      name: CLUSTER,
      url: 'https://127.0.0.1:1',
      authProvider: 'serviceAccount',
      skipTLSVerify: false,
    },
    cache,
    config,
    logger: quiet,
    taskRunner: {
      // This process holds the writing window for the whole run.
      run: async task => {
        task.fn(new AbortController().signal);
      },
    },
  });
  await provider.connect({
    applyMutation: async mutation => {
      writes.push({
        type: mutation.type,
        entities:
          mutation.type === 'full'
            ? mutation.entities.length
            : mutation.added.length + mutation.removed.length,
      });
    },
    refresh: async () => {},
  });
  while (!cache.status().synced || cache.status().objectCount < objects.length)
    await sleep(50);
  // The first write since start (claims first, then the rest), then a
  // window's full mutation, timed.
  await provider.fullMutation();
  const fullStart = now();
  await provider.fullMutation();
  const fullMs = now() - fullStart;

  const timeDelta = async (change: () => Promise<void>) => {
    const before = writes.length;
    await change();
    const start = now();
    await provider.deltaMutation();
    const ms = now() - start;
    const written = writes
      .slice(before)
      .reduce((sum, w) => sum + w.entities, 0);
    return { ms, written };
  };

  const unit = (i: number) =>
    objects.slice(
      (i % units) * OBJECTS_PER_UNIT,
      ((i % units) + 1) * OBJECTS_PER_UNIT,
    );
  const scenarios: Record<string, (i: number) => () => Promise<void>> = {
    'a managed resource changes status': i => () =>
      write(flipped(unit(i)[2], i)),
    'a claim changes status': i => () => write(flipped(unit(i)[0], i)),
    'a new claim with its composite and 3 managed resources': i => async () => {
      for (const object of unitObjects(unitOf(CLUSTER, units + i)))
        await write(object as KubernetesObject);
    },
  };
  const rows: Record<string, { p50: number; p95: number; written: number }> =
    {};
  for (const [name, scenario] of Object.entries(scenarios)) {
    const times: number[] = [];
    let written = 0;
    for (let i = 0; i < tries; i++) {
      const result = await timeDelta(scenario(i + 1));
      times.push(result.ms);
      written = result.written;
    }
    rows[name] = {
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      written,
    };
  }

  console.log(
    `Delta mutation of one cluster of ${
      objects.length
    } objects, ${tries} tries each (full mutation: ${millis(fullMs)})`,
  );
  console.log('| change | p50 | p95 | entities written |');
  console.log('| --- | --- | --- | --- |');
  for (const [name, row] of Object.entries(rows)) {
    console.log(
      `| ${name} | ${millis(row.p50)} | ${millis(row.p95)} | ${row.written} |`,
    );
  }
  console.log(JSON.stringify({ objects: objects.length, fullMs, rows }));
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
