/*
 * The client's error mapping against a real HTTPS server in this process
 * that speaks HTTP/2 and HTTP/1.1 like kube-apiserver: every failure ends
 * as the error the cache acts on (relist, retry, ask whether the cluster is
 * up), for both transports.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { isAnswer } from '../cache/ClusterProbe';
import { ClusterRequestError } from './ClusterRequestError';
import {
  KubernetesClusterClient,
  KubernetesTransport,
} from './KubernetesClusterClient';
import { WatchEvent } from './types';
import { Http2SessionPool } from './Http2SessionPool';
import { EC_KEY_ARGS, statusBody } from './apiServerFakes.test-helper';
import { KubeConfig } from '@kubernetes/client-node';

const GROUP = 'errors.test.platformops.io';
const API_VERSION = `${GROUP}/v1`;
const COLLECTION = `/apis/${API_VERSION}/widgets`;
const TOKEN = 'test-token';

type Handler = (
  stream: {
    status(code: number): void;
    write(text: string): void;
    end(text?: string): void;
    destroy(): void;
  },
  query: URLSearchParams,
) => void;

/** A self-signed certificate for 127.0.0.1. */
function certificate(dir: string) {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      ...EC_KEY_ARGS,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}

const status = statusBody;

const widget = (name: string) => ({
  apiVersion: API_VERSION,
  kind: 'Widget',
  metadata: { name, resourceVersion: '7' },
});

describe('KubernetesClusterClient error mapping', () => {
  let dir: string;
  let tls: { key: Buffer; cert: Buffer };
  let server: http2.Http2SecureServer;
  let port: number;
  let handler: Handler;
  /** HTTP/2 connections the server accepted, and the streams it saw. */
  let sessions = 0;
  let streams = 0;
  const clients: KubernetesClusterClient[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'client-errors-'));
    tls = certificate(dir);
    server = http2.createSecureServer({
      ...tls,
      allowHTTP1: true,
      settings: { maxConcurrentStreams: 100 },
    });
    server.on('session', () => {
      sessions += 1;
    });
    server.on('stream', () => {
      streams += 1;
    });
    server.on('request', (req, res) => {
      const url = new URL(req.url, 'https://localhost');
      res.on('error', () => {});
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401).end(status(401, 'Unauthorized', 'no token'));
        return;
      }
      if (url.pathname === `/apis/${API_VERSION}`) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            kind: 'APIResourceList',
            groupVersion: API_VERSION,
            resources: [
              {
                name: 'widgets',
                singularName: 'widget',
                namespaced: false,
                kind: 'Widget',
                verbs: ['get', 'list', 'watch'],
              },
            ],
          }),
        );
        return;
      }
      if (url.pathname !== COLLECTION) {
        res.writeHead(404).end(status(404, 'NotFound', 'no such path'));
        return;
      }
      let code = 200;
      handler(
        {
          status: c => {
            code = c;
          },
          write: text => {
            if (!res.headersSent)
              res.writeHead(code, { 'content-type': 'application/json' });
            res.write(text);
          },
          end: text => {
            if (!res.headersSent)
              res.writeHead(code, { 'content-type': 'application/json' });
            res.end(text ?? '');
          },
          destroy: () => {
            if ('stream' in req && req.stream) {
              (req.stream as http2.ServerHttp2Stream).close(
                http2.constants.NGHTTP2_INTERNAL_ERROR,
              );
            } else req.socket.destroy();
          },
        },
        url.searchParams,
      );
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    clients.forEach(c => c.close());
    await new Promise(resolve => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function clientOf(
    transport: KubernetesTransport,
    options: { port?: number; ca?: Buffer } = {},
  ) {
    const client = KubernetesClusterClient.fromConfig(
      {
        name: 'errors',
        url: `https://127.0.0.1:${options.port ?? port}`,
        authProvider: 'serviceAccount',
        serviceAccountToken: TOKEN,
        caData: (options.ca ?? tls.cert).toString('base64'),
        skipTLSVerify: false,
      },
      { transport },
    );
    clients.push(client);
    return client;
  }

  /** How a watch ended: thrown when it opened, or told to `onDone`. */
  async function watchOutcome(
    client: KubernetesClusterClient,
    events: WatchEvent[] = [],
  ): Promise<Error | undefined> {
    return new Promise((resolve, reject) => {
      client
        .watch(API_VERSION, 'Widget', {}, e => events.push(e), resolve)
        .catch(resolve)
        .catch(reject);
    });
  }

  async function listOutcome(client: KubernetesClusterClient) {
    try {
      await client.list(API_VERSION, 'Widget');
    } catch (error) {
      return error as Error;
    }
    throw new Error('the list succeeded');
  }

  const answered = (code: number, reason: string) =>
    [code, reason] as [number, string];

  describe.each<KubernetesTransport>(['http2', 'http1'])(
    'over %s',
    transport => {
      it('lists every page as the server sends it', async () => {
        handler = (res, query) => {
          const page = query.get('continue') ?? '0';
          const next = page === '0' ? '1' : undefined;
          res.end(
            JSON.stringify({
              kind: 'WidgetList',
              metadata: { resourceVersion: '42', continue: next },
              items: [{ metadata: { name: `w${page}` } }],
            }),
          );
        };
        const result = await clientOf(transport).list(API_VERSION, 'Widget', {
          pageSize: 1,
        });
        expect(result.resourceVersion).toBe('42');
        expect(result.items).toEqual([
          { apiVersion: API_VERSION, kind: 'Widget', metadata: { name: 'w0' } },
          { apiVersion: API_VERSION, kind: 'Widget', metadata: { name: 'w1' } },
        ]);
      });

      it.each([
        answered(401, 'Unauthorized'),
        answered(403, 'Forbidden'),
        answered(429, 'TooManyRequests'),
        answered(500, 'InternalError'),
        answered(503, 'ServiceUnavailable'),
      ])(
        'maps %i to a ClusterRequestError the cache counts as an answer',
        async (code, reason) => {
          handler = res => {
            res.status(code);
            res.end(status(code, reason, `refused with ${code}`));
          };
          const client = clientOf(transport);
          for (const error of [
            await listOutcome(client),
            await watchOutcome(client),
          ]) {
            expect(error).toBeInstanceOf(ClusterRequestError);
            expect(error).toMatchObject({ statusCode: code });
            expect((error as ClusterRequestError).isExpired).toBe(false);
            expect(isAnswer(error)).toBe(true);
          }
          // The API server's own message (client-node drops some bodies).
          const message = (await listOutcome(client)).message;
          expect(
            transport === 'http1' || message.includes(`refused with ${code}`),
          ).toBe(true);
        },
      );

      it.each([
        [404, NotFoundError],
        [409, ConflictError],
        [422, InputError],
      ])('maps %i to its own error class', async (code, errorClass) => {
        handler = res => {
          res.status(code);
          res.end(status(code, 'Whatever', `answer ${code}`));
        };
        const error = await listOutcome(clientOf(transport));
        expect(error).toBeInstanceOf(errorClass);
        expect(error.message).toContain(`answer ${code}`);
        expect(isAnswer(error)).toBe(true);
      });

      it('maps 410 Gone to an expired error: the watcher relists', async () => {
        handler = res => {
          res.status(410);
          res.end(status(410, 'Gone', 'too old resource version'));
        };
        const client = clientOf(transport);
        for (const error of [
          await listOutcome(client),
          await watchOutcome(client),
        ]) {
          expect(error).toBeInstanceOf(ClusterRequestError);
          expect((error as ClusterRequestError).isExpired).toBe(true);
        }
      });

      it('ends a watch with an expired error on an ERROR event of 410', async () => {
        handler = res => {
          res.write(
            `${JSON.stringify({ type: 'ADDED', object: widget('a') })}\n`,
          );
          res.write(
            `${JSON.stringify({
              type: 'ERROR',
              object: JSON.parse(status(410, 'Expired', 'too old')),
            })}\n`,
          );
        };
        const events: WatchEvent[] = [];
        const error = await watchOutcome(clientOf(transport), events);
        expect(events.map(e => [e.type, e.object.metadata.name])).toEqual([
          ['ADDED', 'a'],
        ]);
        expect(error).toBeInstanceOf(ClusterRequestError);
        expect((error as ClusterRequestError).isExpired).toBe(true);
      });

      it('tells a watch the server ended without an error', async () => {
        handler = (res, query) => {
          expect(query.get('watch')).toBe('true');
          expect(query.get('allowWatchBookmarks')).toBe('true');
          res.write(
            `${JSON.stringify({ type: 'BOOKMARK', object: widget('') })}\n`,
          );
          res.end(
            `${JSON.stringify({ type: 'DELETED', object: widget('b') })}\n`,
          );
        };
        const events: WatchEvent[] = [];
        expect(await watchOutcome(clientOf(transport), events)).toBeUndefined();
        expect(events.map(e => e.type)).toEqual(['BOOKMARK', 'DELETED']);
      });

      it('maps a refused connection to an error without an answer', async () => {
        const unused = net.createServer();
        await new Promise<void>(r => unused.listen(0, '127.0.0.1', r));
        const closedPort = (unused.address() as net.AddressInfo).port;
        await new Promise(r => unused.close(r));
        const client = clientOf(transport, { port: closedPort });
        for (const error of [
          await listOutcome(client),
          await watchOutcome(client),
        ]) {
          expect(error).toBeInstanceOf(ClusterRequestError);
          expect((error as ClusterRequestError).statusCode).toBeUndefined();
          expect(isAnswer(error)).toBe(false);
        }
      });

      it('maps a server certificate it does not trust to an error without an answer', async () => {
        const other = certificate(fs.mkdtempSync(path.join(dir, 'other-')));
        const error = await listOutcome(
          clientOf(transport, { ca: other.cert }),
        );
        expect(error).toBeInstanceOf(ClusterRequestError);
        expect((error as ClusterRequestError).statusCode).toBeUndefined();
        expect(error.message).toMatch(/certificate|self.signed/i);
        expect(isAnswer(error)).toBe(false);
      });
    },
  );

  describe('over http2', () => {
    it('ends a watch with an error on a line that is not a watch event', async () => {
      for (const line of ['{"type": "ADDED", "obj', '{"type":"ADDED"}']) {
        handler = res => {
          res.write(
            `${JSON.stringify({ type: 'ADDED', object: widget('a') })}\n`,
          );
          res.write(`${line}\n`);
        };
        const events: WatchEvent[] = [];
        const error = await watchOutcome(clientOf('http2'), events);
        expect(events).toHaveLength(1);
        expect(error).toBeInstanceOf(ClusterRequestError);
        expect(error?.message).toContain('not a watch event');
        expect(isAnswer(error)).toBe(false);
      }
    });

    it('ends a watch with an error when the server resets its stream', async () => {
      handler = res => {
        res.write(
          `${JSON.stringify({ type: 'ADDED', object: widget('a') })}\n`,
        );
        setTimeout(() => res.destroy(), 50);
      };
      const error = await watchOutcome(clientOf('http2'));
      expect(error).toBeInstanceOf(ClusterRequestError);
      expect(error?.message).toContain('watch stream broke');
    });

    it('reports an error with its message when a list is not JSON', async () => {
      handler = res => res.end('<html>proxy error</html>');
      const error = await listOutcome(clientOf('http2'));
      expect(error).toBeInstanceOf(ClusterRequestError);
      expect(error.message).toContain('not JSON');
    });

    it('carries 250 watches on ceil(250 / 100) connections', async () => {
      // Each watch stays open with no events.
      handler = res => res.write('');
      const client = clientOf('http2');
      const before = { sessions, streams };
      // Discovery (HTTP/1.1) is cached after the first list.
      handler = res => res.end('{"items": [], "metadata": {}}');
      await client.list(API_VERSION, 'Widget');
      handler = res => res.write('');
      const handles = await Promise.all(
        Array.from({ length: 250 }, () =>
          client.watch(
            API_VERSION,
            'Widget',
            {},
            () => {},
            () => {},
          ),
        ),
      );
      expect(streams - before.streams).toBe(251);
      expect(sessions - before.sessions).toBe(3);
      handles.forEach(h => h.stop());
    });

    it('maps a connection that breaks and is then refused to errors without an answer, and connects again once the server is back', async () => {
      const sockets = new Set<net.Socket>();
      const proxy = net.createServer(socket => {
        const upstream = net.connect(port, '127.0.0.1');
        [socket, upstream].forEach(s => {
          sockets.add(s);
          s.on('error', () => {});
        });
        socket.pipe(upstream).pipe(socket);
      });
      await new Promise<void>(r => proxy.listen(0, '127.0.0.1', r));
      const proxyPort = (proxy.address() as net.AddressInfo).port;
      const client = clientOf('http2', { port: proxyPort });
      handler = res => res.write('');
      // Discovery is cached now; the watch holds the HTTP/2 connection.
      const broken = watchOutcome(client);
      await new Promise(r => setTimeout(r, 200));
      await new Promise(r => {
        proxy.close(r);
        sockets.forEach(s => s.destroy());
      });
      const watchError = await broken;
      expect(watchError).toBeInstanceOf(ClusterRequestError);
      expect(isAnswer(watchError)).toBe(false);
      const listError = await listOutcome(client);
      expect(listError).toBeInstanceOf(ClusterRequestError);
      expect(listError.message).toMatch(/ECONNREFUSED/);
      expect(isAnswer(listError)).toBe(false);

      // The server is back on the same address: a new connection serves.
      await new Promise<void>(r => proxy.listen(proxyPort, '127.0.0.1', r));
      handler = res =>
        res.end('{"items": [], "metadata": {"resourceVersion": "9"}}');
      const relisted = await client.list(API_VERSION, 'Widget');
      expect(relisted.resourceVersion).toBe('9');
      await new Promise(r => {
        proxy.close(r);
        sockets.forEach(s => s.destroy());
      });
    });

    it('refuses a server certificate it does not trust on the HTTP/2 connection', async () => {
      const other = certificate(fs.mkdtempSync(path.join(dir, 'other-')));
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromClusterAndUser(
        {
          name: 'errors',
          server: `https://127.0.0.1:${port}`,
          caData: other.cert.toString('base64'),
          skipTLSVerify: false,
        },
        { name: 'errors', token: TOKEN },
      );
      const pool = new Http2SessionPool(kubeConfig);
      await expect(pool.get(COLLECTION)).rejects.toThrow(
        /certificate|self.signed/i,
      );
      pool.close();
    });
  });
});
