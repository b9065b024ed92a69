/*
 * The day-2 routes (deletion impact and delete, revision upgrades,
 * timeline, capabilities, pause) and the actions registry as a hostile
 * user tries them, behind real auth and the real permission backend, on
 * the local control plane (itest).
 *
 * Users (the test's policy; everything but crossplane.* allowed):
 * - alice, of team-alpha: crossplane.* only in namespace team-alpha;
 * - mallory: no crossplane.* permission at all.
 *
 * The test creates (admin) a claim in each team namespace and one of
 * team-alpha's delivered through Git, all named `day2-sec-`, with a canary
 * value in annotations that no answer may hold, and removes them at the end.
 */
import {
  getResourceRefs,
  type KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import { capturingRootLogger } from '../__testUtils__/capturingRootLogger';
import { waitForComposed } from '../__testUtils__/clusterWaits';
import { connectControlPlane, ITEST } from '../__testUtils__/controlPlane';
import {
  BUCKET,
  bucketClaim,
  NOP,
  XBUCKET,
} from '../__testUtils__/demoObjects';
import { createIdentityProvider } from '../__testUtils__/identityProvider';
import { leaksOf, newCanary } from '../__testUtils__/leaks';
import {
  portalClient,
  PortalClient,
  queryOf,
  Reply,
} from '../__testUtils__/portalClient';
import { startPortalBackend } from '../__testUtils__/startPortalBackend';
import { teamNamespacePolicy } from '../__testUtils__/teamNamespacePolicy';
import { teamOrg } from '../__testUtils__/teamOrg';

jest.setTimeout(600_000);

const CLUSTER = ITEST;
const ALICE = 'user:default/alice';
const MALLORY = 'user:default/mallory';

/** Planted in annotations; unique per run, never sent by the test. */
const CANARY = newCanary();

type ObjectName = {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
};

const ALPHA = { ...BUCKET, namespace: 'team-alpha', name: 'day2-sec-alpha' };
const BETA = { ...BUCKET, namespace: 'team-beta', name: 'day2-sec-beta' };
/** team-alpha's claim that Argo CD delivers. */
const GITOPS = { ...BUCKET, namespace: 'team-alpha', name: 'day2-sec-gitops' };

/** alice acts on Crossplane objects in team-alpha only; all else allowed. */
const policyModule = teamNamespacePolicy({
  moduleId: 'day2-security-test-policy',
  namespaces: { [ALICE]: ['team-alpha'] },
});

const ORG = teamOrg({ alice: ['team-alpha'], mallory: [] });

/** Signs that an answer tells more than it should. */
const leaksIn = (text: string) => leaksOf(text, CANARY);

/** What an object's owner would notice had changed. */
const fingerprint = (object: KubernetesObject | undefined) =>
  object && {
    uid: object.metadata.uid,
    generation: object.metadata.generation,
    deletionTimestamp: object.metadata.deletionTimestamp,
    annotations: Object.fromEntries(
      Object.entries(object.metadata.annotations ?? {}).filter(
        ([key]) => !key.startsWith('crossplane.io/external-'),
      ),
    ),
  };

describe('Day-2 operations against a hostile user', () => {
  let admin: KubernetesClusterClient;
  let api: PortalClient;
  let stop: (() => Promise<void>) | undefined;
  /** team-beta's composite (cluster-scoped) and managed resource. */
  let betaXr: ObjectName;
  let betaMr: ObjectName;
  const log = capturingRootLogger();
  const identity = createIdentityProvider();

  const send = (
    user: string,
    method: 'GET' | 'POST',
    route: string,
    body?: string,
  ): Promise<Reply> => api.send(user, method, route, body);

  const get = (route: string, params: Record<string, unknown>, user = ALICE) =>
    send(user, 'GET', `crossplane/${route}?${queryOf(params)}`);
  const post = (route: string, body: unknown, user = ALICE) =>
    send(user, 'POST', `crossplane/${route}`, JSON.stringify(body));

  /** The answer of every day-2 path to one identity, as alice sends it. */
  async function everyPath(o: Record<string, unknown>) {
    const id = { cluster: CLUSTER.name, ...o };
    return {
      deletion: await get('deletion', id),
      delete: await post('delete', { ...id, confirm: o.name }),
      upgrade: await post('upgrade', { objects: [id] }),
      form: await get('edit', id),
      edit: await post('edit', { ...id, values: {}, dryRun: true }),
      timeline: await get('timeline', id),
      capabilities: await get('capabilities', id),
      pause: await post('pause', id),
      action: await post(
        '.backstage/actions/v1/actions/crossplane:pause-crossplane-resource/invoke',
        id,
      ),
    };
  }

  const states = async (objects: ObjectName[]) =>
    Promise.all(objects.map(async o => fingerprint(await admin.get(o))));

  const createClaim = (
    o: typeof ALPHA,
    annotations: Record<string, string> = {},
  ) =>
    admin.apply(
      bucketClaim(o, { 'example.org/token': CANARY, ...annotations }),
      { fieldManager: 'day2-security-test', force: true },
    );
  const composed = (o: ObjectName) => waitForComposed(admin, o);

  beforeAll(async () => {
    const cp = connectControlPlane(CLUSTER);
    admin = cp.admin;
    await createClaim(ALPHA);
    await createClaim(BETA);
    await createClaim(GITOPS, {
      'argocd.argoproj.io/tracking-id': `apps:storage.platformops.io/ObjectBucket:team-alpha/${GITOPS.name}`,
    });
    await composed(ALPHA);
    await composed(GITOPS);
    betaXr = { ...XBUCKET, name: await composed(BETA) };
    const xr = await admin.get(betaXr);
    const mrName =
      xr && getResourceRefs(xr).find(r => r.kind === NOP.kind)?.name;
    if (!mrName) throw new Error(`${betaXr.name} composes no ${NOP.kind}`);
    betaMr = { ...NOP, name: mrName };

    const started = await startPortalBackend({
      name: 'day2-security',
      cluster: cp.backstageCluster,
      entities: ORG,
      policy: policyModule,
      identity,
      features: [log.factory],
    });
    stop = started.stop;
    api = portalClient({
      port: started.backend.server.port(),
      identity,
      ownership: { [ALICE]: ['group:default/team-alpha'] },
    });
    await api.waitForSync(ALICE);
    for (const o of [ALPHA, GITOPS]) {
      await waitFor(`${o.name} in the cache`, async () => {
        const res = await get('tree', { cluster: CLUSTER.name, ...o });
        return res.status === 200 || undefined;
      });
    }
  });

  afterAll(async () => {
    await stop?.();
    for (const claim of [ALPHA, BETA, GITOPS]) {
      await admin.delete(claim).catch(() => undefined);
    }
  });

  /** team-beta's objects spelled every way a request could spell them. */
  function spellings(): Array<[string, Record<string, unknown>]> {
    const variants: Array<[string, Record<string, unknown>]> = [];
    for (const [what, o] of [
      ['claim', BETA],
      ['composite', betaXr],
      ['managed resource', betaMr],
    ] as const) {
      const [group, version] = o.apiVersion.split('/');
      variants.push(
        [`${what}, exact`, o],
        [`${what}, kind lower case`, { ...o, kind: o.kind.toLowerCase() }],
        [`${what}, kind plural`, { ...o, kind: `${o.kind.toLowerCase()}s` }],
        [`${what}, kind padded`, { ...o, kind: ` ${o.kind} ` }],
        [`${what}, name upper case`, { ...o, name: o.name.toUpperCase() }],
        [`${what}, name padded`, { ...o, name: `${o.name} ` }],
        [`${what}, group omitted`, { ...o, apiVersion: version }],
        [`${what}, other version`, { ...o, apiVersion: `${group}/v1` }],
        [`${what}, in team-alpha`, { ...o, namespace: 'team-alpha' }],
        [`${what}, namespace padded`, { ...o, namespace: ' team-beta' }],
        [`${what}, name as a list`, { ...o, name: [o.name, ALPHA.name] }],
        [`${what}, kind as an object`, { ...o, kind: { kind: o.kind } }],
      );
    }
    return variants;
  }

  it("refuses every day-2 path to team-beta's claim, composite and managed resource, by every spelling, and changes nothing", async () => {
    const beta = [BETA, betaXr, betaMr];
    const before = await states(beta);
    const wrong: string[] = [];
    for (const [label, o] of spellings()) {
      const replies = await everyPath(o);
      for (const [path, reply] of Object.entries(replies)) {
        const where = `${path} of ${label}`;
        if (reply.status >= 500) wrong.push(`${where}: ${reply.status}`);
        for (const leak of leaksIn(reply.text)) {
          wrong.push(`${where}: ${leak}`);
        }
        if (path === 'upgrade' && reply.status === 200) {
          // Named in team-alpha, it is alice's to try: not found there.
          const step = reply.body.steps?.[0];
          const ok =
            step?.outcome === 'refused' ||
            (step?.outcome === 'failed' && /not found/.test(step.message));
          if (!ok) wrong.push(`${where}: ${JSON.stringify(step)}`);
        } else if (path === 'capabilities' && reply.status === 200) {
          const allowed = Object.entries(reply.body)
            .filter(([, c]) => (c as { allowed: boolean }).allowed)
            .map(([operation]) => operation);
          if (allowed.length) wrong.push(`${where}: offers ${allowed}`);
        } else if (![400, 403, 404].includes(reply.status)) {
          wrong.push(`${where}: ${reply.status}`);
        }
        // The actions registry checks an action's input schema itself,
        // with messages of its own that name the field in `path`.
        const message = reply.body?.error?.message ?? '';
        const named =
          /^[\w.[\]]+: /.test(message) ||
          (path === 'action' && /"path": \[\s*"\w+"/.test(message));
        if (reply.status === 400 && !named) {
          wrong.push(`${where}: 400 naming no field (${reply.text})`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(await states(beta)).toEqual(before);
  });

  it('answers a hidden object and a missing one alike', async () => {
    const hidden = await everyPath(BETA);
    const missing = await everyPath({ ...BETA, name: 'day2-sec-nothing' });
    const shape = (reply: Reply) => ({
      status: reply.status,
      body: reply.text
        .split(BETA.name)
        .join('<name>')
        .split('day2-sec-nothing')
        .join('<name>'),
    });
    for (const path of Object.keys(hidden) as Array<keyof typeof hidden>) {
      expect({ path, ...shape(missing[path]) }).toEqual({
        path,
        ...shape(hidden[path]),
      });
    }
  });

  it('refuses a user without any Crossplane permission on her own team claim', async () => {
    const before = await states([ALPHA]);
    const id = { cluster: CLUSTER.name, ...ALPHA };
    const replies = [
      await get('deletion', id, MALLORY),
      await post('delete', { ...id, confirm: ALPHA.name }, MALLORY),
      await get('timeline', id, MALLORY),
      await post('pause', id, MALLORY),
    ];
    expect(replies.map(r => r.status)).toEqual([403, 403, 403, 403]);
    const upgrade = await post('upgrade', { objects: [id] }, MALLORY);
    expect(upgrade.body.steps[0]).toMatchObject({ outcome: 'refused' });
    expect(await states([ALPHA])).toEqual(before);
  });

  it('deletes nothing unless the name is typed again exactly, and names the field', async () => {
    const before = await states([ALPHA]);
    const id = { cluster: CLUSTER.name, ...ALPHA };
    for (const confirm of [
      undefined,
      '',
      ALPHA.name.toUpperCase(),
      ` ${ALPHA.name}`,
      [ALPHA.name],
      { name: ALPHA.name },
      BETA.name,
    ]) {
      const reply = await post('delete', { ...id, confirm });
      expect({ confirm, status: reply.status }).toEqual({
        confirm,
        status: 400,
      });
      expect(reply.body.error.message).toMatch(/^confirm: /);
    }
    expect(await states([ALPHA])).toEqual(before);
  });

  it("deletes the object the body names, not the query's: team-beta's stays", async () => {
    const before = await states([BETA]);
    const reply = await send(
      ALICE,
      'POST',
      `crossplane/delete?${queryOf({ cluster: CLUSTER.name, ...ALPHA })}`,
      JSON.stringify({ cluster: CLUSTER.name, ...BETA, confirm: BETA.name }),
    );
    expect(reply.status).toBe(403);
    expect(await states([BETA])).toEqual(before);
  });

  it('answers bad bodies with a 4xx, never a 5xx or a stack', async () => {
    const huge = JSON.stringify({
      cluster: CLUSTER.name,
      ...ALPHA,
      confirm: ALPHA.name,
      padding: 'x'.repeat(2_000_000),
    });
    const bodies: Array<[string, string]> = [
      ['delete', '{"cluster": "itest", '],
      ['delete', '[]'],
      ['delete', '"day2-sec-alpha"'],
      ['delete', 'null'],
      ['delete', huge],
      ['upgrade', huge],
      ['pause', huge],
      ['upgrade', '{"objects": "day2-sec-alpha"}'],
      ['upgrade', '{"objects": [1]}'],
      ['upgrade', '{"objects": [null]}'],
      ['upgrade', '{"objects": []}'],
      ['upgrade', '{"objects": [{}], "dryRun": "yes"}'],
      ['upgrade', '{"objects": [{}], "waitSeconds": 1e9}'],
    ];
    const wrong: string[] = [];
    for (const [route, body] of bodies) {
      const reply = await send(ALICE, 'POST', `crossplane/${route}`, body);
      const where = `${route} ${body.slice(0, 40)}`;
      if (reply.status < 400 || reply.status >= 500) {
        wrong.push(`${where}: ${reply.status}`);
      }
      for (const leak of leaksIn(reply.text)) wrong.push(`${where}: ${leak}`);
    }
    expect(wrong).toEqual([]);
    expect(await admin.get(ALPHA)).toBeDefined();
  });

  it('bounds an upgrade request, and refuses each of its objects that is not the caller’s', async () => {
    const id = { cluster: CLUSTER.name, ...ALPHA };
    // 10,000 objects are more than a request body may hold...
    const huge = await post('upgrade', {
      objects: Array.from({ length: 10_000 }, () => id),
    });
    expect(huge.status).toBe(413);
    expect(leaksIn(huge.text)).toEqual([]);
    // ... and 101, more than one upgrade may move.
    const many = await post('upgrade', {
      objects: Array.from({ length: 101 }, () => id),
    });
    expect(many.status).toBe(400);
    expect(many.body.error.message).toMatch(/^objects: /);

    const before = await states([BETA, betaXr]);
    const theirs = { cluster: CLUSTER.name, ...betaXr };
    const twice = await post('upgrade', { objects: [theirs, theirs, id] });
    expect(twice.status).toBe(200);
    expect(twice.body.steps.map((s: { outcome: string }) => s.outcome)).toEqual(
      ['refused', 'refused', 'refused'],
    );
    // Not allowed; and alice's own claim is not Manual.
    expect(twice.body.steps[0].message).toMatch(/not allowed/);
    expect(twice.body.steps[2].message).toMatch(/not Manual/);
    expect(await states([BETA, betaXr])).toEqual(before);
  });

  it('never deletes or upgrades an object Git delivers, by any path', async () => {
    const before = await states([GITOPS]);
    const id = { cluster: CLUSTER.name, ...GITOPS };
    for (const dryRun of [true, false]) {
      const reply = await post('delete', { ...id, confirm: id.name, dryRun });
      expect(reply.status).toBe(409);
      expect(reply.body.error.message).toMatch(/Argo CD/);
    }
    const upgrade = await post('upgrade', { objects: [id] });
    expect(upgrade.body.steps[0]).toMatchObject({ outcome: 'refused' });
    const impact = await get('deletion', id);
    expect(impact.status).toBe(200);
    expect(impact.body.gitOps).toBeDefined();
    expect(await states([GITOPS])).toEqual(before);
  });

  it("shows alice her own claim's impact and timeline without Secret data or the canary", async () => {
    const id = { cluster: CLUSTER.name, ...ALPHA };
    // A refused attempt and a dry run, for the timeline to show.
    await post('delete', { ...id, confirm: 'no', dryRun: true });
    await post('delete', { ...id, confirm: id.name, dryRun: true });
    const impact = await get('deletion', id);
    expect(impact.status).toBe(200);
    expect(leaksIn(impact.text)).toEqual([]);
    for (const secret of impact.body.connectionSecrets) {
      expect(Object.keys(secret).sort()).toEqual(
        expect.arrayContaining(['name']),
      );
      expect(Object.keys(secret)).not.toContain('data');
    }
    const timeline = await get('timeline', id);
    expect(timeline.status).toBe(200);
    expect(leaksIn(timeline.text)).toEqual([]);
    const audit = timeline.body.items.filter(
      (e: { source: string }) => e.source === 'audit',
    );
    expect(audit.map((e: { summary: string }) => e.summary)).toEqual(
      expect.arrayContaining([
        'delete (dry run) succeeded',
        expect.stringMatching(/^delete \(dry run\) failed: confirm: /),
      ]),
    );
    expect(
      audit
        .filter((e: { actor: string }) => e.actor === ALICE)
        .map((e: { summary: string }) => e.summary),
    ).toEqual(
      expect.arrayContaining([
        'delete (dry run) succeeded',
        expect.stringMatching(/^delete \(dry run\) failed: confirm: /),
      ]),
    );
  });

  it("keeps alice's history in her claim's timeline however often someone else is refused on it", async () => {
    const id = { cluster: CLUSTER.name, ...ALPHA };
    await post('delete', { ...id, confirm: id.name, dryRun: true });
    // More refused attempts than the retention keeps records of an object.
    for (let i = 0; i < 120; i++) {
      const reply = await post(
        'delete',
        { ...id, confirm: id.name, dryRun: true },
        MALLORY,
      );
      expect(reply.status).toBe(403);
    }
    const timeline = await get('timeline', id);
    const audit = timeline.body.items.filter(
      (e: { source: string }) => e.source === 'audit',
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: ALICE,
          summary: 'delete (dry run) succeeded',
        }),
      ]),
    );
    // Refusals are the auditor's record, not the object's history.
    expect(audit.filter((e: { actor: string }) => e.actor === MALLORY)).toEqual(
      [],
    );
  });

  it('refuses edit values that reach beyond the form: 400 naming the field, the claim unchanged', async () => {
    const id = { cluster: CLUSTER.name, ...ALPHA };
    const form = await get('edit', id);
    expect(form.status).toBe(200);
    expect(leaksIn(form.text)).toEqual([]);
    const values = form.body.values as Record<string, any>;
    const before = await states([ALPHA]);
    const injections: Record<string, unknown>[] = [
      { compositionRef: { name: 'xobjectbuckets-other' } },
      { compositionSelector: { matchLabels: { any: 'x' } } },
      { compositionRevisionRef: { name: 'x' } },
      { compositionUpdatePolicy: 'Automatic' },
      { crossplane: { compositionRef: { name: 'x' } } },
      { writeConnectionSecretToRef: { name: 'x', namespace: 'team-beta' } },
      {
        resourceRef: {
          apiVersion: XBUCKET.apiVersion,
          kind: XBUCKET.kind,
          name: betaXr.name,
        },
      },
      { metadata: { ownerReferences: [{ name: 'x' }] } },
      { annotations: { 'crossplane.io/external-name': 'theirs' } },
      { annotations: { 'argocd.argoproj.io/tracking-id': 'x' } },
      { namespace: 'team-beta' },
      { owner: 'group:default/team-beta' },
    ];
    const wrong: string[] = [];
    for (const injection of injections) {
      for (const [where, body] of [
        ['top level', { ...values, ...injection }],
        [
          'in parameters',
          { ...values, parameters: { ...values.parameters, ...injection } },
        ],
      ] as const) {
        for (const dryRun of [true, false]) {
          const reply = await post('edit', { ...id, values: body, dryRun });
          const what = `${JSON.stringify(injection)} ${where}${
            dryRun ? ' (dry run)' : ''
          }`;
          const key = Object.keys(injection)[0];
          if (reply.status !== 400) {
            wrong.push(`${what}: ${reply.status} ${reply.text.slice(0, 200)}`);
          } else if (!reply.body.error.message.includes(key)) {
            wrong.push(`${what}: names no field (${reply.body.error.message})`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    const live = (await admin.get(ALPHA))!;
    expect(fingerprint(live)).toEqual(before[0]);
    expect(JSON.stringify(live.spec)).not.toContain('team-beta');
  });

  it('edits nothing Git delivers, and previews only for who may edit', async () => {
    const id = { cluster: CLUSTER.name, ...GITOPS };
    const before = await states([GITOPS]);
    const form = await get('edit', id);
    expect(form.status).toBe(200);
    const values = {
      ...form.body.values,
      parameters: { ...form.body.values.parameters, region: 'us-east-1' },
    };
    const real = await post('edit', { ...id, values });
    expect(real.status).toBe(409);
    expect(real.body.error.message).toMatch(/Argo CD/);
    const refused = await post(
      'edit',
      { ...id, values, dryRun: true },
      MALLORY,
    );
    expect(refused.status).toBe(403);
    expect(await states([GITOPS])).toEqual(before);
  });

  it('previews a create only of a claim or XR, in a namespace the user may write, and creates nothing', async () => {
    const xrd = 'xobjectbuckets.storage.platformops.io';
    const parameters = { storageClass: 'STANDARD', region: 'eu-west-1' };
    const name = 'day2-sec-preview';
    const cases: Array<[string, Record<string, unknown>, string?]> = [
      [
        'a Secret',
        { xrd: 'secrets', values: { name, namespace: 'team-alpha' } },
      ],
      [
        'a ClusterRole',
        { xrd: 'clusterroles.rbac.authorization.k8s.io', values: { name } },
      ],
      ['the XRD as a list', { xrd: [xrd], values: { name } }],
      [
        'in kube-system',
        { xrd, values: { name, namespace: 'kube-system', parameters } },
      ],
      [
        'in crossplane-system',
        { xrd, values: { name, namespace: 'crossplane-system', parameters } },
      ],
      [
        "in team-beta's namespace",
        { xrd, values: { name, namespace: 'team-beta', parameters } },
      ],
      [
        'with a composition',
        {
          xrd,
          values: {
            name,
            namespace: 'team-alpha',
            parameters,
            compositionRef: { name: 'x' },
          },
        },
      ],
      [
        'with an annotation',
        {
          xrd,
          values: {
            name,
            namespace: 'team-alpha',
            parameters,
            annotations: { 'argocd.argoproj.io/tracking-id': 'x' },
          },
        },
      ],
      [
        'as mallory',
        { xrd, values: { name, namespace: 'team-alpha', parameters } },
        MALLORY,
      ],
    ];
    const wrong: string[] = [];
    for (const [what, body, user] of cases) {
      const reply = await post(
        'create-preview',
        { cluster: CLUSTER.name, ...body },
        user ?? ALICE,
      );
      // 404: no XRD of that name.
      if (![400, 403, 404].includes(reply.status)) {
        wrong.push(`${what}: ${reply.status} ${reply.text.slice(0, 200)}`);
      } else if (
        reply.status !== 403 &&
        !/^[\w.[\]]+: /.test(reply.body.error.message)
      ) {
        wrong.push(`${what}: names no field (${reply.body.error.message})`);
      }
      for (const leak of leaksIn(reply.text)) wrong.push(`${what}: ${leak}`);
    }
    expect(wrong).toEqual([]);
    for (const namespace of [
      'team-alpha',
      'team-beta',
      'kube-system',
      'crossplane-system',
    ]) {
      expect(await admin.get({ ...BUCKET, namespace, name })).toBeUndefined();
    }
    expect(
      await admin.get({
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: 'team-alpha',
        name,
      }),
    ).toBeUndefined();
  });

  it("keeps team-beta's records out of alice's timelines", async () => {
    // mallory's refused attempt on alice's claim is alice's claim's history;
    // alice's refused attempts on team-beta's claim are not hers to read.
    const betaId = { cluster: CLUSTER.name, ...BETA };
    await post('pause', betaId);
    const theirs = await get('timeline', betaId);
    expect(theirs.status).toBe(403);
    const own = await get('timeline', { cluster: CLUSTER.name, ...ALPHA });
    expect(own.text).not.toContain(BETA.name);
  });

  it('keeps Secret data and the canary out of the backend log', () => {
    expect(
      leaksIn(log.lines.join('\n')).filter(l => l === 'the canary'),
    ).toEqual([]);
  });
});
