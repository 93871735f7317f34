/**
 * `npm run reliability` only (RELIABILITY=1): 20 runs whose worker is stopped at a random moment,
 * 5 whose browser is closed and relaunched with the same profile mid-run, and 20 dynamic syncs
 * started at once on one project. Every run must land the exact membership, each identity once.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import type { StateView as AppState, SyncStatusView as SyncStatus } from '../../lib/messages';
import { createEmulators, type EmulatorSet } from '../emulators';
import { startHub } from '../emulators/hub';
import { prng, seedCohort } from '../emulators/mixpanel';
import { connectAccounts, expect, extensionWorker, launchWithExtension, sendFromExtensionPage, stopServiceWorker, test } from './fixtures';


const PROJECT_ID = 1234567;
const log: Record<string, unknown>[] = [];

test.afterAll(() => {
  mkdirSync('test-results/reliability-summary', { recursive: true });
  writeFileSync(`test-results/reliability-summary/browser-${process.pid}.json`, JSON.stringify(log, null, 2));
});

async function status(page: Page, cohortId: number): Promise<SyncStatus | undefined> {
  // A message that meets the worker while it is being stopped is aborted: ask again next poll.
  const reply = await sendFromExtensionPage<{ value: AppState }>(page, { type: 'state.get' }).catch(() => undefined);
  return reply?.value.syncs.find((sync) => sync.cohortId === cohortId)?.status;
}

function checkExact(apis: EmulatorSet, name: string, expected: Set<string>) {
  const segment = apis.clevertap.segment(`Mixpanel: ${name}`);
  expect(segment?.members.length).toBe(expected.size);
  expect(new Set(segment?.members)).toEqual(expected);
  return Math.max(...apis.clevertap.profiles().map((profile) => profile.uploads));
}

// 20 random stops, in 4 tests of 5 so that two browsers share the work.
for (let group = 0; group < 4; group++) {
  test(`random worker stops, group ${group + 1} of 4`, async ({ apis, context, extensionId, extensionPage }) => {
    const random = prng(1000 + group);
    await connectAccounts(extensionPage);
    apis.mixpanel.latencyMs.engage = 60;
    apis.clevertap.latencyMs.upload = 300;
    for (let index = 0; index < 5; index++) {
      const cohortId = 5000 + group * 10 + index;
      const name = `Stop ${group}-${index}`;
      const seeded = seedCohort(apis.mixpanel.state, { projectId: PROJECT_ID, cohortId, name, members: 8000 });
      const before = apis.clevertap.profiles().length;
      await sendFromExtensionPage(extensionPage, { type: 'sync.start', cohortId, cohortName: name, syncType: 'one-time' });
      const delayMs = Math.round(200 + random() * 4000);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const at = await status(extensionPage, cohortId);
      await stopServiceWorker(context, extensionId);
      const began = Date.now();
      await expect.poll(() => status(extensionPage, cohortId), { timeout: 120_000 }).toEqual({ state: 'synced' });
      const maxUploads = checkExact(apis, name, new Set(seeded.expected.values()));
      expect(maxUploads).toBeLessThanOrEqual(2);
      expect(apis.clevertap.profiles().length - before).toBe(seeded.valid);
      log.push({ kind: 'stop', name, delayMs, stoppedIn: at, resumedMs: Date.now() - began, maxUploads });
    }
  });
}

for (let round = 0; round < 5; round++) {
  test(`close and relaunch the browser mid-run, ${round + 1} of 5`, async () => {
    const apis = createEmulators();
    const hub = await startHub(apis.list);
    const dir = mkdtempSync(join(tmpdir(), 'cohort-sync-relaunch-'));
    let context: BrowserContext | undefined;
    try {
      const random = prng(2000 + round);
      const phase = round % 2 === 0 ? 'reading' : 'delivering';
      const seeded = seedCohort(apis.mixpanel.state, { projectId: PROJECT_ID, cohortId: 6000 + round, name: 'Relaunch', members: 12_000 });
      apis.mixpanel.latencyMs.engage = 200;
      apis.clevertap.latencyMs.upload = 800;
      context = await launchWithExtension(dir, hub.resolverRules);
      const id = new URL((await extensionWorker(context)).url()).host;
      let page = await context.newPage();
      await page.goto(`chrome-extension://${id}/manifest.json`);
      await connectAccounts(page);
      await sendFromExtensionPage(page, { type: 'sync.start', cohortId: 6000 + round, cohortName: 'Relaunch', syncType: 'one-time' });
      await expect
        .poll(async () => {
          const now = await status(page, 6000 + round);
          return now?.state === 'running' && now.phase === phase && now.done > 0;
        }, { timeout: 60_000 })
        .toBe(true);
      await new Promise((resolve) => setTimeout(resolve, random() * 1500));
      const at = await status(page, 6000 + round);
      await context.close();
      context = await launchWithExtension(dir, hub.resolverRules);
      await extensionWorker(context);
      page = await context.newPage();
      await page.goto(`chrome-extension://${id}/manifest.json`);
      const began = Date.now();
      await expect.poll(() => status(page, 6000 + round), { timeout: 180_000 }).toEqual({ state: 'synced' });
      const maxUploads = checkExact(apis, 'Relaunch', new Set(seeded.expected.values()));
      expect(maxUploads).toBeLessThanOrEqual(2);
      log.push({ kind: 'relaunch', round, closedIn: at, resumedMs: Date.now() - began, maxUploads });
    } finally {
      await context?.close();
      await hub.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('20 dynamic syncs started at once on one project', async ({ apis, extensionPage }) => {
  await connectAccounts(extensionPage);
  apis.mixpanel.latencyMs.engage = 50;
  const seeded = Array.from({ length: 20 }, (_, index) =>
    seedCohort(apis.mixpanel.state, { projectId: PROJECT_ID, cohortId: 7000 + index, name: `Many ${index}`, members: 500 + index * 100 }),
  );
  const began = Date.now();
  for (const [index] of seeded.entries()) {
    await sendFromExtensionPage(extensionPage, { type: 'sync.start', cohortId: 7000 + index, cohortName: `Many ${index}`, syncType: 'dynamic' });
  }
  const etas: { cohort: number; etaAt: number; seenAt: number }[] = [];
  const finished = new Map<number, number>();
  await expect
    .poll(async () => {
      const reply = await sendFromExtensionPage<{ value: AppState }>(extensionPage, { type: 'state.get' });
      for (const sync of reply.value.syncs) {
        if (sync.status.state === 'running' && sync.status.etaAt) etas.push({ cohort: sync.cohortId, etaAt: sync.status.etaAt, seenAt: Date.now() });
        if (sync.status.state === 'synced' && !finished.has(sync.cohortId)) finished.set(sync.cohortId, Date.now());
      }
      return finished.size;
    }, { timeout: 300_000, intervals: [250] })
    .toBe(20);
  seeded.forEach((cohort, index) => checkExact(apis, `Many ${index}`, new Set(cohort.expected.values())));
  expect(apis.mixpanel.counters.rateLimited).toBe(0);
  // Trigger order is kept: each sync finished after the one started before it.
  const order = [...finished.entries()].sort((a, b) => a[1] - b[1]).map(([cohort]) => cohort);
  const inversions = order.filter((cohort, index) => index > 0 && cohort < order[index - 1]!).length;
  // An ETA is honest when the run finished within a second of it or earlier than 2x the time left.
  const etaErrors = etas.map(({ cohort, etaAt, seenAt }) => {
    const actual = finished.get(cohort)! - seenAt;
    const promised = etaAt - seenAt;
    return { cohort, promised, actual };
  });
  const dishonest = etaErrors.filter(({ promised, actual }) => actual > 2 * promised + 1000);
  log.push({ kind: 'many', syncs: 20, totalMs: Date.now() - began, queriesCounted: apis.mixpanel.counters.queriesCounted, rateLimited: apis.mixpanel.counters.rateLimited, inversions, etaSamples: etas.length, dishonest: dishonest.length });
  expect(inversions).toBe(0);
  expect(dishonest).toEqual([]);
});
