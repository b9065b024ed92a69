/**
 * A request to a cluster failed for a reason other than bad input or a
 * missing object: unreachable, unauthorized, timed out, or a watch that
 * expired (`statusCode` 410, `reason` "Expired" or "Gone").
 *
 * @public
 */
export class ClusterRequestError extends Error {
  readonly name = 'ClusterRequestError';

  constructor(
    readonly cluster: string,
    message: string,
    readonly statusCode?: number,
    readonly reason?: string,
    readonly cause?: Error,
  ) {
    super(message);
  }

  /** True when a watch must relist: its resourceVersion is too old. */
  get isExpired(): boolean {
    return (
      this.statusCode === 410 ||
      this.reason === 'Expired' ||
      this.reason === 'Gone'
    );
  }
}
