/**
 * The built package and the browser boundary: the manifest asks for exactly what it needs, pages
 * run only packaged code, and neither a Mixpanel page nor anything the content script can read
 * gets a secret; a hostile page cannot start, stop or read a sync.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from '@playwright/test';
import { HOST_PERMISSIONS, MIXPANEL_HOSTS } from '../../lib/permissions';
import type { AppState } from '../../lib/storage/schema';
import { EMULATOR_CREDENTIALS } from '../emulators';
import { seedCohort } from '../emulators/mixpanel';
import { connectAccounts, expect, EXTENSION_PATH, sendFromExtensionPage, test } from './fixtures';

const manifest = () => JSON.parse(readFileSync(join(EXTENSION_PATH, 'manifest.json'), 'utf8')) as Record<string, unknown>;
const SECRETS = [EMULATOR_CREDENTIALS.clevertap.passcode, EMULATOR_CREDENTIALS.mixpanel.secret];

test('the manifest asks for exactly the intended permissions, with a strict CSP and no external connections', () => {
  const built = manifest();
  expect(built['permissions']).toEqual(['storage', 'alarms', 'notifications', 'unlimitedStorage']);
  expect(built['host_permissions']).toEqual([...HOST_PERMISSIONS]);
  expect(built).not.toHaveProperty('optional_permissions');
  expect(built).not.toHaveProperty('externally_connectable');
  expect(built['content_security_policy']).toEqual({
    extension_pages: `script-src 'self'; object-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors ${MIXPANEL_HOSTS.map((host) => `https://${host}`).join(' ')}`,
  });
  const scripts = built['content_scripts'] as { matches: string[]; all_frames?: boolean }[];
  for (const script of scripts) {
    expect(script.all_frames ?? false).toBe(false);
    for (const match of script.matches) expect(MIXPANEL_HOSTS.map((host) => `https://${host}/`).some((prefix) => match.startsWith(prefix))).toBe(true);
  }
  // Only the lazily loaded dialog script and the framed Connect page, only to Mixpanel, only under a per-session URL.
  expect(built['web_accessible_resources']).toEqual([
    {
      resources: ['export-dialog.js', 'connect-frame.html'],
      matches: MIXPANEL_HOSTS.map((host) => `https://${host}/*`),
      use_dynamic_url: true,
    },
  ]);
  // Every script a page loads is in the package.
  for (const file of readdirSync(EXTENSION_PATH).filter((name) => name.endsWith('.html'))) {
    const html = readFileSync(join(EXTENSION_PATH, file), 'utf8');
    for (const [, src] of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) expect(src).toMatch(/^\/(?!\/)/);
  }
});

const HOSTILE_PAGE = `<!doctype html><title>Cohorts</title><body><h1>Cohorts</h1><script>
window.__attempts = (async () => {
  const out = {};
  const id = new URLSearchParams(location.search).get('ext');
  try {
    out.hasRuntime = typeof chrome !== 'undefined' && !!chrome.runtime && typeof chrome.runtime.sendMessage === 'function';
    out.sendMessage = out.hasRuntime
      ? await new Promise((resolve) => { try { chrome.runtime.sendMessage(id, { type: 'state.get' }, (reply) => resolve(reply === undefined ? 'no reply' : JSON.stringify(reply))); } catch (e) { resolve('threw: ' + e.message); } })
      : 'no chrome.runtime on the page';
  } catch (e) { out.sendMessage = 'threw: ' + e.message; }
  for (const message of [
    { type: 'sync.start', cohortId: 9101, cohortName: 'Hijack', syncType: 'dynamic' },
    { type: 'sync.stop', syncId: '1234567:9100' },
    { type: 'state.get' },
  ]) { window.postMessage(message, '*'); window.postMessage({ source: 'cohort-sync', ...message }, '*'); }
  document.dispatchEvent(new CustomEvent('cohort-sync', { detail: { type: 'sync.stop', syncId: '1234567:9100' } }));
  out.localStorage = JSON.stringify({ ...localStorage });
  out.idb = await new Promise((resolve) => {
    const request = indexedDB.open('cohort-sync');
    request.onsuccess = () => { const names = [...request.result.objectStoreNames]; request.result.close(); resolve(names); };
    request.onerror = () => resolve('error');
  });
  out.cookie = document.cookie;
  // Messages to a window are dispatched in order, to every listener: when this last one reaches the
  // page, any content-script listener has already seen (and could have relayed) every one above.
  await new Promise((resolve) => {
    const marker = 'cohort-sync-test-marker-' + Math.random();
    addEventListener('message', function onMarker(event) {
      if (event.data === marker) { removeEventListener('message', onMarker); resolve(); }
    });
    window.postMessage(marker, '*');
  });
  return out;
})();
</script></body>`;

test('a hostile Mixpanel page cannot message the extension or find a secret, and the sync it targets carries on', async ({
  apis,
  context,
  extensionId,
  extensionPage,
  serviceWorker,
}) => {
  const consoleLines: string[] = [];
  serviceWorker.on('console', (message) => consoleLines.push(message.text()));
  apis.mixpanel.pages = async (request, response) => {
    if (!request.url.pathname.startsWith('/project/1234567/hostile')) return false;
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HOSTILE_PAGE);
    return true;
  };
  const seeded = seedCohort(apis.mixpanel.state, { projectId: 1234567, cohortId: 9100, name: 'Target', members: 300 });
  await connectAccounts(extensionPage);
  await sendFromExtensionPage(extensionPage, { type: 'sync.start', cohortId: 9100, cohortName: 'Target', syncType: 'dynamic' });
  await expect.poll(() => syncStates(extensionPage), { timeout: 30_000 }).toEqual({ 9100: 'synced' });

  // Whatever reaches the background from the hostile tab, by message or port.
  await serviceWorker.evaluate(() => {
    const { chrome } = globalThis as unknown as { chrome: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
    const heard: unknown[] = [];
    (globalThis as unknown as { __fromHostile: unknown[] }).__fromHostile = heard;
    const fromHostile = (sender: { url?: string }) => sender.url?.includes('/hostile') === true;
    chrome.runtime.onMessage.addListener((message: unknown, sender: { url?: string }) => {
      if (fromHostile(sender)) heard.push(message);
    });
    chrome.runtime.onConnect.addListener((port: { name: string; sender?: { url?: string } }) => {
      if (port.sender && fromHostile(port.sender)) heard.push({ port: port.name });
    });
  });
  const page = await context.newPage();
  await page.goto(`https://mixpanel.com/project/1234567/hostile?ext=${extensionId}`);
  const attempts = await page.evaluate(() => (window as unknown as { __attempts: Promise<Record<string, unknown>> }).__attempts);
  expect(attempts['hasRuntime']).toBe(false);
  expect(attempts['sendMessage']).toBe('no chrome.runtime on the page');
  expect(attempts['idb']).toEqual([]);
  expect(attempts['localStorage']).toBe('{}');
  // Nothing the page posted reached the background (this round trip is sent after any relay would
  // have been), so nothing started, stopped or changed a sync.
  expect(await syncStates(extensionPage)).toEqual({ 9100: 'synced' });
  expect(await serviceWorker.evaluate(() => (globalThis as unknown as { __fromHostile: unknown[] }).__fromHostile)).toEqual([]);
  expect(apis.clevertap.segment('Mixpanel: Target')?.members.length).toBe(seeded.valid);

  const dump = JSON.stringify([attempts, await workerDump(serviceWorker), consoleLines]);
  for (const secret of SECRETS) expect(dump).not.toContain(secret);
});

async function syncStates(page: Parameters<typeof sendFromExtensionPage>[0]): Promise<Record<number, string>> {
  const reply = await sendFromExtensionPage<{ value: AppState }>(page, { type: 'state.get' });
  return Object.fromEntries(reply.value.syncs.map((sync) => [sync.cohortId, sync.status.state]));
}

/** Every storage area, every IndexedDB store but the secrets, the history's CSVs and the notifications. */
export function workerDump(worker: Worker): Promise<unknown> {
  return worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
    const areas = await Promise.all([chrome.storage.local.get(null), chrome.storage.session.get(null), chrome.storage.sync.get(null)]);
    const notifications = await chrome.notifications.getAll();
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const request = indexedDB.open('cohort-sync');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const stores: Record<string, unknown> = {};
    for (const name of [...db.objectStoreNames].filter((store) => store !== 'secrets')) {
      stores[name] = await new Promise((resolve) => {
        const request = db.transaction(name).objectStore(name).getAll();
        request.onsuccess = () => resolve(request.result);
      });
    }
    const secretStore = await new Promise((resolve) => {
      const request = db.transaction('secrets').objectStore('secrets').count();
      request.onsuccess = () => resolve(request.result);
    });
    db.close();
    return { areas, notifications, stores, secretStore };
  });
}
