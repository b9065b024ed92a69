import * as http2 from 'node:http2';
import type { KubeConfig } from '@kubernetes/client-node';

/**
 * Streams a session takes before the server's SETTINGS say otherwise: what
 * kube-apiserver announces unless `--http2-max-streams-per-connection` is set.
 */
const ASSUMED_MAX_STREAMS = 100;
/** Window of each stream and of the connection: lists arrive in few frames. */
const STREAM_WINDOW = 4 * 1024 * 1024;
const SESSION_WINDOW = 32 * 1024 * 1024;
const DEFAULT_IDLE_MS = 10_000;
const DEFAULT_PING_INTERVAL_MS = 30_000;
const DEFAULT_PING_TIMEOUT_MS = 15_000;

/** The answer of the API server to one request: status and body stream. */
export interface Http2Response {
  status: number;
  stream: http2.ClientHttp2Stream;
}

export interface Http2SessionPoolOptions {
  /** A session without streams for this long is closed. */
  idleMs?: number;
  /** How often a session asks the server for a ping, as client-go does. */
  pingIntervalMs?: number;
  /** A ping unanswered this long ends the session and all its streams. */
  pingTimeoutMs?: number;
}

interface PooledSession {
  session: http2.ClientHttp2Session;
  ready: Promise<void>;
  /** Streams open or being opened on it. */
  active: number;
  /** Told to go away (GOAWAY) or closing: takes no new streams. */
  draining: boolean;
  /** The client certificate it authenticated with, if any. */
  clientCert: string;
  idleTimer?: ReturnType<typeof setTimeout>;
  pingTimer?: ReturnType<typeof setInterval>;
}

/** TLS and auth of requests, from the cluster's KubeConfig. */
interface RequestAuth {
  tls: http2.SecureClientSessionOptions;
  headers: http2.OutgoingHttpHeaders;
}

/**
 * The HTTP/2 connections to one API server, as client-go keeps them: every
 * list and watch of the cluster is a stream on one TLS connection, and a
 * further connection opens only when the server's
 * SETTINGS_MAX_CONCURRENT_STREAMS is reached, so a cluster holds
 * ceil(streams / limit) connections however many kinds it serves. TLS and
 * credentials (tokens, client certificates, exec plugins) come from the same
 * KubeConfig as every other request. A connection whose pings go unanswered
 * is ended, so its watches fail and their watchers reconnect.
 */
export class Http2SessionPool {
  readonly #server: string;
  readonly #kubeConfig: KubeConfig;
  readonly #options: Http2SessionPoolOptions;
  readonly #sessions: PooledSession[] = [];
  #closed = false;

  constructor(kubeConfig: KubeConfig, options: Http2SessionPoolOptions = {}) {
    const server = kubeConfig.getCurrentCluster()?.server;
    if (!server) throw new Error('The KubeConfig has no current cluster');
    this.#server = server;
    this.#kubeConfig = kubeConfig;
    this.#options = options;
  }

  /** Connections open or opening. */
  get sessionCount(): number {
    return this.#sessions.length;
  }

  /** A GET of `path`; resolves once the response headers arrive. */
  async get(path: string): Promise<Http2Response> {
    if (this.#closed) throw new Error('the connection pool is closed');
    const auth = await this.#auth();
    const pooled = this.#acquire(auth.tls);
    let stream: http2.ClientHttp2Stream;
    try {
      await pooled.ready;
      stream = pooled.session.request({
        ...auth.headers,
        ':method': 'GET',
        ':path': path,
        accept: 'application/json',
      });
    } catch (error) {
      this.#release(pooled);
      throw error;
    }
    // Errors also end in 'close', where the owner of the stream learns of them.
    stream.on('error', () => {});
    stream.once('close', () => this.#release(pooled));
    return new Promise<Http2Response>((resolve, reject) => {
      stream.once('response', headers =>
        resolve({ status: Number(headers[':status']), stream }),
      );
      stream.once('error', reject);
      stream.once('close', () =>
        reject(
          new Error(
            `the stream was closed before a response (HTTP/2 code ${stream.rstCode})`,
          ),
        ),
      );
    });
  }

  /** Ends every connection and its streams. */
  close(): void {
    this.#closed = true;
    for (const pooled of [...this.#sessions]) this.#end(pooled);
  }

  async #auth(): Promise<RequestAuth> {
    const opts: {
      headers?: Record<string, string | string[] | number | undefined>;
      auth?: string;
      ca?: Buffer | string;
      cert?: Buffer | string;
      key?: Buffer | string;
      pfx?: Buffer | string;
      passphrase?: string;
      rejectUnauthorized?: boolean;
      servername?: string;
    } = {};
    // Also refreshes the token of an exec or file credential when due.
    await this.#kubeConfig.applyToHTTPSOptions(opts as never);
    const headers: http2.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(opts.headers ?? {})) {
      if (value !== undefined) headers[name.toLowerCase()] = value;
    }
    if (opts.auth) {
      headers.authorization = `Basic ${Buffer.from(opts.auth).toString(
        'base64',
      )}`;
    }
    const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername } =
      opts;
    return {
      headers,
      tls: { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername },
    };
  }

  /** A session with a free stream, opened if none has one; counts the stream. */
  #acquire(tls: http2.SecureClientSessionOptions): PooledSession {
    // A client certificate authenticates the connection, not the stream:
    // a renewed one opens a new connection.
    const clientCert = String(tls.cert ?? '');
    const pooled =
      this.#sessions.find(
        s =>
          !s.draining &&
          s.clientCert === clientCert &&
          s.active < maxStreams(s),
      ) ?? this.#open(tls, clientCert);
    pooled.active += 1;
    if (pooled.idleTimer) clearTimeout(pooled.idleTimer);
    pooled.idleTimer = undefined;
    pooled.session.ref();
    return pooled;
  }

  #release(pooled: PooledSession) {
    pooled.active -= 1;
    if (pooled.active > 0 || pooled.draining) return;
    // An idle connection keeps no process alive (a test, a script).
    pooled.session.unref();
    pooled.idleTimer = setTimeout(
      () => this.#end(pooled),
      this.#options.idleMs ?? DEFAULT_IDLE_MS,
    );
    pooled.idleTimer.unref?.();
  }

  #open(
    tls: http2.SecureClientSessionOptions,
    clientCert: string,
  ): PooledSession {
    const session = http2.connect(this.#server, {
      ...tls,
      settings: { enablePush: false, initialWindowSize: STREAM_WINDOW },
      // In MB: a page of a provider's CRDs (full schemas) is tens of MB.
      maxSessionMemory: 128,
    });
    const pooled: PooledSession = {
      session,
      active: 0,
      draining: false,
      clientCert,
      ready: new Promise<void>((resolve, reject) => {
        session.once('connect', () => resolve());
        session.once('error', reject);
        session.once('close', () =>
          reject(new Error('the connection closed while opening')),
        );
      }),
    };
    // Seen by the streams and by `ready`; unhandled, it would end the process.
    pooled.ready.catch(() => {});
    session.on('error', () => {});
    session.once('connect', () => {
      session.setLocalWindowSize(SESSION_WINDOW);
      this.#startPings(pooled);
    });
    session.on('goaway', () => {
      // Open streams finish; new ones go to another connection.
      pooled.draining = true;
      this.#forget(pooled);
    });
    session.once('close', () => {
      pooled.draining = true;
      this.#forget(pooled);
      if (pooled.idleTimer) clearTimeout(pooled.idleTimer);
      if (pooled.pingTimer) clearInterval(pooled.pingTimer);
    });
    this.#sessions.push(pooled);
    return pooled;
  }

  #startPings(pooled: PooledSession) {
    const timeoutMs = this.#options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS;
    pooled.pingTimer = setInterval(() => {
      const { session } = pooled;
      if (session.closed || session.destroyed) return;
      const timer = setTimeout(
        () =>
          session.destroy(
            new Error(
              `the API server did not answer a ping in ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
      timer.unref?.();
      const sent = session.ping(() => clearTimeout(timer));
      if (!sent) clearTimeout(timer);
    }, this.#options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS);
    pooled.pingTimer.unref?.();
  }

  #end(pooled: PooledSession) {
    pooled.draining = true;
    this.#forget(pooled);
    pooled.session.destroy();
  }

  #forget(pooled: PooledSession) {
    const index = this.#sessions.indexOf(pooled);
    if (index >= 0) this.#sessions.splice(index, 1);
  }
}

function maxStreams(pooled: PooledSession): number {
  const announced = pooled.session.remoteSettings?.maxConcurrentStreams;
  // Before the server's SETTINGS arrive, Node reports no limit at all.
  return announced && announced < 2 ** 31 ? announced : ASSUMED_MAX_STREAMS;
}
