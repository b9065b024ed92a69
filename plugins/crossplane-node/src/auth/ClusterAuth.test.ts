/*
 * Cluster credentials from the kubernetes plugin's strategies, against a
 * real HTTPS server in this process that speaks HTTP/2 and HTTP/1.1 like
 * kube-apiserver and authenticates like it (bearer tokens, client
 * certificates, anonymous), with an RBAC of its own: the credential of
 * each provider reaches the server on both transports, an expired token
 * is asked for again, and the signed-in user's writes carry their token.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http2 from 'node:http2';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import type {
  AuthenticationStrategy,
  KubernetesCredential,
} from '@backstage/plugin-kubernetes-node';
import { EC_KEY_ARGS, statusBody } from '../client/apiServerFakes.test-helper';
import { KubernetesClusterClient } from '../client/KubernetesClusterClient';
import { ClusterConfig } from '../config/readClusterConfigs';
import { buildAuthStrategies, CrossplaneAuthStrategy } from './authStrategies';
import { clientForWrites } from './clientForWrites';
import { readClusterAuthMetadata } from './clusterAuthConfig';

const API_VERSION = 'auth.test.platformops.io/v1';
const LOCATOR = { apiVersion: API_VERSION, kind: 'Widget' };

/** Bearer tokens the server knows, and whose they are. */
const USERS: Record<string, string> = {
  'portal-token': 'portal',
  'alice-token': 'alice',
};

function openssl(args: string[]) {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

/** A CA, the server's certificate for 127.0.0.1, and a client certificate. */
function pki(dir: string) {
  const f = (name: string) => path.join(dir, name);
  openssl([
    'req',
    '-x509',
    ...EC_KEY_ARGS,
    '-days',
    '1',
    '-subj',
    '/CN=test-ca',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.crt'),
  ]);
  const sign = (name: string, subject: string, ext: string) => {
    openssl([
      'req',
      ...EC_KEY_ARGS,
      '-subj',
      subject,
      '-keyout',
      f(`${name}.key`),
      '-out',
      f(`${name}.csr`),
    ]);
    fs.writeFileSync(f(`${name}.ext`), ext);
    openssl([
      'x509',
      '-req',
      '-in',
      f(`${name}.csr`),
      '-CA',
      f('ca.crt'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      f(`${name}.ext`),
      '-out',
      f(`${name}.crt`),
    ]);
  };
  sign('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\n');
  sign('robot', '/CN=robot', 'extendedKeyUsage=clientAuth\n');
  const read = (name: string) => fs.readFileSync(f(name), 'utf8');
  return {
    ca: read('ca.crt'),
    server: { cert: read('server.crt'), key: read('server.key') },
    robot: { cert: read('robot.crt'), key: read('robot.key') },
  };
}

const status = statusBody;

interface Seen {
  method: string;
  path: string;
  user: string;
  http: string;
}

describe('cluster credentials', () => {
  let dir: string;
  let keys: ReturnType<typeof pki>;
  let server: http2.Http2SecureServer;
  let url: string;
  /** Every request the server answered, with who sent it. */
  let seen: Seen[] = [];
  /** Stored widgets by namespace/name. */
  let store: Map<string, unknown>;
  /** Tokens the server no longer accepts (expired). */
  let expired: Set<string>;
  const clients: KubernetesClusterClient[] = [];

  /** Who a request is: its bearer token's user, its certificate's CN, or anonymous. */
  function userOf(req: http2.Http2ServerRequest): string | undefined {
    const header = req.headers.authorization as string | undefined;
    if (header) {
      const token = header.replace(/^Bearer /, '');
      return expired.has(token) ? undefined : USERS[token];
    }
    const socket = (req.stream?.session?.socket ?? req.socket) as TLSSocket;
    const peer = socket.getPeerCertificate?.();
    if (peer && socket.authorized && peer.subject?.CN)
      return String(peer.subject.CN);
    return 'system:anonymous';
  }

  /** alice writes in namespace alpha only; everyone authenticated reads. */
  function allowed(user: string, method: string, namespace: string) {
    if (method === 'GET') return true;
    if (user === 'alice') return namespace === 'alpha';
    return user !== 'system:anonymous';
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-auth-'));
    keys = pki(dir);
    server = http2.createSecureServer({
      ...keys.server,
      ca: keys.ca,
      requestCert: true,
      rejectUnauthorized: false,
      allowHTTP1: true,
    });
    server.on('request', (req, res) => {
      res.on('error', () => {});
      const { pathname } = new URL(req.url, 'https://localhost');
      const user = userOf(req);
      seen.push({
        method: req.method,
        path: pathname,
        user: user ?? '?',
        http: req.httpVersion,
      });
      if (!user) {
        res.writeHead(401).end(status(401, 'Unauthorized', 'Unauthorized'));
        return;
      }
      if (pathname === `/apis/${API_VERSION}`) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            kind: 'APIResourceList',
            groupVersion: API_VERSION,
            resources: [
              {
                name: 'widgets',
                singularName: 'widget',
                namespaced: true,
                kind: 'Widget',
                verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'],
              },
            ],
          }),
        );
        return;
      }
      const m =
        /^\/apis\/auth\.test\.platformops\.io\/v1\/(?:namespaces\/([^/]+)\/)?widgets(?:\/([^/]+))?$/.exec(
          pathname,
        );
      if (!m) {
        res.writeHead(404).end(status(404, 'NotFound', 'no such path'));
        return;
      }
      const [, namespace = '', name] = m;
      if (!allowed(user, req.method, namespace)) {
        res
          .writeHead(403, { 'content-type': 'application/json' })
          .end(
            status(
              403,
              'Forbidden',
              `widgets.auth.test.platformops.io "${name}" is forbidden: User "${user}" cannot ${
                req.method === 'DELETE' ? 'delete' : 'patch'
              } resource "widgets" in the namespace "${namespace}"`,
            ),
          );
        return;
      }
      let body = '';
      req.setEncoding('utf8');
      req.on('data', chunk => (body += chunk));
      req.on('end', () => {
        const key = `${namespace}/${name}`;
        res.setHeader('content-type', 'application/json');
        if (req.method === 'GET' && !name) {
          res.end(
            JSON.stringify({
              kind: 'WidgetList',
              apiVersion: API_VERSION,
              metadata: { resourceVersion: '1' },
              items: [...store.values()],
            }),
          );
        } else if (req.method === 'GET') {
          if (!store.has(key))
            res
              .writeHead(404)
              .end(status(404, 'NotFound', `widget ${name} not found`));
          else res.end(JSON.stringify(store.get(key)));
        } else if (req.method === 'PATCH') {
          const object = {
            ...JSON.parse(body),
            metadata: { ...JSON.parse(body).metadata, namespace, name },
          };
          store.set(key, object);
          res.end(JSON.stringify(object));
        } else if (req.method === 'DELETE') {
          store.delete(key);
          res.end(JSON.stringify({ kind: 'Status', status: 'Success' }));
        } else {
          res.writeHead(405).end();
        }
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  beforeEach(() => {
    seen = [];
    store = new Map();
    expired = new Set();
  });

  afterAll(async () => {
    clients.forEach(c => c.close());
    await new Promise(resolve => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function clusterConfig(entry: JsonObject): ClusterConfig {
    const authMetadata = readClusterAuthMetadata(new ConfigReader(entry));
    return {
      name: 'test',
      url,
      authProvider: authMetadata['kubernetes.io/auth-provider'],
      authMetadata,
      caData: Buffer.from(keys.ca).toString('base64'),
      skipTLSVerify: false,
    };
  }

  function clientOf(entry: JsonObject, added: CrossplaneAuthStrategy[] = []) {
    const cluster = clusterConfig(entry);
    const strategies = buildAuthStrategies({
      config: new ConfigReader({}),
      logger: mockServices.logger.mock(),
      added,
    });
    const client = KubernetesClusterClient.fromConfig(cluster, {
      authStrategies: strategies,
    });
    clients.push(client);
    return client;
  }

  const widget = (namespace: string, name: string) => ({
    ...LOCATOR,
    metadata: { namespace, name },
    spec: { size: 1 },
  });

  it('serviceAccount: lists over HTTP/2 and writes over HTTP/1.1 with the service token', async () => {
    const client = clientOf({
      authProvider: 'serviceAccount',
      serviceAccountToken: 'portal-token',
    });
    await client.apply(widget('alpha', 'one'), { fieldManager: 'test' });
    const { items } = await client.list(API_VERSION, 'Widget');
    expect(items.map(i => i.metadata.name)).toEqual(['one']);
    expect(seen.map(s => s.user)).toEqual(seen.map(() => 'portal'));
    expect(new Set(seen.map(s => s.http))).toEqual(new Set(['1.1', '2.0']));
    // Not a provider of the user's token: writes stay the service's.
    expect(await clientForWrites(client, {})).toBe(client);
  });

  it('a strategy giving a client certificate authenticates the HTTP/2 connection and the writes', async () => {
    const robot: AuthenticationStrategy = {
      getCredential: async () => ({
        type: 'x509 client certificate',
        ...keys.robot,
      }),
      validateCluster: () => [],
      presentAuthMetadata: () => ({}),
    };
    const client = clientOf({ authProvider: 'robotCert' }, [
      { authProvider: 'robotCert', strategy: robot },
    ]);
    await client.apply(widget('beta', 'two'), { fieldManager: 'test' });
    await client.list(API_VERSION, 'Widget');
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.every(s => s.user === 'robot')).toBe(true);
    expect(seen.some(s => s.http === '2.0')).toBe(true);
  });

  it('localKubectlProxy sends no credential', async () => {
    const client = clientOf({ authProvider: 'localKubectlProxy' });
    await client.list(API_VERSION, 'Widget');
    expect(seen.map(s => s.user)).toEqual([
      'system:anonymous',
      'system:anonymous',
    ]);
  });

  it('reuses the service credential, and asks the strategy again when the cluster answers 401', async () => {
    let calls = 0;
    let current = 'stale-token';
    USERS['stale-token'] = 'portal';
    const rotating: AuthenticationStrategy = {
      getCredential: async (): Promise<KubernetesCredential> => {
        calls += 1;
        return { type: 'bearer token', token: current };
      },
      validateCluster: () => [],
      presentAuthMetadata: () => ({}),
    };
    const client = clientOf({ authProvider: 'rotating' }, [
      { authProvider: 'rotating', strategy: rotating },
    ]);
    await client.list(API_VERSION, 'Widget');
    await client.list(API_VERSION, 'Widget');
    expect(calls).toBe(1);

    // The token expires; the strategy now gives a fresh one.
    expired.add('stale-token');
    current = 'portal-token';
    await client.list(API_VERSION, 'Widget'); // HTTP/2
    expect(calls).toBe(2);
    expired.add('portal-token');
    current = 'stale-token';
    expired.delete('stale-token');
    await client.apply(widget('alpha', 'three'), { fieldManager: 'test' }); // HTTP/1.1
    expect(calls).toBe(3);
    expect(store.has('alpha/three')).toBe(true);
    delete USERS['stale-token'];
  });

  describe('oidc: the signed-in user writes, the service reads', () => {
    const oidc = {
      authProvider: 'oidc',
      oidcTokenProvider: 'okta',
      serviceAccountToken: 'portal-token',
    };
    const aliceHeaders = {
      'backstage-kubernetes-authorization-oidc-okta': 'alice-token',
    };

    it("writes with the user's token from the kubernetes plugin's header; reads stay the service's", async () => {
      const client = clientOf(oidc);
      const writer = await clientForWrites(client, aliceHeaders);
      await writer.apply(widget('alpha', 'mine'), { fieldManager: 'test' });
      expect(
        await writer.get({ ...LOCATOR, namespace: 'alpha', name: 'mine' }),
      ).toBeDefined();
      const patches = seen.filter(s => s.method === 'PATCH');
      expect(patches.map(s => s.user)).toEqual(['alice']);
      const gets = seen.filter(
        s => s.path.endsWith('/widgets/mine') && s.method === 'GET',
      );
      expect(gets.map(s => s.user)).toEqual(['portal']);
      // The cache's lists are the service's.
      seen = [];
      await client.list(API_VERSION, 'Widget');
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every(s => s.user === 'portal')).toBe(true);
    });

    it("answers 403 with the API server's reason when the cluster refuses the user, and nothing is written", async () => {
      const writer = await clientForWrites(clientOf(oidc), aliceHeaders);
      const write = writer.apply(widget('beta', 'theirs'), {
        fieldManager: 'test',
      });
      await expect(write).rejects.toThrow(NotAllowedError);
      await expect(write).rejects.toThrow(
        'cluster test refused the write as the signed-in user: apply Widget beta/theirs: widgets.auth.test.platformops.io "theirs" is forbidden: User "alice" cannot patch resource "widgets" in the namespace "beta"',
      );
      await expect(
        writer.delete({ ...LOCATOR, namespace: 'beta', name: 'x' }),
      ).rejects.toThrow(NotAllowedError);
      expect(store.size).toBe(0);
    });

    it('answers 401 naming the header and the cluster when the token is missing or refused', async () => {
      const client = clientOf(oidc);
      const missing = clientForWrites(client, {
        'backstage-kubernetes-authorization-oidc-other': 'alice-token',
      });
      await expect(missing).rejects.toThrow(AuthenticationError);
      await expect(missing).rejects.toThrow(
        'Backstage-Kubernetes-Authorization-oidc-okta: the header must carry your oidc.okta token for writes to cluster "test", whose authProvider is oidc',
      );
      const refused = await clientForWrites(client, {
        'backstage-kubernetes-authorization-oidc-okta': 'forged',
      });
      const write = refused.apply(widget('alpha', 'x'), {
        fieldManager: 'test',
      });
      await expect(write).rejects.toThrow(AuthenticationError);
      await expect(write).rejects.toThrow(
        /^Backstage-Kubernetes-Authorization-oidc-okta: cluster test did not accept the token/,
      );
      expect(store.size).toBe(0);
    });
  });

  it("google: the user's Google token of the kubernetes plugin's google header", async () => {
    const client = clientOf({
      authProvider: 'google',
      serviceAccountToken: 'portal-token',
    });
    await expect(clientForWrites(client, {})).rejects.toThrow(
      'Backstage-Kubernetes-Authorization-google: the header must carry your google token for writes to cluster "test"',
    );
    const writer = await clientForWrites(client, {
      'backstage-kubernetes-authorization-google': 'alice-token',
    });
    await writer.patchAnnotations(
      { ...LOCATOR, namespace: 'alpha', name: 'g' },
      { a: 'b' },
      { fieldManager: 'test' },
    );
    expect(seen.filter(s => s.method === 'PATCH').map(s => s.user)).toEqual([
      'alice',
    ]);
  });

  it('refuses a strategy registered under a name already taken', () => {
    const strategy = {
      getCredential: async () => ({ type: 'anonymous' as const }),
      validateCluster: () => [],
      presentAuthMetadata: () => ({}),
    };
    expect(() =>
      buildAuthStrategies({
        config: new ConfigReader({}),
        logger: mockServices.logger.mock(),
        added: [{ authProvider: 'oidc', strategy }],
      }),
    ).toThrow('Crossplane auth strategy "oidc" is registered twice');
  });
});
