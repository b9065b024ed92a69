/*
 * A minimal Kubernetes API client for the benchmark harness: keep-alive
 * HTTPS with the instance's CA and token, JSON in and out. Independent of
 * the product's client so that the floor measures the API server alone.
 */
import https from 'node:https';

export interface BenchCluster {
  name: string;
  url: string;
  token: string;
  caPem: string;
  /** Entry for kubernetes.clusterLocatorMethods[].clusters. */
  backstageCluster: Record<string, unknown>;
}

export interface KubeResponse {
  status: number;
  body: any;
}

const agents = new Map<string, https.Agent>();

function agentFor(cluster: BenchCluster): https.Agent {
  let agent = agents.get(cluster.name);
  if (!agent) {
    agent = new https.Agent({
      ca: cluster.caPem,
      keepAlive: true,
      maxSockets: 32,
    });
    agents.set(cluster.name, agent);
  }
  return agent;
}

export async function kubeRequest(
  cluster: BenchCluster,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<KubeResponse> {
  try {
    return await requestOnce(cluster, method, path, body, contentType);
  } catch (error) {
    // A kept-alive socket the API server closed while it was idle (after a
    // phase of the run that asked it nothing) fails the request sent on it
    // before the server read it: sent again, on a new socket.
    if (!(error as StaleSocketError).staleSocket) throw error;
    return requestOnce(cluster, method, path, body, contentType);
  }
}

type StaleSocketError = Error & { staleSocket?: boolean };

function requestOnce(
  cluster: BenchCluster,
  method: string,
  path: string,
  body: unknown,
  contentType: string,
): Promise<KubeResponse> {
  const url = new URL(path, cluster.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        agent: agentFor(cluster),
        headers: {
          Authorization: `Bearer ${cluster.token}`,
          Accept: 'application/json',
          ...(payload
            ? {
                'Content-Type': contentType,
                'Content-Length': Buffer.byteLength(payload),
              }
            : {}),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // Not JSON: keep the text for the error message.
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('error', (error: NodeJS.ErrnoException & StaleSocketError) => {
      if (req.reusedSocket && error.code === 'ECONNRESET')
        error.staleSocket = true;
      reject(error);
    });
    if (payload) req.write(payload);
    req.end();
  });
}

/** Like {@link kubeRequest}, but throws on any status that is not 2xx. */
export async function kubeCall(
  cluster: BenchCluster,
  method: string,
  path: string,
  body?: unknown,
  contentType?: string,
): Promise<any> {
  const res = await kubeRequest(cluster, method, path, body, contentType);
  if (res.status < 200 || res.status >= 300) {
    const message =
      typeof res.body === 'object' ? res.body?.message : String(res.body);
    throw new Error(
      `${method} ${path} on ${cluster.name}: HTTP ${res.status} ${message}`,
    );
  }
  return res.body;
}

/** Runs `task` over `items` with at most `concurrency` at a time. */
export async function mapLimit<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) })
    .fill(0)
    .map(async () => {
      while (next < items.length) {
        const item = items[next++];
        await task(item);
      }
    });
  await Promise.all(workers);
}

/**
 * Lists every object of a resource path page by page (`limit`/`continue`),
 * the way a careful client reads a large cluster. Returns the item count.
 */
export async function paginatedCount(
  cluster: BenchCluster,
  resourcePath: string,
  limit = 500,
): Promise<number> {
  let count = 0;
  let token: string | undefined;
  do {
    const query = new URLSearchParams({ limit: String(limit) });
    if (token) query.set('continue', token);
    const list = await kubeCall(cluster, 'GET', `${resourcePath}?${query}`);
    count += list.items.length;
    token = list.metadata?.continue || undefined;
  } while (token);
  return count;
}
