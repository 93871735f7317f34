/**
 * The in-page journey in Firefox ESR, against the same emulators and demo world as the Chromium
 * journey (test/e2e/journey.spec.ts): the add-on loads and its item appears in a cohort's "…"
 * menu; the export dialog sends the user to the settings page, where both accounts are connected;
 * a one-time and a dynamic export start from the cohort menu; each CleverTap segment ends up
 * exactly the cohort's valid ids; the dialog and the settings page show Connected and each sync's
 * status; the dynamic sync's own alarm brings joiners in and takes leavers out. Then what differs
 * in Firefox: host access the user withdrew (the sync pauses saying so; Allow access and Resume),
 * the event page suspended when idle (the alarm wakes a new one), and a rejected passcode. The
 * in-page UI is in closed shadow roots that act only on trusted input: the page sees no shadow
 * root, a page script's click changes nothing, the driver's real clicks and keys work; and Connect
 * CleverTap on the Integrations page is the extension's own page framed over Mixpanel's.
 *
 * The steps share one browser and run in order: each needs the one before it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ElementHandle, Page } from 'puppeteer-core';
import { syncIdFor, type AppState, type RunSummary, type Sync } from '../../lib/storage/schema';
import { createDemoWorld, DEMO_COHORTS, DEMO_PROJECT, type DemoWorld } from '../emulators/demo';
import { extensionTabOpenedBy, launchFirefox, sendFromExtensionPage, type FirefoxWithExtension } from './browser';
import { countByRole, fill, frameTitled, getByRole, pageHolds, selectByLabel, textOf, waitForText } from './dom';

const NOTIFICATION_EMAIL = 'firefox@example.com';
const SEGMENT_PREFIX = 'Mixpanel: ';
const ROTATED_PASSCODE = 'emulator-passcode-0002';
const count = (value: number) => value.toLocaleString('en-US');
/** Firefox suspends the idle event page after this long (30 s by default), so suspensions happen during the suite. */
const EVENT_PAGE_IDLE_MS = 4_000;

let world: DemoWorld;
let firefox: FirefoxWithExtension;
let mixpanel: Page;
let options: Page;

beforeAll(async () => {
  world = createDemoWorld();
  firefox = await launchFirefox(world.emulators, { eventPageIdleMs: EVENT_PAGE_IDLE_MS });
  mixpanel = await firefox.browser.newPage();
  await mixpanel.setViewport({ width: 1100, height: 800 });
  await mixpanel.goto(world.cohortsPageUrl);
});

afterAll(async () => {
  await firefox?.close();
});

/** Opens "…" → Export to… → CleverTap on the cohort's row; returns the menu item before clicking it. */
async function openCohortMenu(cohortName: string): Promise<ElementHandle> {
  const header = await getByRole(mixpanel, { role: 'rowheader', name: cohortName });
  const row = (await header.evaluateHandle((cell) => cell.closest('[role="row"]'))) as ElementHandle;
  await (await getByRole(mixpanel, { role: 'button', name: 'More actions', within: row })).click();
  const menu = await getByRole(mixpanel, { role: 'menu', name: 'Cohort actions' });
  await (await getByRole(mixpanel, { role: 'menuitem', name: 'Export to…', within: menu })).hover();
  return getByRole(mixpanel, { role: 'menuitem', name: 'CleverTap (Cohort Sync)' });
}

async function openExportDialog(cohortName: string): Promise<ElementHandle> {
  await (await openCohortMenu(cohortName)).click();
  const dialog = await getByRole(mixpanel, { role: 'dialog', name: 'Export to CleverTap' });
  await waitForText(dialog, new RegExp(`Cohort: ${cohortName}`));
  return dialog;
}

async function closeDialog(dialog: ElementHandle): Promise<void> {
  await dialog.press('Escape');
  await expect.poll(() => countByRole(mixpanel, { role: 'dialog', name: 'Export to CleverTap' })).toBe(0);
}

async function state(): Promise<AppState> {
  return sendFromExtensionPage<AppState>(options, { type: 'state.get' });
}

async function sync(cohortId: number): Promise<Sync> {
  const found = (await state()).syncs.find((candidate) => candidate.id === syncIdFor(DEMO_PROJECT.id, cohortId));
  if (!found) throw new Error(`No sync of cohort ${cohortId}`);
  return found;
}

/** Waits for a finished run of the cohort's sync that `match` accepts. */
async function finishedRun(cohortId: number, match: (run: RunSummary) => boolean, timeout = 120_000): Promise<RunSummary> {
  const syncId = syncIdFor(DEMO_PROJECT.id, cohortId);
  let found: RunSummary | undefined;
  await expect
    .poll(
      async () => {
        const runs = await sendFromExtensionPage<RunSummary[]>(options, { type: 'history.get', syncId });
        found = runs.filter(match).sort((a, b) => b.startedAt - a.startedAt)[0];
        return Boolean(found) && (await sync(cohortId)).status.state !== 'running';
      },
      { timeout, interval: 250 },
    )
    .toBe(true);
  return found!;
}

/** The segment holds exactly the cohort's valid ids, each once; returns its members. */
function expectSegmentExact(cohortId: number, cohortName: string): string[] {
  const name = `${SEGMENT_PREFIX}${cohortName}`;
  const segment = world.apis.clevertap.segment(name);
  expect(segment, `CleverTap segment “${name}”`).toBeDefined();
  const expected = world.expected(cohortId);
  const members = segment!.members;
  expect(new Set(members).size, `“${name}” holds each id once`).toBe(members.length);
  expect([...members].sort(), `“${name}” equals the cohort’s valid ids`).toEqual([...expected].sort());
  return members;
}

/** The sync's row in the settings page's Syncs section, once its text matches `pattern`. */
async function optionsSyncRow(cohortName: string, pattern: RegExp): Promise<string> {
  await options.bringToFront();
  const syncs = await getByRole(options, { role: 'region', name: 'Syncs' });
  const row = await getByRole(options, { role: 'listitem', name: cohortName, within: syncs });
  return waitForText(row, pattern, 30_000);
}

describe('Cohort Sync in Firefox ESR', () => {
  test('the add-on loads: Export to > CleverTap is in the cohort menu', async () => {
    const item = await openCohortMenu(DEMO_COHORTS.vip.name);
    expect(await textOf(item)).toBe('CleverTap (Cohort Sync)');
    await mixpanel.keyboard.press('Escape');
    await expect.poll(() => countByRole(mixpanel, { role: 'menu', name: 'Cohort actions' })).toBe(0);
  });

  test('the export dialog opens the settings page, where both accounts connect and show Connected', async () => {
    const { clevertap, mixpanel: mp } = world.credentials;
    const dialog = await openExportDialog(DEMO_COHORTS.vip.name);
    await waitForText(dialog, /Mixpanel and CleverTap are not connected/);
    const openSettings = await getByRole(mixpanel, { role: 'button', name: 'Open Cohort Sync settings', within: dialog });
    options = await extensionTabOpenedBy(firefox.browser, '/options.html', () => openSettings.click());
    await options.setViewport({ width: 1180, height: 900 });

    const ct = await getByRole(options, { role: 'region', name: /^CleverTap/ });
    await fill(await getByRole(options, { role: 'textbox', name: /^Project ID/, within: ct }), clevertap.accountId);
    await fill(await getByRole(options, { role: 'textbox', name: /^Passcode/, within: ct }), clevertap.passcode);
    await selectByLabel(await getByRole(options, { role: 'combobox', name: /^Region/, within: ct }), 'Europe');
    await (await getByRole(options, { role: 'button', name: 'Connect', within: ct })).click();
    await waitForText(ct, /Connected/);

    const mpRegion = await getByRole(options, { role: 'region', name: /^Mixpanel/ });
    await fill(await getByRole(options, { role: 'textbox', name: /^Service account username/, within: mpRegion }), mp.username);
    await fill(await getByRole(options, { role: 'textbox', name: /^Service account secret/, within: mpRegion }), mp.secret);
    await fill(await getByRole(options, { role: 'textbox', name: /^Project ID/, within: mpRegion }), String(mp.projectId));
    await selectByLabel(await getByRole(options, { role: 'combobox', name: /^Data residency/, within: mpRegion }), 'US');
    await (await getByRole(options, { role: 'button', name: 'Connect', within: mpRegion })).click();
    await waitForText(mpRegion, new RegExp(`Connected.*${DEMO_PROJECT.name}`));

    const settings = await getByRole(options, { role: 'region', name: 'Sync settings' });
    await fill(await getByRole(options, { role: 'textbox', name: /^Notification email/, within: settings }), NOTIFICATION_EMAIL);
    await (await getByRole(options, { role: 'button', name: 'Save settings', within: settings })).click();
    await waitForText(settings, /Settings saved/);

    const connected = await state();
    expect(connected.connections.clevertap).toMatchObject({ accountId: clevertap.accountId, region: clevertap.region });
    expect(connected.connections.mixpanel).toMatchObject({ projectId: mp.projectId, region: 'us' });
    expect(connected.settings.notificationEmail).toBe(NOTIFICATION_EMAIL);

    // Back on Mixpanel, the open dialog sees the connections without a reload.
    await mixpanel.bringToFront();
    await closeDialog(dialog);
  });

  test('a one-time export from the cohort menu makes the segment exactly the cohort', async () => {
    const cohort = DEMO_COHORTS.power;
    const dialog = await openExportDialog(cohort.name);
    await waitForText(dialog, new RegExp(`${count(cohort.members)} users are in this cohort`));
    // The page itself cannot reach the dialog: its host shows no shadow root.
    expect(await mixpanel.evaluate(() => Array.from(document.querySelectorAll('cohort-sync-dialog'), (host) => host.shadowRoot))).toEqual([null]);
    // A page script's click is dropped (the radio stays off); the driver's real click is trusted and lands.
    const dynamic = await getByRole(mixpanel, { role: 'radio', name: /^Dynamic sync/, within: dialog });
    const oneTime = await getByRole(mixpanel, { role: 'radio', name: /^One-time sync/, within: dialog });
    await oneTime.click();
    expect(await oneTime.evaluate((radio) => (radio as HTMLInputElement).checked)).toBe(true);
    const synthetic = await dynamic.evaluate((radio) => {
      (radio as HTMLInputElement).click();
      return (radio as HTMLInputElement).checked;
    });
    expect(synthetic, 'a synthetic click from the page checks the radio').toBe(false);
    await mixpanel.evaluate(() => {
      const scope = globalThis as unknown as { clicksSeen: boolean[] };
      scope.clicksSeen = [];
      window.addEventListener('click', (event) => scope.clicksSeen.push(event.isTrusted), { capture: true });
    });
    await dynamic.click();
    await expect.poll(() => dynamic.evaluate((radio) => (radio as HTMLInputElement).checked)).toBe(true);
    expect(await mixpanel.evaluate(() => (globalThis as unknown as { clicksSeen: boolean[] }).clicksSeen)).toEqual([true]);
    await oneTime.click();
    await expect.poll(() => oneTime.evaluate((radio) => (radio as HTMLInputElement).checked)).toBe(true);
    await (await getByRole(mixpanel, { role: 'button', name: 'Start Sync', within: dialog })).click();
    await waitForText(dialog, /One-time sync started\./);
    // The dialog follows the sync to its end.
    await waitForText(dialog, /One-time sync: Synced/, 120_000);

    const run = await finishedRun(cohort.id, (candidate) => candidate.trigger === 'start');
    expect(run.outcome).toBe('synced');
    expectSegmentExact(cohort.id, cohort.name);
    const expected = world.expected(cohort.id).size;
    expect(run.counts.exported).toBe(expected);
    expect(run.counts.added).toBe(expected);
    expect(run.counts.read).toBe(run.counts.exported + run.counts.skipped.missingId + run.counts.skipped.invalidId + run.counts.skipped.duplicateId);

    const row = await optionsSyncRow(cohort.name, /Synced/);
    expect(row).toMatch(/One-time/);
    expect(row).toMatch(new RegExp(`Exported\\s*${count(expected)}`));
    await mixpanel.bringToFront();
    await closeDialog(dialog);
  });

  test('a dynamic export follows the cohort when its own alarm fires', async () => {
    const cohort = DEMO_COHORTS.vip;
    const alarmName = `sync:${syncIdFor(DEMO_PROJECT.id, cohort.id)}`;
    const dialog = await openExportDialog(cohort.name);
    await (await getByRole(mixpanel, { role: 'radio', name: /^Dynamic sync/, within: dialog })).click();
    await (await getByRole(mixpanel, { role: 'button', name: 'Start Sync', within: dialog })).click();
    await waitForText(dialog, /Dynamic sync .* started\./);
    await waitForText(dialog, /Dynamic sync \(every 15 minutes\): (Synced|Scheduled)/, 120_000);
    const first = await finishedRun(cohort.id, (candidate) => candidate.trigger === 'start');
    expect(first.outcome).toBe('synced');
    expectSegmentExact(cohort.id, cohort.name);
    await closeDialog(dialog);

    // Firefox keeps alarms in memory only; the product re-creates them whenever its background starts.
    const alarm = await options.evaluate(async (name) => {
      const { browser } = globalThis as unknown as { browser: { alarms: { get(name: string): Promise<unknown> } } };
      return browser.alarms.get(name);
    }, alarmName);
    expect(alarm, `alarm ${alarmName}`).toMatchObject({ name: alarmName, periodInMinutes: 15 });

    const change = world.churn(cohort.id, { join: 3, leave: 2 });
    const since = Date.now();
    // The sync's own alarm, due now and still every 15 minutes, fires into the background.
    await options.evaluate(async (name) => {
      const { browser } = globalThis as unknown as {
        browser: { alarms: { create(name: string, info: { when: number; periodInMinutes: number }): void } };
      };
      browser.alarms.create(name, { when: Date.now() + 200, periodInMinutes: 15 });
    }, alarmName);
    const run = await finishedRun(cohort.id, (candidate) => candidate.trigger === 'schedule' && candidate.startedAt >= since);
    expect(run.outcome).toBe('synced');

    const members = new Set(expectSegmentExact(cohort.id, cohort.name));
    const joined = [...change.joined.values()].filter((id): id is string => id !== undefined);
    const left = [...change.left.values()].filter((id): id is string => id !== undefined);
    for (const id of joined) expect(members.has(id), `joiner ${id} is in the segment`).toBe(true);
    for (const id of left) expect(members.has(id), `leaver ${id} is out of the segment`).toBe(false);
    expect(run.counts.added).toBe(joined.length);
    expect(run.counts.removed).toBe(left.length);

    const row = await optionsSyncRow(cohort.name, /Synced/);
    expect(row).toMatch(/Dynamic/);
    expect(row).toMatch(new RegExp(`Added\\s*${joined.length}`));
  });

  test('host access withdrawn: the sync pauses saying so; Allow access on the settings page and Resume bring it back', async () => {
    const cohort = DEMO_COHORTS.vip;
    const alarmName = `sync:${syncIdFor(DEMO_PROJECT.id, cohort.id)}`;
    // What about:addons → Permissions does when the user turns a site off.
    const removed = await options.evaluate(async () => {
      const { browser } = globalThis as unknown as {
        browser: { permissions: { remove(permissions: { origins: string[] }): Promise<boolean> } };
      };
      return browser.permissions.remove({ origins: ['https://api.clevertap.com/*'] });
    });
    expect(removed).toBe(true);
    await options.bringToFront();
    const allow = await getByRole(options, { role: 'button', name: 'Allow access' });
    const notice = (await allow.evaluateHandle((button) => button.closest('.cs-notice'))) as ElementHandle;
    await waitForText(notice, /does not let Cohort Sync reach api\.clevertap\.com\./);

    const change = world.churn(cohort.id, { join: 2, leave: 1 });
    await options.evaluate(async (name) => {
      const { browser } = globalThis as unknown as {
        browser: { alarms: { create(name: string, info: { when: number; periodInMinutes: number }): void } };
      };
      browser.alarms.create(name, { when: Date.now() + 200, periodInMinutes: 15 });
    }, alarmName);
    await expect
      .poll(async () => (await sync(cohort.id)).status, { timeout: 60_000, interval: 250 })
      .toMatchObject({ state: 'paused', reason: expect.stringContaining('does not let Cohort Sync reach api.clevertap.com') });
    await optionsSyncRow(cohort.name, /Paused: The browser does not let Cohort Sync reach api\.clevertap\.com/);

    await allow.click();
    await expect.poll(() => countByRole(options, { role: 'button', name: 'Allow access' }), { timeout: 15_000 }).toBe(0);
    const syncs = await getByRole(options, { role: 'region', name: 'Syncs' });
    const row = await getByRole(options, { role: 'listitem', name: cohort.name, within: syncs });
    await (await getByRole(options, { role: 'button', name: 'Resume', within: row })).click();
    await waitForText(row, /Synced/, 120_000);

    const members = new Set(expectSegmentExact(cohort.id, cohort.name));
    for (const id of change.joined.values()) if (id) expect(members.has(id), `joiner ${id} is in the segment`).toBe(true);
    for (const id of change.left.values()) if (id) expect(members.has(id), `leaver ${id} is out of the segment`).toBe(false);
  });

  test('the event page, suspended by Firefox when idle, comes back for the sync’s alarm and the run lands', async () => {
    const cohort = DEMO_COHORTS.vip;
    const alarmName = `sync:${syncIdFor(DEMO_PROJECT.id, cohort.id)}`;
    const ping = async () => (await sendFromExtensionPage<{ startedAt: number }>(options, { type: 'ping' })).startedAt;
    const firstStart = await ping();
    // Asking less often than the idle timeout: each answer comes from a new event page once Firefox suspended the last.
    await expect.poll(ping, { timeout: 60_000, interval: EVENT_PAGE_IDLE_MS + 1_500 }).not.toBe(firstStart);

    // Alarms belong to Firefox, not to the event page: the sync's is still set, every 15 minutes.
    const alarm = await options.evaluate(async (name) => {
      const { browser } = globalThis as unknown as { browser: { alarms: { get(name: string): Promise<unknown> } } };
      return browser.alarms.get(name);
    }, alarmName);
    expect(alarm, `alarm ${alarmName}`).toMatchObject({ name: alarmName, periodInMinutes: 15 });

    const change = world.churn(cohort.id, { join: 2, leave: 2 });
    const since = Date.now();
    await options.evaluate(async (name) => {
      const { browser } = globalThis as unknown as {
        browser: { alarms: { create(name: string, info: { when: number; periodInMinutes: number }): void } };
      };
      browser.alarms.create(name, { when: Date.now() + 200, periodInMinutes: 15 });
    }, alarmName);
    const run = await finishedRun(cohort.id, (candidate) => candidate.trigger === 'schedule' && candidate.startedAt >= since);
    expect(run.outcome).toBe('synced');
    expect(run.counts.added).toBe([...change.joined.values()].filter(Boolean).length);
    expectSegmentExact(cohort.id, cohort.name);
  });

  test('a passcode CleverTap stops accepting pauses the sync with the reason and a notification; reconnect and Resume', async () => {
    const cohort = DEMO_COHORTS.vip;
    const alarmName = `sync:${syncIdFor(DEMO_PROJECT.id, cohort.id)}`;
    // Headless Firefox closes a notification at once, so getAll() is empty: count them as they are shown or closed.
    await options.evaluate(() => {
      type Event = { addListener(listener: (id: string) => void): void };
      const scope = globalThis as unknown as {
        browser: { notifications: { onShown: Event; onClosed: Event } };
        seenNotifications: Set<string>;
      };
      scope.seenNotifications = new Set();
      scope.browser.notifications.onShown.addListener((id) => scope.seenNotifications.add(id));
      scope.browser.notifications.onClosed.addListener((id) => scope.seenNotifications.add(id));
    });
    const notifications = () =>
      options.evaluate(() => (globalThis as unknown as { seenNotifications: Set<string> }).seenNotifications.size);
    const before = 0;
    world.rotatePasscode(ROTATED_PASSCODE);
    const change = world.churn(cohort.id, { join: 2, leave: 1 });
    await options.evaluate(async (name) => {
      const { browser } = globalThis as unknown as {
        browser: { alarms: { create(name: string, info: { when: number; periodInMinutes: number }): void } };
      };
      browser.alarms.create(name, { when: Date.now() + 200, periodInMinutes: 15 });
    }, alarmName);
    await expect
      .poll(async () => (await sync(cohort.id)).status, { timeout: 120_000, interval: 250 })
      .toMatchObject({ state: 'paused', reason: expect.stringContaining('Passcode rejected by CleverTap (Europe)') });
    await expect.poll(notifications, { timeout: 15_000 }).toBeGreaterThan(before);
    await optionsSyncRow(cohort.name, /Paused: Passcode rejected by CleverTap \(Europe\)/);

    const ct = await getByRole(options, { role: 'region', name: /^CleverTap/ });
    await (await getByRole(options, { role: 'button', name: 'Change credentials', within: ct })).click();
    await fill(await getByRole(options, { role: 'textbox', name: /^Project ID/, within: ct }), world.credentials.clevertap.accountId);
    await fill(await getByRole(options, { role: 'textbox', name: /^Passcode/, within: ct }), ROTATED_PASSCODE);
    await selectByLabel(await getByRole(options, { role: 'combobox', name: /^Region/, within: ct }), 'Europe');
    await (await getByRole(options, { role: 'button', name: 'Connect', within: ct })).click();
    await waitForText(ct, /Connected/);

    const syncs = await getByRole(options, { role: 'region', name: 'Syncs' });
    const row = await getByRole(options, { role: 'listitem', name: cohort.name, within: syncs });
    await (await getByRole(options, { role: 'button', name: 'Resume', within: row })).click();
    await waitForText(row, /Synced/, 120_000);
    const run = (await sync(cohort.id)).lastRun;
    expect(run?.counts.added).toBe([...change.joined.values()].filter(Boolean).length);
    expectSegmentExact(cohort.id, cohort.name);
  });

  test('Connect CleverTap on the Integrations page: the framed extension page, the passcode typed for real, never in the page', async () => {
    const { clevertap } = world.credentials;
    await mixpanel.bringToFront();
    await mixpanel.goto(world.cohortsPageUrl.replace(/\/app\/lexicon#cohorts$/, '/app/integrations'));
    const entry = await getByRole(mixpanel, { role: 'generic', name: 'CleverTap, from the Cohort Sync extension' });
    await waitForText(entry, /✓\s*Connected/);
    await (await getByRole(mixpanel, { role: 'button', name: 'Disconnect', within: entry })).click();
    await (await getByRole(mixpanel, { role: 'button', name: 'Disconnect CleverTap', within: entry })).click();
    await expect.poll(async () => (await state()).connections.clevertap ?? null).toBeNull();

    const framesBefore = mixpanel.frames().length;
    await (await getByRole(mixpanel, { role: 'button', name: 'Connect', within: entry })).click();
    const frame = await frameTitled(mixpanel, 'Connect CleverTap');
    expect(await frame.evaluate(() => location.protocol)).toBe('moz-extension:');
    const dialog = await getByRole(frame, { role: 'dialog', name: 'Connect CleverTap' });
    await fill(await getByRole(frame, { role: 'textbox', name: /^Project ID/, within: dialog }), clevertap.accountId);
    // Typed with the driver's keyboard into the framed page; the field empties as it is sent.
    await fill(await getByRole(frame, { role: 'textbox', name: /^Passcode/, within: dialog }), ROTATED_PASSCODE);
    expect(await pageHolds(mixpanel, ROTATED_PASSCODE), 'the Mixpanel page holds the passcode').toBe(false);
    await selectByLabel(await getByRole(frame, { role: 'combobox', name: /^Region/, within: dialog }), 'Europe');
    await (await getByRole(frame, { role: 'button', name: 'Connect', within: dialog })).click();

    // Connected: the frame goes, the entry says so, and the background holds the connection.
    await expect.poll(() => mixpanel.frames().length, { timeout: 30_000 }).toBe(framesBefore);
    await waitForText(entry, /✓\s*Connected/);
    expect((await state()).connections.clevertap).toMatchObject({ accountId: clevertap.accountId, region: clevertap.region });
    expect(await pageHolds(mixpanel, ROTATED_PASSCODE), 'the Mixpanel page holds the passcode').toBe(false);
  });
});
