import { ClusterClient } from '../client/types';
import { ClusterRequestError } from '../client/ClusterRequestError';
import { retryDelay } from './backoff';

/** Errors the client throws for an HTTP status the API server sent. */
const ANSWERED_ERRORS = new Set([
  'NotFoundError',
  'ConflictError',
  'InputError',
]);

/**
 * Whether a failed request still got an answer from the API server (an HTTP
 * status): the server is up, only that request failed (a kind whose
 * conversion webhook is down, a 403 for one resource).
 */
export function isAnswer(error: unknown): boolean {
  if (error instanceof ClusterRequestError)
    return error.statusCode !== undefined;
  return error instanceof Error && ANSWERED_ERRORS.has(error.name);
}

export interface ClusterProbeOptions {
  client: Pick<ClusterClient, 'version'>;
  /** The API server answered (a version, or an HTTP error). */
  onAnswer(): void;
  /** The API server did not answer; probed again after `intervalMs`. */
  onNoAnswer(error: Error): void;
  intervalMs?: number;
}

const DEFAULT_INTERVAL_MS = 1000;

/**
 * Asks a cluster's API server for its version, the cheapest request there
 * is: once when a list or watch failed without an answer, then about every
 * `intervalMs` for as long as the server does not answer. Tells a cluster
 * that is down from one kind that fails, and notices within a second when
 * the cluster is back.
 */
export class ClusterProbe {
  readonly #options: ClusterProbeOptions;
  #timer?: ReturnType<typeof setTimeout>;
  #inFlight = false;
  #generation = 0;

  constructor(options: ClusterProbeOptions) {
    this.#options = options;
  }

  /** Probes now, unless a probe is running or due. */
  check(): void {
    if (this.#inFlight || this.#timer) return;
    const generation = this.#generation;
    this.#inFlight = true;
    const { client, onAnswer, onNoAnswer } = this.#options;
    const settle = (error?: unknown) => {
      if (generation !== this.#generation) return;
      this.#inFlight = false;
      if (error === undefined || isAnswer(error)) {
        onAnswer();
        return;
      }
      onNoAnswer(error instanceof Error ? error : new Error(String(error)));
      const interval = this.#options.intervalMs ?? DEFAULT_INTERVAL_MS;
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.check();
      }, retryDelay(0, interval, interval));
    };
    client.version().then(
      () => settle(),
      error => settle(error ?? new Error('version request failed')),
    );
  }

  stop(): void {
    this.#generation += 1;
    this.#inFlight = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
