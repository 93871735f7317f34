/**
 * A Mixpanel page that is out to get the extension, for real: the fixture app served as
 * https://mixpanel.com/… by the Mixpanel emulator, with a script of the page's own that logs every
 * key, input, change and paste on `document` (capture phase, reading values along composedPath())
 * and that clicks and presses our in-page buttons itself. The user's Passcode, typed with the real
 * keyboard into the framed Connect page, never reaches it; its synthetic clicks and keys on Start
 * Sync, Stop and Disconnect change no state and send no request; it finds none of our shadow roots
 * and cannot fetch the dialog script.
 */
import type { Locator, Page } from '@playwright/test';
import { createEmulators, type EmulatorSet } from '../emulators';
import { DEFAULT_EMULATOR_ACCOUNT } from '../emulators/clevertap';
import { FIXTURE } from '../emulators/mixpanel';
import { FIXTURE_COHORTS, serveMixpanelFixtures } from '../fixtures/mixpanel';
import { syncIdFor, type AppState } from '../../lib/storage/schema';
import { expect, sendFromExtensionPage, test as base } from './fixtures';
import { connectFrames, connectMixpanel, connectedTag, entryOf } from './integrations-page';

const US = FIXTURE.usProject.id;
const INTEGRATIONS = `https://mixpanel.com/project/${US}/view/1/app/integrations`;
const LEXICON = `https://mixpanel.com/project/${US}/view/1/app/lexicon#cohorts`;
const OUR_HOSTS = ['cohort-sync-clevertap', 'cohort-sync-connect', 'cohort-sync-dialog'];

const test = base.extend({
  // eslint-disable-next-line no-empty-pattern
  apis: async ({}, use) => {
    const apis = createEmulators({ mixpanel: { pages: serveMixpanelFixtures } });
    for (const cohort of FIXTURE_COHORTS.slice(0, 6)) {
      apis.mixpanel.seedCohort({ projectId: US, cohortId: cohort.id, name: cohort.name, members: 8 });
    }
    await use(apis);
  },
});

/**
 * The page's own script, there before ours: capture listeners on `document` that keep every key,
 * every inserted text and every value found along the event's composed path.
 */
const KEY_LOGGER = `(() => {
  const log = (window.__heard = []);
  for (const type of ['keydown', 'keypress', 'keyup', 'beforeinput', 'input', 'change', 'paste']) {
    document.addEventListener(type, (event) => {
      const values = [];
      for (const node of event.composedPath()) {
        if (node && typeof node.value === 'string') values.push(node.value);
        if (node && typeof node.textContent === 'string' && node.isContentEditable) values.push(node.textContent);
      }
      log.push({ type, key: event.key ?? null, data: event.data ?? null,
        pasted: event.clipboardData ? event.clipboardData.getData('text') : null, values });
    }, true);
  }
})();`;

interface Heard {
  type: string;
  key: string | null;
  data: string | null;
  pasted: string | null;
  values: string[];
}

const heard = (page: Page) => page.evaluate(() => (window as unknown as { __heard: Heard[] }).__heard.slice());
const forget = (page: Page) => page.evaluate(() => void ((window as unknown as { __heard: Heard[] }).__heard.length = 0));

/** Everything the logger holds as one text: the keys in order, then every value it read. */
function transcript(log: Heard[]): string {
  const keys = log.filter((entry) => entry.type === 'keydown').map((entry) => (entry.key?.length === 1 ? entry.key : ' '));
  return [keys.join(''), ...log.flatMap((entry) => [entry.data ?? '', entry.pasted ?? '', ...entry.values])].join('\n');
}

/** Every run of three characters of `secret` that appears in `text`. */
function sequencesOf(secret: string, text: string): string[] {
  const found: string[] = [];
  for (let start = 0; start + 3 <= secret.length; start += 1) {
    const piece = secret.slice(start, start + 3);
    if (text.includes(piece)) found.push(piece);
  }
  return found;
}


/** What the page itself sees of our UI: our hosts, whether any shadow root of theirs is readable, any frame of ours. */
function pageView(page: Page) {
  return page.evaluate((hostNames) => {
    const hosts: string[] = [];
    let readableRoots = 0;
    const frameSources: string[] = [];
    const visit = (root: Document | ShadowRoot) => {
      for (const element of Array.from(root.querySelectorAll('*'))) {
        if (hostNames.includes(element.localName)) {
          hosts.push(element.localName);
          if (element.shadowRoot) readableRoots += 1;
        }
        if (element instanceof HTMLIFrameElement) frameSources.push(element.src);
        if (element.shadowRoot) visit(element.shadowRoot);
      }
    };
    visit(document);
    return { hosts, readableRoots, frameSources, markup: document.documentElement.outerHTML };
  }, OUR_HOSTS);
}

/** Requests the emulated APIs have answered so far (Mixpanel's web pages not counted). */
function apiRequests(apis: EmulatorSet) {
  return { clevertap: { ...apis.clevertap.stats().requests }, mixpanel: { ...apis.mixpanel.counters.requestsByPath } };
}

async function appState(extension: Page): Promise<AppState> {
  return (await sendFromExtensionPage<{ value: AppState }>(extension, { type: 'state.get' })).value;
}

/**
 * The page's script goes for a button of ours by its label: every such button it can find in our
 * UI (through open shadow roots), and whatever is under the button's spot on screen, get synthetic pointer,
 * mouse and click events, `click()`, and Enter and Space. It reports what it could reach.
 */
async function pageScriptPresses(button: Locator, label: string): Promise<{ reachable: number; underPointer: string | null }> {
  await button.scrollIntoViewIfNeeded();
  const box = await button.boundingBox();
  if (!box) throw new Error(`“${label}” is not on screen`);
  const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  return button.page().evaluate(
    ({ label, point, hostNames }) => {
      /** Inside one of our hosts, through any shadow root on the way (Mixpanel's own buttons are not ours). */
      const insideOurs = (element: Element) => {
        for (let node: Node | null = element; node; node = node instanceof ShadowRoot ? node.host : node.parentNode) {
          if (node instanceof Element && hostNames.includes(node.localName)) return true;
        }
        return false;
      };
      const found: Element[] = [];
      const visit = (root: Document | ShadowRoot) => {
        for (const element of Array.from(root.querySelectorAll('button,[role="button"]'))) {
          if (element.textContent?.trim() === label && insideOurs(element)) found.push(element);
        }
        for (const element of Array.from(root.querySelectorAll('*'))) if (element.shadowRoot) visit(element.shadowRoot);
      };
      visit(document);
      // The deepest element under the spot, through open shadow roots as far as they go.
      let under = document.elementFromPoint(point.x, point.y);
      while (under?.shadowRoot) {
        const inner = under.shadowRoot.elementFromPoint(point.x, point.y);
        if (!inner || inner === under) break;
        under = inner;
      }
      const init = { bubbles: true, cancelable: true, composed: true, clientX: point.x, clientY: point.y };
      for (const target of new Set([...found, ...(under ? [under] : [])])) {
        for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup']) {
          target.dispatchEvent(type.startsWith('pointer') ? new PointerEvent(type, init) : new MouseEvent(type, init));
        }
        target.dispatchEvent(new MouseEvent('click', init));
        if (target instanceof HTMLElement) target.click();
        for (const key of ['Enter', ' ']) {
          target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, composed: true }));
          target.dispatchEvent(new KeyboardEvent('keyup', { key, bubbles: true, cancelable: true, composed: true }));
        }
      }
      return { reachable: found.length, underPointer: under?.localName ?? null };
    },
    { label, point, hostNames: OUR_HOSTS },
  );
}

/**
 * The same events dispatched right on the button itself, as a script holding the element would:
 * they arrive untrusted, so our UI drops them.
 */
async function syntheticEventsOn(button: Locator): Promise<void> {
  // A handle to the element itself (the page's own queries cannot find it in the closed root).
  const element = await button.elementHandle();
  if (!element) throw new Error('The button went away');
  await element.evaluate((target) => {
    const init = { bubbles: true, cancelable: true, composed: true };
    for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup']) {
      target.dispatchEvent(type.startsWith('pointer') ? new PointerEvent(type, init) : new MouseEvent(type, init));
    }
    target.dispatchEvent(new MouseEvent('click', init));
    if (target instanceof HTMLElement) target.click();
    for (const key of ['Enter', ' ']) target.dispatchEvent(new KeyboardEvent('keydown', { key, ...init }));
    const form = target instanceof HTMLButtonElement ? target.form : null;
    form?.dispatchEvent(new SubmitEvent('submit', { ...init, submitter: target as HTMLButtonElement }));
  });
  await element.dispose();
}

/**
 * Both kinds of attack on one button; then nothing changed: the stored state and every API's
 * request count are as before (read after a round trip through the background, which handles
 * messages in order).
 */
async function expectNoEffect(
  page: Page,
  extension: Page,
  apis: EmulatorSet,
  button: Locator,
  label: string,
  hostName: string,
): Promise<void> {
  await expect(button).toBeEnabled();
  const before = { state: await appState(extension), requests: apiRequests(apis) };
  const attack = await pageScriptPresses(button, label);
  expect(attack).toEqual({ reachable: 0, underPointer: hostName });
  await syntheticEventsOn(button);
  await sendFromExtensionPage(extension, { type: 'ping' });
  expect(await appState(extension)).toEqual(before.state);
  expect(apiRequests(apis)).toEqual(before.requests);
  expect(page.isClosed()).toBe(false);
}

test('a key logger on the page hears nothing of the Passcode typed into the framed Connect page; entry and popup say Connected', async ({
  context,
  extensionId,
  extensionPage,
}) => {
  await connectMixpanel(extensionPage);
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 400, height: 600 });
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await expect(popup.getByText('CleverTap not connected')).toBeVisible();

  const page = await context.newPage();
  await page.addInitScript(KEY_LOGGER);
  await page.goto(INTEGRATIONS);
  const entry = entryOf(page);
  await expect(entry.getByRole('button', { name: 'Connect', exact: true })).toBeVisible();

  // The logger works: text typed into a field of the page's own is heard, key by key and as a value.
  await page.evaluate(() => {
    const probe = document.createElement('input');
    probe.setAttribute('aria-label', 'Page search');
    document.body.prepend(probe);
  });
  await page.getByLabel('Page search').click();
  await page.keyboard.type('typed-in-the-page');
  expect(sequencesOf('typed-in-the-page', transcript(await heard(page)))).toHaveLength('typed-in-the-page'.length - 2);
  await page.evaluate(() => document.querySelector('input[aria-label="Page search"]')?.remove());
  await forget(page);

  await entry.getByRole('button', { name: 'Connect', exact: true }).click();
  const frame = page.frameLocator('iframe[title="Connect CleverTap"]');
  const dialog = frame.getByRole('dialog', { name: 'Connect CleverTap' });
  await expect(dialog).toBeVisible();
  expect(connectFrames(page)).toHaveLength(1);

  // While it is open the page sees a host of ours, not inside it: no shadow root, no frame address.
  const open = await pageView(page);
  expect(open.hosts).toEqual(expect.arrayContaining(['cohort-sync-clevertap', 'cohort-sync-connect']));
  expect(open.readableRoots).toBe(0);
  expect(open.frameSources.filter((src) => src.startsWith('chrome-extension:'))).toEqual([]);

  // The user types, with the real keyboard, into the framed page.
  await dialog.getByLabel('Project ID').click();
  await page.keyboard.type(DEFAULT_EMULATOR_ACCOUNT.accountId);
  await dialog.getByLabel('Passcode', { exact: true }).click();
  await page.keyboard.type(DEFAULT_EMULATOR_ACCOUNT.passcode);
  await expect(dialog.getByLabel('Region')).toHaveValue(DEFAULT_EMULATOR_ACCOUNT.region);
  await page.keyboard.press('Enter');

  await expect.poll(() => connectFrames(page)).toEqual([]);
  await expect(connectedTag(entry)).toBeVisible();
  await expect(popup.getByText('CleverTap Connected')).toBeVisible();

  const log = await heard(page);
  expect(sequencesOf(DEFAULT_EMULATOR_ACCOUNT.passcode, transcript(log))).toEqual([]);
  expect(log.filter((entry) => entry.type === 'keydown')).toEqual([]);
  const after = await pageView(page);
  expect(after.markup).not.toContain(DEFAULT_EMULATOR_ACCOUNT.passcode);
  expect(after.hosts).toContain('cohort-sync-clevertap');
  expect(after.readableRoots).toBe(0);
});

test('the page’s synthetic clicks and keys on Start Sync, Stop and Disconnect change no state and send no request', async ({
  apis,
  extensionPage,
  context,
}) => {
  const ct = await sendFromExtensionPage(extensionPage, { type: 'clevertap.connect', ...DEFAULT_EMULATOR_ACCOUNT });
  expect(ct).toMatchObject({ ok: true, value: { connected: true } });
  await connectMixpanel(extensionPage);

  const page = await context.newPage();
  await page.goto(INTEGRATIONS);
  const entry = entryOf(page);
  await entry.getByRole('button', { name: 'CleverTap', exact: true }).click();
  await entry.getByRole('button', { name: 'Add Cohort Sync' }).click();
  await entry.getByLabel('Cohort', { exact: true }).selectOption('1003');
  await entry.getByLabel('Dynamic').check();

  // Start Sync: nothing from the page's events; the user's own click starts it.
  const start = entry.getByRole('button', { name: 'Start Sync' });
  await expectNoEffect(page, extensionPage, apis, start, 'Start Sync', 'cohort-sync-clevertap');
  expect((await appState(extensionPage)).syncs).toEqual([]);
  await start.click();
  await expect(entry).toContainText('Dynamic sync of “Trial ending this week” started.');
  await expect
    .poll(async () => (await appState(extensionPage)).syncs.find((sync) => sync.id === syncIdFor(US, 1003))?.status.state, {
      timeout: 30_000,
    })
    .toBe('synced');

  // Stop, and its confirmation.
  const row = entry.getByRole('list', { name: 'Cohort syncs of this project' }).getByRole('listitem').filter({ hasText: 'Trial ending this week' });
  const stop = row.getByRole('button', { name: 'Stop', exact: true });
  await expectNoEffect(page, extensionPage, apis, stop, 'Stop', 'cohort-sync-clevertap');
  await expect(row.getByRole('group', { name: 'Stop Trial ending this week?' })).toHaveCount(0);
  await stop.click();
  const stopSync = row.getByRole('button', { name: 'Stop sync' });
  await expectNoEffect(page, extensionPage, apis, stopSync, 'Stop sync', 'cohort-sync-clevertap');
  expect((await appState(extensionPage)).syncs.map((sync) => sync.id)).toEqual([syncIdFor(US, 1003)]);
  await stopSync.click();
  await expect.poll(async () => (await appState(extensionPage)).syncs.map((sync) => sync.status.state)).not.toContain('synced');

  // Disconnect, and its confirmation.
  const disconnect = entry.getByRole('button', { name: 'Disconnect', exact: true });
  await expectNoEffect(page, extensionPage, apis, disconnect, 'Disconnect', 'cohort-sync-clevertap');
  await expect(entry.getByRole('button', { name: 'Disconnect CleverTap' })).toHaveCount(0);
  await disconnect.click();
  const confirm = entry.getByRole('button', { name: 'Disconnect CleverTap' });
  await expectNoEffect(page, extensionPage, apis, confirm, 'Disconnect CleverTap', 'cohort-sync-clevertap');
  expect((await appState(extensionPage)).connections.clevertap).not.toBeNull();
  await confirm.click();
  await expect.poll(async () => (await appState(extensionPage)).connections.clevertap).toBeNull();
  await expect(connectedTag(entry)).toHaveCount(0);
});

test('the export dialog over a cohort menu: closed to the page, deaf to its synthetic Start Sync and Escape', async ({
  apis,
  extensionPage,
  context,
}) => {
  const ct = await sendFromExtensionPage(extensionPage, { type: 'clevertap.connect', ...DEFAULT_EMULATOR_ACCOUNT });
  expect(ct).toMatchObject({ ok: true, value: { connected: true } });
  await connectMixpanel(extensionPage);

  const page = await context.newPage();
  await page.goto(LEXICON);
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Trial ending this week', exact: true }) });
  await row.first().getByRole('button', { name: 'More actions' }).click();
  await page.getByRole('menu', { name: 'Cohort actions' }).getByRole('menuitem', { name: 'Export to…' }).hover();
  await page.getByRole('menuitem', { name: 'CleverTap (Cohort Sync)', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Export to CleverTap' });
  await expect(dialog).toBeVisible();

  const view = await pageView(page);
  expect(view.hosts).toContain('cohort-sync-dialog');
  expect(view.readableRoots).toBe(0);

  await dialog.getByLabel('Dynamic sync (every 15 minutes)').check();
  const start = dialog.getByRole('button', { name: 'Start Sync' });
  await expectNoEffect(page, extensionPage, apis, start, 'Start Sync', 'cohort-sync-dialog');
  expect((await appState(extensionPage)).syncs).toEqual([]);

  // A synthetic Escape, on the window or the document, does not close it; the user's does.
  await page.evaluate(() => {
    for (const target of [window, document]) {
      target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true, composed: true }));
    }
  });
  await expect(dialog).toBeVisible();
  await start.click();
  await expect(dialog).toContainText('Dynamic sync (every 15 minutes) started.');
  await page.keyboard.press('Escape');
  await expect.poll(async () => (await pageView(page)).hosts).not.toContain('cohort-sync-dialog');
});

test('the dialog script and the Connect page cannot be fetched from the page at their fixed addresses', async ({
  context,
  extensionId,
  extensionPage,
}) => {
  const page = await context.newPage();
  await page.goto(INTEGRATIONS);
  // The content script has loaded the dialog script (the entry is drawn by it), under its per-session URL.
  await expect(entryOf(page).getByRole('button', { name: 'Connect', exact: true })).toBeVisible();
  for (const file of ['export-dialog.js', 'connect-frame.html']) {
    const url = `chrome-extension://${extensionId}/${file}`;
    const fromPage = await page.evaluate(
      (address) =>
        fetch(address).then(
          (response) => `status ${response.status}`,
          (error: Error) => `failed: ${error.name}`,
        ),
      url,
    );
    expect(fromPage).toBe('failed: TypeError');
    // The file is there: the extension's own page reads it.
    const fromExtension = await extensionPage.evaluate((address) => fetch(address).then((response) => response.status), url);
    expect(fromExtension).toBe(200);
  }
});
