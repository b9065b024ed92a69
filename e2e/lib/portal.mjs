// Shared helpers of the end-to-end tests: the browser, signing in to the
// running portal, screenshots, and admin access to the local control planes
// (test setup and cleanup only; the portal uses its own identity).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import { chromium } from 'playwright-core';

export const PORTAL = process.env.PORTAL_URL ?? 'http://localhost:3000';
export const SCREENSHOTS = process.env.E2E_SCREENSHOTS;
export const CLUSTER = process.env.E2E_CLUSTER ?? 'local';
export const CLUSTER_V2 = process.env.E2E_CLUSTER_V2 ?? 'local-v2';

/** Debian's Chromium, headless, with a page the size of a laptop screen. */
export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({
    viewport: { width: 1400, height: 1000 },
  });
  return { browser, page };
}

/** Opens a portal path, signing in as the guest when asked to. */
export async function open(page, path) {
  await page.goto(`${PORTAL}${path}`, { waitUntil: 'networkidle' });
  const enter = page.locator('button:has-text("Enter")');
  await enter.waitFor({ timeout: 10_000 }).catch(() => undefined);
  if (await enter.count()) await enter.click();
}

/**
 * A PNG of the page (or of one element of it) into $E2E_SCREENSHOTS, when
 * set.
 */
export async function shot(page, name, element) {
  if (!SCREENSHOTS) return;
  const path = `${SCREENSHOTS}/${name}.png`;
  if (element) await element.screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
}

/**
 * A request to a local control-plane instance with its admin token; the
 * parsed JSON answer and the status. Undefined when the instance is absent.
 */
export function kubeRequest(instance, method, path, body, contentType) {
  const dir = `.controlplane/${instance}`;
  if (!fs.existsSync(`${dir}/token`)) return Promise.resolve(undefined);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        hostname: '127.0.0.1',
        port: Number(fs.readFileSync(`${dir}/port`, 'utf8').trim()),
        path,
        method,
        ca: fs.readFileSync(`${dir}/ca.crt`),
        headers: {
          Authorization: `Bearer ${fs
            .readFileSync(`${dir}/token`, 'utf8')
            .trim()}`,
          Accept: 'application/json',
          ...(payload
            ? { 'Content-Type': contentType ?? 'application/json' }
            : {}),
        },
      },
      res => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', chunk => (text += chunk));
        res.on('end', () => {
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, body: json });
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Deletes an object from a local control-plane instance; best effort. */
export async function deleteFromLocalControlPlane(instance, path) {
  await kubeRequest(instance, 'DELETE', path).catch(() => undefined);
}

/** Calls `check` until it returns a truthy value, or fails after `timeoutMs`. */
export async function eventually(check, timeoutMs, what, intervalMs = 2000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not within ${timeoutMs / 1000} s${
          last ? ` (${last.message})` : ''
        }`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}

/**
 * Chooses `namespace` in a generated form's namespace picker (a select of
 * the namespaces the user may create in, read live; the only one offered
 * is chosen for the user already).
 */
export async function chooseNamespace(page, namespace) {
  const value = page.getByTestId('namespace-picker');
  await value.waitFor({ state: 'attached', timeout: 60_000 });
  if ((await value.inputValue()) === namespace) return;
  await value.locator('xpath=preceding-sibling::*[@role="button"]').click();
  await page.getByRole('option', { name: namespace, exact: true }).click();
}

/**
 * The token entity names carry for the demo's storage.platformops.io (see
 * objectEntityName in crossplane-common).
 */
export const STORAGE_GROUP = 'storage-0828ad';

/** Whether an object's Ready condition is True. */
export const isReady = object =>
  object?.status?.conditions?.some(
    c => c.type === 'Ready' && c.status === 'True',
  );

/** An object of a local control-plane instance; undefined when absent. */
export async function readObject(instance, path) {
  const res = await kubeRequest(instance, 'GET', path);
  return res?.status === 200 ? res.body : undefined;
}

/** Opens an entity page once the catalog has it and its status card loaded. */
export async function openEntity(page, path, timeoutMs = 180_000) {
  await eventually(
    async () => {
      await open(page, path);
      return page
        .getByTestId('crossplane-action-edit')
        .waitFor({ timeout: 20_000 })
        .then(() => true);
    },
    timeoutMs,
    `the status card of ${path}`,
    1000,
  );
}

/** A status card button, once the capabilities have been checked. */
export async function enabledAction(page, operation) {
  const button = page.getByTestId(`crossplane-action-${operation}`);
  await eventually(
    () => button.isEnabled(),
    30_000,
    `${operation} is offered`,
    500,
  );
  return button;
}

/**
 * In an open Edit dialog: chooses `to` for the select of parameter `name`
 * and previews; the diff must replace its value `from` with `to`.
 */
export async function previewParameterEdit(page, dialog, name, from, to) {
  const select = dialog.locator(`#root_parameters_${name}`);
  await select.waitFor({ timeout: 30_000 });
  await select.click();
  await page.getByRole('option', { name: to, exact: true }).click();

  await dialog.getByRole('button', { name: 'Preview edit' }).click();
  const diff = dialog.getByTestId('edit-diff');
  await diff.waitFor({ timeout: 30_000 });
  const removed = await diff.locator('[data-diff="removed"]').allInnerTexts();
  const added = await diff.locator('[data-diff="added"]').allInnerTexts();
  assert.ok(
    removed.some(line => line.includes(`${name}: ${from}`)),
    `the diff removes the old value: ${removed}`,
  );
  assert.ok(
    added.some(line => line.includes(`${name}: ${to}`)),
    `the diff adds the new value: ${added}`,
  );
}

/**
 * In an open Delete dialog: `button` waits for the object's name, typed
 * exactly, which is then typed.
 */
export async function typeNameToConfirm(dialog, button, name) {
  assert.ok(await button.isDisabled(), 'not before the name is typed');
  await dialog.getByLabel('Confirm name').fill(`${name}-typo`);
  assert.ok(await button.isDisabled(), 'not with another name');
  await dialog.getByLabel('Confirm name').fill(name);
}
