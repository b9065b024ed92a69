/*
 * One measurement of the large-provider benchmark, in a process of its own
 * so that its sockets, file descriptors and memory are its own: starts the
 * product's object cache on a cluster with thousands of CRDs over one
 * transport, waits for it to sync, then times how long the first object of
 * a kind that was empty takes to reach the cache. Prints one JSON line.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterObjectCache,
  KubernetesClusterClient,
  KubernetesTransport,
} from '@platformops/plugin-crossplane-node';
import {
  connectionsToPort,
  largeProviderObject,
  openFileDescriptors,
} from '@platformops/plugin-crossplane-node/testUtils';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { BenchCluster, kubeCall } from './kube';
import { now, sleep } from './measure';

export interface CacheRunInput {
  transport: KubernetesTransport;
  /** The portal's identity, as the backend reads the cluster. */
  backstageCluster: any;
  /** The admin's, to write the first object of an empty kind. */
  admin: BenchCluster;
  port: number;
  /** Kinds the cache watches once synced (CRDs, workloads included). */
  expectedKinds: number;
  expectedObjects: number;
  emptyCrds: KubernetesObject[];
  namespace: string;
  /** The cache's bound on concurrent lists; its default unless given. */
  maxConcurrentLists?: number;
}

export interface CacheRunResult {
  transport: KubernetesTransport;
  syncMs: number;
  kinds: number;
  objects: number;
  connectionsPeak: number;
  connections: number;
  fdsPeak: number;
  fds: number;
  rssMb: number;
  rssPeakMb: number;
  firstObjectMs: number[];
  warnings: number;
}

function quietLogger(counts: { warnings: number }): LoggerService {
  const logger: LoggerService = {
    info: () => {},
    debug: () => {},
    warn: () => {
      counts.warnings += 1;
    },
    error: message => {
      counts.warnings += 1;
      process.stderr.write(`${message}\n`);
    },
    child: () => logger,
  };
  return logger;
}

async function waitUntil(probe: () => boolean, timeoutMs: number) {
  const deadline = now() + timeoutMs;
  while (!probe()) {
    if (now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

function applyPath(object: KubernetesObject, plural: string) {
  const ns = object.metadata.namespace;
  return `/apis/${object.apiVersion}/${
    ns ? `namespaces/${ns}/` : ''
  }${plural}/${object.metadata.name}?fieldManager=bench&force=true`;
}

async function run(input: CacheRunInput): Promise<CacheRunResult> {
  const counts = { warnings: 0 };
  const client = KubernetesClusterClient.fromConfig(input.backstageCluster, {
    transport: input.transport,
  });
  const cache = new ClusterObjectCache({
    client,
    logger: quietLogger(counts),
    maxConcurrentLists: input.maxConcurrentLists,
  });
  const peak = { connections: 0, fds: 0, rss: 0 };
  const sample = () => {
    peak.connections = Math.max(
      peak.connections,
      connectionsToPort(input.port),
    );
    peak.fds = Math.max(peak.fds, openFileDescriptors());
    peak.rss = Math.max(peak.rss, process.memoryUsage().rss);
  };
  const sampler = setInterval(sample, 100);

  const start = now();
  cache.start();
  await waitUntil(() => {
    const status = cache.status();
    return (
      status.synced &&
      status.kinds.length >= input.expectedKinds &&
      status.objectCount >= input.expectedObjects
    );
  }, 900_000);
  const syncMs = now() - start;
  // Settled: the watches are open.
  await sleep(3000);
  sample();
  const steady = {
    connections: connectionsToPort(input.port),
    fds: openFileDescriptors(),
    rss: process.memoryUsage().rss,
  };

  const firstObjectMs: number[] = [];
  for (const crd of input.emptyCrds) {
    const name = `first-${input.transport}-${Date.now()}`;
    const object = largeProviderObject(crd, name, input.namespace);
    const plural = (crd.spec as { names: { plural: string } }).names.plural;
    const seen = new Promise<number>(resolve => {
      const unsubscribe = cache.subscribe(event => {
        if (event.type === 'upsert' && event.object.metadata.name === name) {
          unsubscribe();
          resolve(now());
        }
      });
    });
    const written = now();
    await kubeCall(
      input.admin,
      'PATCH',
      applyPath(object, plural),
      object,
      'application/apply-patch+yaml',
    );
    firstObjectMs.push((await seen) - written);
    await kubeCall(input.admin, 'DELETE', applyPath(object, plural));
  }
  clearInterval(sampler);
  const status = cache.status();
  cache.stop();
  client.close();
  return {
    transport: input.transport,
    syncMs,
    kinds: status.kinds.length,
    objects: status.objectCount,
    connectionsPeak: peak.connections,
    connections: steady.connections,
    fdsPeak: peak.fds,
    fds: steady.fds,
    rssMb: steady.rss / 2 ** 20,
    rssPeakMb: peak.rss / 2 ** 20,
    firstObjectMs,
    warnings: counts.warnings,
  };
}

if (require.main === module) {
  const input = JSON.parse(process.argv[2]) as CacheRunInput;
  run(input).then(
    result => {
      process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    error => {
      process.stderr.write(`${error.stack ?? error}\n`);
      process.exit(1);
    },
  );
}
