// One page per service, end to end, on the running portal (scripts/start.sh)
// and the demo content of the local control plane `local`: the service
// payments-api (examples/services.yaml) runs its pods on the simulated
// nodes, a canary of it crash-loops, its settlement pipeline's runs fail
// and it depends on the payments-db claim (tools/controlplane/demo).
// Nothing is created: the demo is only read.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, launchBrowser, open, shot } from './lib/portal.mjs';

const SERVICE = '/catalog/default/component/payments-api';

let browser;
let page;

before(async () => {
  ({ browser, page } = await launchBrowser());
});

after(async () => {
  await browser?.close();
});

/** The rows of one source of the service's roll-up, in the page's order. */
function signalRows(sourceId) {
  return page
    .getByTestId(`rollup-source-${sourceId}`)
    .getByTestId('rollup-signal')
    .allInnerTexts();
}

const isCanaryPod = row => /Pod payments-api-canary-/.test(row);
const isServicePod = row => /Pod payments-api-(?!canary)/.test(row);

test("the demo service's page shows its running pods, the crash-looping one first, its database claim and its failed pipeline run, the cause named", async () => {
  // Pods are scheduled, crash and are reported within minutes of the
  // control plane's start; the page refreshes by itself.
  await eventually(
    async () => {
      await open(page, SERVICE);
      await page
        .getByRole('tab', { name: 'Service health' })
        .or(page.getByRole('link', { name: 'Service health' }))
        .first()
        .click({ timeout: 20_000 });
      await page.getByTestId('rollup-cause').waitFor({ timeout: 30_000 });
      const pods = await signalRows('workloads');
      const runs = await signalRows('jobs');
      const claims = await signalRows('crossplane');
      return (
        pods.some(row => isCanaryPod(row) && /CrashLoopBackOff/.test(row)) &&
        pods.filter(row => isServicePod(row) && /Healthy/.test(row)).length >=
          3 &&
        runs.some(
          row => /payments-settlement/.test(row) && /Degraded/.test(row),
        ) &&
        claims.some(row => /payments-db/.test(row))
      );
    },
    600_000,
    "payments-api's pods, crash loop, failed run and claim on its page",
    5000,
  );
  assert.match(page.url(), /\/service-health$/, 'the "Service health" tab');

  const health = await page.getByTestId('rollup-health').innerText();
  assert.match(health, /Degraded/, `the service is Degraded: ${health}`);
  const cause = await page.getByTestId('rollup-cause').innerText();
  assert.match(
    cause,
    /^Degraded because .*payments-api-canary/,
    `the cause names the crash-looping canary: ${cause}`,
  );

  // Running pods, the crash-looping one above every healthy one.
  const pods = await signalRows('workloads');
  const crashLooping = pods.findIndex(
    row => isCanaryPod(row) && /CrashLoopBackOff/.test(row),
  );
  const running = pods
    .map((row, i) => (isServicePod(row) && /Healthy/.test(row) ? i : -1))
    .filter(i => i >= 0);
  assert.ok(running.length >= 3, `payments-api's 3 pods run: ${pods}`);
  assert.ok(
    crashLooping >= 0 && crashLooping < Math.min(...running),
    `the crash-looping pod comes first: ${pods.join(' | ')}`,
  );
  assert.match(pods[crashLooping], /restarts [1-9]/, 'with its restarts');
  assert.match(pods[crashLooping], /last failure/, 'and its last failure');

  // The claim it depends on, linking to its entity.
  const claim = page
    .getByTestId('rollup-source-crossplane')
    .getByRole('link', { name: /payments-db/ });
  assert.ok(await claim.count(), 'the payments-db claim links to its entity');
  assert.match(
    (await claim.first().getAttribute('href')) ?? '',
    /^\/catalog\/default\//,
  );

  // The settlement pipeline's failed run.
  const runs = await signalRows('jobs');
  assert.ok(
    runs.some(row => /payments-settlement/.test(row) && /Degraded/.test(row)),
    `the failed settlement run: ${runs.join(' | ')}`,
  );

  // The sources in the server's order: worst first.
  const sources = await page
    .locator('[data-testid^="rollup-source-"] h3')
    .allInnerTexts();
  assert.equal(sources.at(-1), 'Crossplane resources', `${sources}`);

  // Away from the sidebar, which opens under the mouse.
  await page.mouse.move(1300, 10);
  await shot(page, 'service-health', page.getByTestId('service-rollup-card'));
});

test('the control-plane page rolls up the services per System and per team, worst first', async () => {
  await eventually(
    async () => {
      await open(page, '/crossplane');
      const systems = page.getByTestId('rollups-by-system');
      await systems.getByTestId('rollup-entity').first().waitFor({
        timeout: 30_000,
      });
      const rows = await systems.getByTestId('rollup-entity').allInnerTexts();
      return rows.some(row => /^\s*Degraded/.test(row) && /payments/.test(row));
    },
    300_000,
    'the payments System shown Degraded',
    5000,
  );

  const systems = await page
    .getByTestId('rollups-by-system')
    .getByTestId('rollup-entity')
    .allInnerTexts();
  const payments = systems.findIndex(row => /payments/.test(row));
  assert.match(systems[payments], /payments-api-canary/, 'its cause named');
  assert.ok(
    systems.slice(0, payments).every(row => /Degraded/.test(row)),
    `worst first: ${systems.join(' | ')}`,
  );

  const teams = page.getByTestId('rollups-by-owner');
  const alpha = teams.getByRole('link', { name: 'team-alpha' });
  assert.equal(
    await alpha.getAttribute('href'),
    '/catalog/default/group/team-alpha',
    "team-alpha's row links to the team",
  );

  await page.mouse.move(1300, 10);
  await shot(page, 'systems-and-teams', page.getByTestId('systems-and-teams'));
});
