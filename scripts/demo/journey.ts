/**
 * The user's whole journey, step by step, in a real Chromium with the built extension against the
 * demo world's emulators. The end-to-end test (test/e2e/journey.spec.ts) and `npm run demo --
 * --headless` run these same steps; each step checks what it claims and returns one line for the
 * report.
 *
 * 1. Options page: connect CleverTap and Mixpanel, set the notification email.
 * 2. Cohorts page: "…" → Export to → CleverTap → One-time sync → Start Sync; the popup shows it
 *    running, then synced with counts; the segment holds exactly the members with valid ids.
 * 3. Another cohort with Dynamic sync; its membership changes; the sync's alarm fires; the segment
 *    follows (joiners in, leavers out) and the history shows the run's adds and removes.
 * 4. The service worker is stopped mid-run; the run completes after it wakes, exactly.
 * 5. The browser restarts on the same profile: the dynamic sync is still scheduled and runs.
 * 6. CleverTap rejects the passcode: the sync pauses with the reason and a notification;
 *    reconnecting and resuming brings the segment up to date.
 */
import { expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { extensionWorker, sendFromExtensionPage, stopServiceWorker } from '../../test/e2e/fixtures';
import { DEMO_COHORTS, DEMO_PROJECT, type ChurnResult, type DemoCohortKey, type DemoWorld } from '../../test/emulators/demo';
import type { StateView as AppState, SyncView as Sync } from '../../lib/messages';
import { syncIdFor, type LastRun, type RunSummary } from '../../lib/storage/schema';
import { BATCH_SIZE, UPLOAD_CONCURRENCY } from '../../lib/sync/deliver';

export interface JourneyOptions {
  world: DemoWorld;
  /** Launches Chromium with the extension on the journey's profile; called again to restart it. */
  launch: () => Promise<BrowserContext>;
  /**
   * How a dynamic sync's next run comes: `fire` re-arms the sync's own alarm (`sync:<project>:<cohort>`)
   * to go off now, and Chrome fires it into the worker; `wait` waits for the alarm's period.
   */
  alarm: 'fire' | 'wait';
  /** The period the extension under test was built with (15 unless the demo shortened it). */
  periodMinutes: number;
  /** Which demo cohort each step uses. */
  cohorts?: Partial<Record<'oneTime' | 'dynamic' | 'stopped', DemoCohortKey>>;
  /** Directory for screenshots; none are taken without it. */
  shots?: string;
  /** A person is watching: pages keep the window's size. */
  headed?: boolean;
}

export interface JourneyStep {
  title: string;
  run: () => Promise<string>;
}

const SEGMENT_PREFIX = 'Mixpanel: ';
const NOTIFICATION_EMAIL = 'demo@example.com';
const ROTATED_PASSCODE = 'emulator-passcode-0002';
const count = (value: number) => value.toLocaleString('en-US');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ChromeInWorker {
  chrome: {
    alarms: {
      get(name: string): Promise<{ name: string; scheduledTime: number; periodInMinutes?: number } | undefined>;
      create(name: string, info: { when?: number; periodInMinutes?: number }): Promise<void>;
    };
    notifications: { getAll(): Promise<Record<string, boolean>> };
  };
}

export class Journey {
  private context?: BrowserContext;
  private extensionId = '';
  private pages: { control?: Page; options?: Page; popup?: Page; mixpanel?: Page } = {};
  private readonly cohorts: Record<'oneTime' | 'dynamic' | 'stopped', (typeof DEMO_COHORTS)[DemoCohortKey]>;

  constructor(private readonly options: JourneyOptions) {
    this.cohorts = {
      oneTime: DEMO_COHORTS[options.cohorts?.oneTime ?? 'power'],
      dynamic: DEMO_COHORTS[options.cohorts?.dynamic ?? 'vip'],
      stopped: DEMO_COHORTS[options.cohorts?.stopped ?? 'churn'],
    };
    if (options.shots) mkdirSync(options.shots, { recursive: true });
  }

  get steps(): JourneyStep[] {
    return [
      { title: '1. Options page: connect CleverTap and Mixpanel', run: () => this.connect() },
      { title: '2. Cohort menu: Export to > CleverTap, one-time sync', run: () => this.oneTimeSync() },
      { title: '3. Dynamic sync follows the cohort when its alarm fires', run: () => this.dynamicSync() },
      { title: '4. A service worker stopped mid-run finishes the run exactly', run: () => this.stoppedWorker() },
      { title: '5. After a browser restart the dynamic sync is still scheduled and runs', run: () => this.restart() },
      { title: '6. A rejected passcode pauses the sync; reconnect and resume', run: () => this.rejectedPasscode() },
    ];
  }

  async start(): Promise<void> {
    this.context = await this.options.launch();
    this.extensionId = new URL((await extensionWorker(this.context)).url()).host;
  }

  /**
   * For a person at the screen (headed demo): connects both accounts on the options page, then
   * leaves the cohorts page and CleverTap's segment page open, the cohorts page in front.
   */
  async showcase(): Promise<void> {
    await this.connect();
    const context = this.ctx();
    for (const page of context.pages()) {
      if (page.url() === 'about:blank') await page.close();
    }
    await this.pages.control?.close();
    const clevertap = await context.newPage();
    await clevertap.goto(this.options.world.cleverTapPageUrl);
    const mixpanel = await this.mixpanelPage();
    await mixpanel.bringToFront();
  }

  async close(): Promise<void> {
    await this.context?.close().catch(() => {});
    this.context = undefined;
    this.pages = {};
  }

  // ── Steps ───────────────────────────────────────────────────────────────────

  private async connect(): Promise<string> {
    const { clevertap, mixpanel } = this.options.world.credentials;
    const page = await this.optionsPage();
    const ct = page.getByRole('region', { name: 'CleverTap' });
    await ct.getByLabel('Project ID').fill(clevertap.accountId);
    await ct.getByLabel('Passcode', { exact: true }).fill(clevertap.passcode);
    await ct.getByLabel('Region').selectOption({ label: 'Europe' });
    await ct.getByRole('button', { name: 'Connect' }).click();
    await expect(ct.getByText('Connected', { exact: true })).toBeVisible();

    const mp = page.getByRole('region', { name: 'Mixpanel' });
    await mp.getByLabel('Service account username').fill(mixpanel.username);
    await mp.getByLabel('Service account secret', { exact: true }).fill(mixpanel.secret);
    await mp.getByLabel('Project ID').fill(String(mixpanel.projectId));
    await mp.getByLabel('Data residency').selectOption({ label: 'US' });
    await mp.getByRole('button', { name: 'Connect' }).click();
    await expect(mp.getByText('Connected', { exact: true })).toBeVisible();
    await expect(mp).toContainText(DEMO_PROJECT.name);

    const settings = page.getByRole('region', { name: 'Sync settings' });
    await settings.getByLabel('Notification email').fill(NOTIFICATION_EMAIL);
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expect(settings.getByText('Settings saved')).toBeVisible();
    await page.evaluate(() => window.scrollTo(0, 0));
    await this.shot(page, 'options.png');
    return `CleverTap ${clevertap.accountId} (Europe) and Mixpanel project ${mixpanel.projectId} “${DEMO_PROJECT.name}” show Connected; notification email ${NOTIFICATION_EMAIL} saved`;
  }

  private async oneTimeSync(): Promise<string> {
    const { world } = this.options;
    const cohort = this.cohorts.oneTime;
    const popup = await this.popupPage();
    const dialog = await this.openExportDialog(cohort.name, 'menu.png');
    await dialog.getByLabel('One-time sync').check();
    await this.shot(dialog.page(), 'dialog.png', dialog);

    // A slow Mixpanel (about a second a page) so that the run is seen running, as on a big project.
    const latency = world.apis.mixpanel.latencyMs.engage;
    const pageSize = world.apis.mixpanel.limits.maxPageSize;
    world.apis.mixpanel.latencyMs.engage = 1000;
    world.apis.mixpanel.limits.maxPageSize = Math.max(100, Math.ceil(cohort.members / 4));
    try {
      await dialog.getByRole('button', { name: 'Start Sync' }).click();
      await expect(dialog).toContainText('One-time sync started.');
      const row = popupRow(popup, cohort.name);
      await expect(row).toContainText('Running', { timeout: 30_000 });
      await expect(row.getByRole('progressbar')).toBeVisible();
      await this.shot(popup, 'popup-running.png');
      await expect(row).toContainText('Synced', { timeout: 120_000 });
    } finally {
      world.apis.mixpanel.latencyMs.engage = latency;
      world.apis.mixpanel.limits.maxPageSize = pageSize;
    }
    const expected = world.expected(cohort.id);
    const row = popupRow(popup, cohort.name);
    await expect(row.locator('dl')).toContainText(new RegExp(`Exported\\s*${count(expected.size)}`));
    await expect(row.locator('dl')).toContainText(new RegExp(`Added\\s*${count(expected.size)}`));
    await this.shot(popup, 'popup-synced.png', popup.locator('.cs-root'));
    await dialog.page().keyboard.press('Escape');

    const segment = this.expectSegment(cohort.name, expected);
    const run = await this.lastRun(cohort.id);
    const skipped = run.counts.skipped;
    await this.cleverTapShot();
    return (
      `“${cohort.name}” (${count(cohort.members)} members, ${count(run.counts.read)} with a profile): popup showed Running, then Synced; ` +
      `${count(run.counts.exported)} exported, skipped ${skipped.missingId} without $CleverTap_user_id, ${skipped.invalidId} with an invalid id; ` +
      `segment “${segment}” holds exactly the ${count(expected.size)} valid ids`
    );
  }

  private async dynamicSync(): Promise<string> {
    const { world } = this.options;
    const cohort = this.cohorts.dynamic;
    const syncId = syncIdFor(DEMO_PROJECT.id, cohort.id);
    const dialog = await this.openExportDialog(cohort.name);
    await dialog.getByLabel(/^Dynamic sync/).check();
    await dialog.getByRole('button', { name: 'Start Sync' }).click();
    await expect(dialog).toContainText(/Dynamic sync .* started\./);
    await dialog.page().keyboard.press('Escape');
    const first = await this.waitForRun(syncId, (run) => run.trigger === 'start', 120_000);
    expect(first.outcome).toBe('synced');
    this.expectSegment(cohort.name, world.expected(cohort.id));
    const sync = await this.sync(syncId);
    expect(sync.type).toBe('dynamic');
    expect(sync.nextRunAt).toBeGreaterThan(Date.now());

    const { change, run } = await this.churnAndRun(cohort.id, { join: 3, leave: 2 });
    const joinedIds = [...change.joined.values()].filter((id): id is string => id !== undefined);
    const leftIds = [...change.left.values()].filter((id): id is string => id !== undefined);
    const members = new Set(this.expectSegment(cohort.name, world.expected(cohort.id), true));
    for (const id of joinedIds) expect(members.has(id), `joiner ${id} is in the segment`).toBe(true);
    for (const id of leftIds) expect(members.has(id), `leaver ${id} is out of the segment`).toBe(false);
    expect(run.counts.added).toBe(joinedIds.length);
    expect(run.counts.removed).toBe(leftIds.length);

    // The history on the options page shows the scheduled run with its adds and removes.
    const options = await this.optionsPage();
    const syncs = options.getByRole('region', { name: 'Syncs' });
    await syncs.getByRole('listitem').filter({ hasText: cohort.name }).getByRole('button', { name: 'History' }).click();
    const history = options.getByRole('region', { name: 'History' });
    const newest = history.getByRole('row').nth(1);
    await expect(newest.getByRole('cell').nth(1)).toHaveText('Scheduled');
    await expect(newest.getByRole('cell').nth(2)).toContainText('Synced');
    await expect(newest.getByRole('cell').nth(6)).toHaveText(count(joinedIds.length));
    await expect(newest.getByRole('cell').nth(7)).toHaveText(count(leftIds.length));
    await history.scrollIntoViewIfNeeded();
    await this.shot(options, 'history.png', history);
    return (
      `“${cohort.name}” synced dynamically; ${change.joined.size} users joined (${joinedIds.length} with an id) and ${change.left.size} left ` +
      `(${leftIds.length} had been exported); ${this.alarmWording()}: +${run.counts.added} −${run.counts.removed}, ` +
      `the segment equals the cohort again and the history shows the scheduled run`
    );
  }

  private async stoppedWorker(): Promise<string> {
    const { world } = this.options;
    const cohort = this.cohorts.stopped;
    const syncId = syncIdFor(DEMO_PROJECT.id, cohort.id);
    const popup = await this.popupPage();
    await popup.getByRole('button', { name: 'Export a cohort…' }).click();
    await popup.getByLabel('Cohort', { exact: true }).selectOption(String(cohort.id));
    await popup.getByLabel('One-time').check();

    // Pages of a twentieth of the cohort, half a second each: the read is certainly under way when the worker stops.
    const latency = world.apis.mixpanel.latencyMs.engage;
    const pageSize = world.apis.mixpanel.limits.maxPageSize;
    world.apis.mixpanel.latencyMs.engage = 500;
    world.apis.mixpanel.limits.maxPageSize = Math.min(1000, Math.max(250, Math.ceil(cohort.members / 20)));
    let stoppedAt: { done: number; total: number };
    try {
      await popup.getByRole('button', { name: 'Start Sync' }).click();
      await expect
        .poll(async () => {
          const status = (await this.sync(syncId).catch(() => undefined))?.status;
          return status?.state === 'running' && status.phase === 'reading' && status.done > 0;
        }, { timeout: 60_000, intervals: [50] })
        .toBe(true);
      const status = (await this.sync(syncId)).status;
      stoppedAt = status.state === 'running' ? { done: status.done, total: status.total } : { done: 0, total: 0 };
      await stopServiceWorker(this.context!, this.extensionId);
    } finally {
      world.apis.mixpanel.latencyMs.engage = latency;
      world.apis.mixpanel.limits.maxPageSize = pageSize;
    }
    // The next message wakes a fresh worker, which resumes the run from its checkpoint.
    await expect.poll(async () => (await this.sync(syncId)).status.state, { timeout: 180_000 }).toBe('synced');
    const expected = world.expected(cohort.id);
    this.expectSegment(cohort.name, expected);
    // New members are upserted while the read goes on: batches whose answer was lost with the worker are
    // sent again (an idempotent upsert), at most once more and at most one full set of in-flight batches.
    const uploads = [...expected].map((identity) => world.apis.clevertap.profile(identity)?.uploads ?? 0);
    const resent = uploads.filter((times) => times > 1).length;
    expect(uploads.every((times) => times >= 1 && times <= 2), 'each profile was uploaded once, or twice if its answer was lost').toBe(true);
    expect(resent, 'profiles sent again').toBeLessThanOrEqual(UPLOAD_CONCURRENCY * BATCH_SIZE);
    await expect(popupRow(popup, cohort.name)).toContainText('Synced');
    await this.shot(popup, 'popup.png', popup.locator('.cs-root'));
    return (
      `“${cohort.name}” (${count(cohort.members)} members): worker stopped after ${count(stoppedAt.done)} of ${count(stoppedAt.total)} profiles were read; ` +
      `the woken worker resumed from its checkpoint and the segment holds exactly the ${count(expected.size)} valid ids; ` +
      `${count(resent)} profiles whose answer was lost with the worker were sent again`
    );
  }

  private async restart(): Promise<string> {
    const cohort = this.cohorts.dynamic;
    const syncId = syncIdFor(DEMO_PROJECT.id, cohort.id);
    await this.close();
    await this.start();
    const worker = await this.worker();
    const alarm = await worker.evaluate(
      (name) => (globalThis as unknown as ChromeInWorker).chrome.alarms.get(name),
      `sync:${syncId}`,
    );
    expect(alarm, 'the dynamic sync’s alarm after the restart').toBeDefined();
    expect(alarm?.periodInMinutes).toBe(this.options.periodMinutes);
    const { change, run } = await this.churnAndRun(cohort.id, { join: 2, leave: 1 });
    this.expectSegment(cohort.name, this.options.world.expected(cohort.id));
    return (
      `browser closed and started again on the same profile: alarm ${alarm?.name} still set, every ${alarm?.periodInMinutes} min; ` +
      `${change.joined.size} joined, ${change.left.size} left; ${this.alarmWording()}: +${run.counts.added} −${run.counts.removed}, segment exact`
    );
  }

  private async rejectedPasscode(): Promise<string> {
    const { world } = this.options;
    const cohort = this.cohorts.dynamic;
    const syncId = syncIdFor(DEMO_PROJECT.id, cohort.id);
    const notificationsBefore = await this.notificationCount();
    world.rotatePasscode(ROTATED_PASSCODE);
    const change = world.churn(cohort.id, { join: 2, leave: 1 });
    const since = Date.now();
    await this.nextScheduledRun(syncId);
    await expect
      .poll(async () => (await this.sync(syncId)).status, { timeout: this.alarmTimeout(since) })
      .toMatchObject({ state: 'paused', reason: expect.stringContaining('Passcode rejected by CleverTap (Europe)') });
    const reason = (await this.sync(syncId)).status as { reason: string };
    await expect.poll(() => this.notificationCount(), { timeout: 15_000 }).toBeGreaterThan(notificationsBefore);
    const popup = await this.popupPage();
    const row = popupRow(popup, cohort.name);
    await expect(row).toContainText('Paused: Passcode rejected by CleverTap (Europe)');
    await this.shot(popup, 'popup-paused.png');

    const options = await this.optionsPage();
    const ct = options.getByRole('region', { name: 'CleverTap' });
    await ct.getByRole('button', { name: 'Change credentials' }).click();
    await ct.getByLabel('Project ID').fill(world.credentials.clevertap.accountId);
    await ct.getByLabel('Passcode', { exact: true }).fill(ROTATED_PASSCODE);
    await ct.getByLabel('Region').selectOption({ label: 'Europe' });
    await ct.getByRole('button', { name: 'Connect' }).click();
    await expect(ct.getByText('Connected', { exact: true })).toBeVisible();

    await popup.bringToFront();
    await row.getByRole('button', { name: 'Resume' }).click();
    await expect(row).toContainText('Synced', { timeout: 120_000 });
    const joinedIds = [...change.joined.values()].filter(Boolean);
    const run = await this.lastRun(cohort.id);
    expect(run.counts.added).toBe(joinedIds.length);
    this.expectSegment(cohort.name, world.expected(cohort.id));
    return (
      `passcode changed in CleverTap: the sync paused with “${reason.reason}” and a notification; ` +
      `reconnected with the new passcode, Resume: +${run.counts.added} −${run.counts.removed}, segment exact`
    );
  }

  // ── Helpers ─────────────────────────────────────────────────────────────────

  private async churnAndRun(cohortId: number, change: { join: number; leave: number }): Promise<{ change: ChurnResult; run: RunSummary }> {
    const syncId = syncIdFor(DEMO_PROJECT.id, cohortId);
    const churned = this.options.world.churn(cohortId, change);
    const since = Date.now();
    await this.nextScheduledRun(syncId);
    const run = await this.waitForRun(syncId, (candidate) => candidate.trigger === 'schedule' && candidate.startedAt >= since, this.alarmTimeout(since));
    expect(run.outcome).toBe('synced');
    return { change: churned, run };
  }

  /** Fires the sync's own alarm now (keeping its period), or leaves it to its schedule. */
  private async nextScheduledRun(syncId: string): Promise<void> {
    if (this.options.alarm === 'wait') return;
    const worker = await this.worker();
    await worker.evaluate(
      async ({ name, period }) => {
        const { alarms } = (globalThis as unknown as ChromeInWorker).chrome;
        if (!(await alarms.get(name))) throw new Error(`No alarm ${name}: the sync is not scheduled`);
        await alarms.create(name, { when: Date.now() + 200, periodInMinutes: period });
      },
      { name: `sync:${syncId}`, period: this.options.periodMinutes },
    );
  }

  private alarmTimeout(since: number): number {
    return this.options.alarm === 'wait' ? since - Date.now() + this.options.periodMinutes * 60_000 + 120_000 : 120_000;
  }

  private alarmWording(): string {
    return this.options.alarm === 'wait' ? `its alarm fired on schedule (every ${this.options.periodMinutes} min)` : 'its alarm fired';
  }

  private async waitForRun(syncId: string, match: (run: RunSummary) => boolean, timeout: number): Promise<RunSummary> {
    let found: RunSummary | undefined;
    await expect
      .poll(async () => {
        const runs = await this.message<RunSummary[]>({ type: 'history.get', syncId });
        found = runs.filter(match).sort((a, b) => b.startedAt - a.startedAt)[0];
        const sync = await this.sync(syncId);
        return Boolean(found) && sync.status.state !== 'running';
      }, { timeout, intervals: [250] })
      .toBe(true);
    return found!;
  }

  private async lastRun(cohortId: number): Promise<LastRun> {
    const run = (await this.sync(syncIdFor(DEMO_PROJECT.id, cohortId))).lastRun;
    if (!run) throw new Error(`Cohort ${cohortId} has no finished run`);
    return run;
  }

  /** The segment holds exactly `expected`, each once; returns its members. */
  private expectSegment(cohortName: string, expected: Set<string>, returnMembers: true): string[];
  private expectSegment(cohortName: string, expected: Set<string>): string;
  private expectSegment(cohortName: string, expected: Set<string>, returnMembers = false): string | string[] {
    const name = `${SEGMENT_PREFIX}${cohortName}`;
    const segment = this.options.world.apis.clevertap.segment(name);
    expect(segment, `CleverTap segment “${name}”`).toBeDefined();
    const members = segment!.members;
    expect(members.length, `members of “${name}”`).toBe(expected.size);
    const missing = [...expected].filter((id) => !members.includes(id));
    const extra = members.filter((id) => !expected.has(id));
    expect({ missing: missing.slice(0, 5), extra: extra.slice(0, 5) }, `“${name}” equals the cohort`).toEqual({ missing: [], extra: [] });
    return returnMembers ? members : name;
  }

  private async message<T>(message: unknown): Promise<T> {
    const reply = await sendFromExtensionPage<{ ok: boolean; value?: T; error?: string }>(await this.controlPage(), message);
    if (!reply.ok) throw new Error(`The background refused ${JSON.stringify(message)}: ${reply.error}`);
    return reply.value as T;
  }

  private async sync(syncId: string): Promise<Sync> {
    const state = await this.message<AppState>({ type: 'state.get' });
    const sync = state.syncs.find((candidate) => candidate.id === syncId);
    if (!sync) throw new Error(`No sync ${syncId}`);
    return sync;
  }

  /** The running service worker, woken by a message first if Chrome had stopped it. */
  private async worker(): Promise<Worker> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      await this.message({ type: 'ping' });
      const workers = this.context!.serviceWorkers().filter((worker) => worker.url().startsWith(`chrome-extension://${this.extensionId}/`));
      for (const worker of workers.reverse()) {
        if (await worker.evaluate(() => true).catch(() => false)) return worker;
      }
      if (Date.now() > deadline) throw new Error('The extension’s service worker did not come back');
      await sleep(200);
    }
  }

  private async notificationCount(): Promise<number> {
    const worker = await this.worker();
    return worker.evaluate(async () => Object.keys(await (globalThis as unknown as ChromeInWorker).chrome.notifications.getAll()).length);
  }

  private async openExportDialog(cohortName: string, menuShot?: string) {
    const page = await this.mixpanelPage();
    await page.bringToFront();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: cohortName, exact: true }) });
    await row.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menu', { name: 'Cohort actions' }).getByRole('menuitem', { name: 'Export to…' }).hover();
    const item = page.getByRole('menuitem', { name: 'CleverTap (Cohort Sync)', exact: true });
    await expect(item).toHaveCount(1);
    await item.hover();
    if (menuShot) {
      // The page from its top to just below the open menus.
      const boxes = await page.getByRole('menu').evaluateAll((menus) => menus.map((menu) => menu.getBoundingClientRect().toJSON() as DOMRect));
      const right = Math.max(700, ...boxes.map((box) => box.right)) + 16;
      const bottom = Math.max(...boxes.map((box) => box.bottom)) + 16;
      await this.shot(page, menuShot, undefined, { x: 0, y: 0, width: Math.ceil(right), height: Math.ceil(bottom) });
    }
    await item.click();
    const dialog = page.getByRole('dialog', { name: 'Export to CleverTap' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(cohortName);
    return dialog;
  }

  private async cleverTapShot(): Promise<void> {
    if (!this.options.shots) return;
    const page = await this.ctx().newPage();
    await this.size(page, { width: 900, height: 520 });
    await page.goto(this.options.world.cleverTapPageUrl.replace(/\?.*$/, ''));
    await this.shot(page, 'clevertap.png');
    await page.close();
  }

  private async shot(page: Page, file: string, element?: { screenshot(options: { path: string }): Promise<unknown> }, clip?: { x: number; y: number; width: number; height: number }) {
    if (!this.options.shots) return;
    const path = join(this.options.shots, file);
    if (element) await element.screenshot({ path });
    else await page.screenshot({ path, ...(clip ? { clip } : {}) });
  }

  private async size(page: Page, viewport: { width: number; height: number }): Promise<void> {
    if (!this.options.headed) await page.setViewportSize(viewport);
  }

  private ctx(): BrowserContext {
    if (!this.context) throw new Error('The journey’s browser is not running: call start() first');
    return this.context;
  }

  private async controlPage(): Promise<Page> {
    if (!this.pages.control || this.pages.control.isClosed()) {
      this.pages.control = await this.ctx().newPage();
      await this.pages.control.goto(`chrome-extension://${this.extensionId}/manifest.json`);
    }
    return this.pages.control;
  }

  private async optionsPage(): Promise<Page> {
    let page = this.pages.options;
    if (!page || page.isClosed()) {
      page = this.pages.options = await this.ctx().newPage();
      await this.size(page, { width: 1180, height: 900 });
      await page.goto(`chrome-extension://${this.extensionId}/options.html`);
      await expect(page.getByRole('heading', { name: 'Connections' })).toBeVisible();
    }
    await page.bringToFront();
    return page;
  }

  private async popupPage(): Promise<Page> {
    let page = this.pages.popup;
    if (!page || page.isClosed()) {
      page = this.pages.popup = await this.ctx().newPage();
      await this.size(page, { width: 400, height: 600 });
      await page.goto(`chrome-extension://${this.extensionId}/popup.html`);
    }
    return page;
  }

  private async mixpanelPage(): Promise<Page> {
    let page = this.pages.mixpanel;
    if (!page || page.isClosed()) {
      page = this.pages.mixpanel = await this.ctx().newPage();
      await this.size(page, { width: 1100, height: 700 });
      await page.goto(this.options.world.cohortsPageUrl);
    }
    return page;
  }
}

function popupRow(popup: Page, cohortName: string) {
  return popup.getByRole('listitem').filter({ has: popup.getByRole('heading', { name: cohortName, exact: true }) });
}
