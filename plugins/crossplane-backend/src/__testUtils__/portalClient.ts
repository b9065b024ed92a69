import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';

/** A reply: its status, its text as sent, and its body if it is JSON. */
export type Reply = { status: number; text: string; body: any };

/** A query string; an array value is the parameter repeated. */
export function queryOf(params: Record<string, unknown>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined) query.append(key, String(v));
    }
  }
  return query.toString();
}

/**
 * Requests to a started backend's `/api/` as Backstage users, each with
 * the token the identity provider signs for them (none for `undefined`).
 * `ownership` names the groups a user owns through, where it matters.
 */
export function portalClient(options: {
  port: number;
  identity: { userToken(user: string, ownership?: string[]): string };
  ownership?: Record<string, string[]>;
}) {
  const tokens = new Map<string, string>();
  const tokenOf = (user: string) => {
    if (!tokens.has(user)) {
      const groups = options.ownership?.[user];
      tokens.set(
        user,
        options.identity.userToken(user, groups && [user, ...groups]),
      );
    }
    return tokens.get(user)!;
  };

  /**
   * A request as it is sent: `body` is the raw text, if any; `headers` are
   * sent besides the user's token (e.g. a cluster token for writes).
   */
  async function send(
    user: string | undefined,
    method: 'GET' | 'POST',
    route: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const res = await fetch(`http://localhost:${options.port}/api/${route}`, {
      method,
      headers: {
        ...(user ? { Authorization: `Bearer ${tokenOf(user)}` } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body,
    });
    const text = await res.text();
    let parsed: any;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, text, body: parsed };
  }

  const get = (user: string | undefined, route: string) =>
    send(user, 'GET', route);
  const post = (user: string | undefined, route: string, body: unknown) =>
    send(user, 'POST', route, JSON.stringify(body));

  return {
    port: options.port,
    tokenOf,
    send,
    get,
    post,
    /** Waits until the object cache of every configured cluster has synced. */
    async waitForSync(user: string, clusters = 1) {
      await waitFor('the cache of the clusters to sync', async () => {
        const { body } = await get(user, 'crossplane/clusters');
        const items: Array<{ synced: boolean }> = body?.items ?? [];
        return items.length === clusters && items.every(c => c.synced)
          ? true
          : undefined;
      });
    },
    /** Waits until the catalog holds an entity (`kind/namespace/name`). */
    async waitForEntity(user: string, ref: string) {
      await waitFor(`${ref} in the catalog`, async () => {
        const res = await get(user, `catalog/entities/by-name/${ref}`);
        return res.status === 200 ? true : undefined;
      });
    },
  };
}

/** A portal client. */
export type PortalClient = ReturnType<typeof portalClient>;
