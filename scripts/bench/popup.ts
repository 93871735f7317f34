/**
 * The toolbar popup with 50 syncs in storage: time from navigation to first (contentful) paint
 * and to the paint that shows all 50 rows.
 */
import type { StateView as AppState, SyncView as Sync } from '../../lib/messages';
import { DEFAULT_SETTINGS } from '../../lib/storage/schema';
import { createEmulators, EMULATOR_CREDENTIALS } from '../../test/emulators';
import { launchBench, sleep } from './browser';
import { percentile } from './stats';

export interface PopupResult {
  syncs: number;
  opens: number;
  fcpP50Ms: number;
  fcpP95Ms: number;
  rowsP50Ms: number;
  rowsP95Ms: number;
}

export function fiftySyncs(now: number): AppState {
  const projectId = EMULATOR_CREDENTIALS.mixpanel.projectId;
  const states: Sync['status'][] = [
    { state: 'synced' },
    { state: 'running', phase: 'reading', done: 4200, total: 10_000, etaAt: now + 180_000 },
    { state: 'scheduled' },
    { state: 'paused', reason: 'Paused by you.' },
    { state: 'failed', reason: 'CleverTap did not answer (HTTP 503). It will be retried.' },
  ];
  const syncs: Sync[] = Array.from({ length: 50 }, (_, index) => {
    const cohortId = 100 + index;
    const id = `${projectId}:${cohortId}`;
    return {
      id,
      projectId,
      cohortId,
      cohortName: `Cohort number ${index + 1}`,
      type: index % 2 ? 'dynamic' : 'one-time',
      createdAt: now - index * 60_000,
      status: states[index % states.length]!,
      ...(index % 2 ? { nextRunAt: now + 600_000 } : {}),
      lastRun: {
        runId: `${id}-run`,
        syncId: id,
        trigger: 'schedule',
        startedAt: now - 900_000,
        finishedAt: now - 840_000,
        outcome: 'synced',
        counts: { read: 12_500, exported: 11_800, skipped: { missingId: 600, invalidId: 80, duplicateId: 20 }, added: 420, removed: 70, rejected: 0 },
        mixpanelQueries: 2,
        clevertapRequests: 4,
        rejections: [],
      },
    };
  });
  return {
    connections: {
      clevertap: { accountId: EMULATOR_CREDENTIALS.clevertap.accountId, region: 'eu1', connectedAt: now },
      mixpanel: { username: EMULATOR_CREDENTIALS.mixpanel.username, projectId, region: 'us', connectedAt: now },
    },
    settings: { ...DEFAULT_SETTINGS, notificationEmail: 'admin@example.com' },
    syncs,
  };
}

export async function popupBench(opens = 10): Promise<PopupResult> {
  const browser = await launchBench(createEmulators().list);
  const fcp: number[] = [];
  const rows: number[] = [];
  try {
    const worker = await browser.worker();
    await worker.evaluate(async (value) => {
      const { chrome } = globalThis as unknown as { chrome: { storage: { local: { set(items: object): Promise<void> } } } };
      await chrome.storage.local.set({ appState: value });
    }, fiftySyncs(Date.now()));
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 400, height: 600 });
    // Records, from navigation start, when 50 rows are in the DOM, and the next animation frame (the
    // frame that paints them).
    await page.addInitScript(() => {
      const w = window as unknown as { __rowsAt?: number; __rowsFrameAt?: number };
      const observer = new MutationObserver(() => {
        if (document.querySelectorAll('li').length < 50) return;
        observer.disconnect();
        w.__rowsAt = performance.now();
        requestAnimationFrame(() => (w.__rowsFrameAt = performance.now()));
      });
      observer.observe(document, { childList: true, subtree: true });
    });
    await page.bringToFront();
    for (let index = 0; index < opens + 1; index++) {
      await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
      await page.waitForFunction(() => (window as unknown as { __rowsAt?: number }).__rowsAt !== undefined, undefined, { timeout: 10_000 });
      await sleep(100);
      const figures = await page.evaluate(() => ({
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
        rows: (window as unknown as { __rowsFrameAt?: number; __rowsAt: number }).__rowsFrameAt ?? (window as unknown as { __rowsAt: number }).__rowsAt,
      }));
      if (index === 0) continue; // the first open warms the extension's code cache
      fcp.push(figures.fcp);
      rows.push(figures.rows);
    }
  } finally {
    await browser.close();
  }
  return {
    syncs: 50,
    opens,
    fcpP50Ms: percentile(fcp, 0.5),
    fcpP95Ms: percentile(fcp, 0.95),
    rowsP50Ms: percentile(rows, 0.5),
    rowsP95Ms: percentile(rows, 0.95),
  };
}
