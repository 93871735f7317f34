/**
 * The toolbar popup in real Chromium: every sync state as the background stores it, live progress,
 * the empty state, and (against the emulators) a real sync steered from the popup: Export a
 * cohort…, Sync now, Pause / Resume, Stop, and a Needs-review run confirmed.
 * Screenshots of each state go to artifacts/screenshots/.
 */
import type { Page } from '@playwright/test';
import { createCleverTapEmulator, DEFAULT_EMULATOR_ACCOUNT } from '../emulators/clevertap';
import { createMixpanelEmulator, FIXTURE } from '../emulators/mixpanel';
import type { StateView as AppState, SyncView as Sync } from '../../lib/messages';
import type { RunSummary } from '../../lib/storage/schema';
import { DEFAULT_SETTINGS } from '../../lib/storage/schema';
import { connectAccounts, expect, test, writeViewState } from './fixtures';

const SHOTS = 'artifacts/screenshots';
const mixpanel = createMixpanelEmulator();
const clevertap = createCleverTapEmulator();

// eslint-disable-next-line no-empty-pattern
test.use({ emulators: async ({}, use) => use([mixpanel, clevertap]) });

async function openPopup(page: Page, extensionId: string) {
  await page.setViewportSize({ width: 400, height: 600 });
  await page.goto(`chrome-extension://${extensionId}/popup.html`);
  // The first view comes after the worker's start-up clean-up, which would remove the progress written next.
  await expect(page.getByRole('status').filter({ hasText: 'Loading…' })).toHaveCount(0);
}

const writeState = writeViewState;

const NOW = Date.now();
const MINUTE = 60_000;

function run(syncId: string, overrides: Partial<RunSummary['counts']> = {}, extra: Partial<RunSummary> = {}): RunSummary {
  return {
    runId: `${syncId}-run-1`,
    syncId,
    trigger: 'schedule',
    startedAt: NOW - 14 * MINUTE,
    finishedAt: NOW - 13 * MINUTE,
    outcome: 'synced',
    counts: {
      read: 1250,
      exported: 1180,
      skipped: { missingId: 60, invalidId: 8, duplicateId: 2 },
      added: 42,
      removed: 7,
      rejected: 0,
      ...overrides,
    },
    mixpanelQueries: 2,
    clevertapRequests: 4,
    rejections: [],
    ...extra,
  };
}

function sync(cohortId: number, cohortName: string, type: Sync['type'], status: Sync['status'], extra: Partial<Sync> = {}): Sync {
  const id = `${FIXTURE.usProject.id}:${cohortId}`;
  return {
    id,
    projectId: FIXTURE.usProject.id,
    cohortId,
    cohortName,
    type,
    createdAt: NOW - cohortId * MINUTE,
    status,
    ...extra,
  };
}

const CONNECTIONS: AppState['connections'] = {
  clevertap: { accountId: DEFAULT_EMULATOR_ACCOUNT.accountId, region: 'eu1', connectedAt: NOW - 3 * 86_400_000 },
  mixpanel: {
    username: FIXTURE.owner.username,
    projectId: FIXTURE.usProject.id,
    region: 'us',
    workspaceId: 3448413,
    projectName: FIXTURE.usProject.name,
    connectedAt: NOW - 3 * 86_400_000,
  },
};

function everyState(runningDone = 4200): AppState {
  return {
    connections: CONNECTIONS,
    settings: DEFAULT_SETTINGS,
    syncs: [
      sync(1, 'Power users', 'dynamic', { state: 'running', phase: 'reading', done: runningDone, total: 10_000, etaAt: NOW + 3 * MINUTE }, {
        lastRun: run(`${FIXTURE.usProject.id}:1`),
        nextRunAt: NOW + 12 * MINUTE,
      }),
      sync(2, 'Churn risk', 'dynamic', { state: 'synced' }, { lastRun: run(`${FIXTURE.usProject.id}:2`), nextRunAt: NOW + 9 * MINUTE }),
      sync(3, 'Trial users', 'dynamic', { state: 'paused', reason: 'CleverTap disconnected' }, { lastRun: run(`${FIXTURE.usProject.id}:3`) }),
      sync(
        4,
        'Newsletter subscribers',
        'one-time',
        {
          state: 'failed',
          reason: 'CleverTap did not accept the Passcode (HTTP 401). It may have expired: connect CleverTap again in the settings.',
        },
        { lastRun: run(`${FIXTURE.usProject.id}:4`, { rejected: 3 }, { outcome: 'failed' }) },
      ),
      sync(
        5,
        'Winback',
        'dynamic',
        { state: 'needs-review', reason: 'This run would remove more than 50 % of the segment.', removals: 600, segmentSize: 1000 },
        { lastRun: run(`${FIXTURE.usProject.id}:5`) },
      ),
      sync(6, 'New signups', 'one-time', { state: 'scheduled' }),
    ],
  };
}

test.describe('popup, from stored state', () => {
  test('shows every sync with its state, counts and actions, in light and dark', async ({ context, extensionId, serviceWorker }) => {
    const page = await context.newPage();
    await openPopup(page, extensionId);
    await writeState(serviceWorker, everyState());

    const row = (name: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name }) });
    await expect(row('Power users')).toContainText('Running');
    await expect(row('Power users')).toContainText('4,200 of 10,000');
    await expect(row('Power users')).toContainText('about 3 min left');
    await expect(row('Power users').getByRole('progressbar')).toHaveAttribute('aria-valuenow', '4200');
    await expect(row('Churn risk')).toContainText('Synced');
    await expect(row('Churn risk')).toContainText('Dynamic');
    await expect(row('Churn risk')).toContainText(/Next run in \d+ min/);
    await expect(row('Churn risk').getByText('Exported')).toBeVisible();
    await expect(row('Churn risk')).toContainText('1,180');
    await expect(row('Trial users')).toContainText('Paused: CleverTap disconnected');
    await expect(row('Trial users').getByRole('button', { name: 'Resume' })).toBeVisible();
    await expect(row('Newsletter subscribers')).toContainText('Failed');
    await expect(row('Newsletter subscribers')).toContainText('One-time');
    await row('Newsletter subscribers').getByRole('button', { name: 'View error' }).click();
    await expect(row('Newsletter subscribers')).toContainText('3 records rejected by CleverTap');
    await expect(row('Winback')).toContainText('Needs review');
    await expect(row('Winback')).toContainText('remove 600 of 1,000 users (60 %)');
    await expect(row('Winback').getByRole('button', { name: 'Confirm' })).toBeVisible();
    await expect(row('Winback').getByRole('button', { name: 'Discard' })).toBeVisible();
    await expect(row('New signups')).toContainText('Scheduled');
    await expect(row('New signups')).toContainText('Not synced yet');
    await expect(page.getByText('CleverTap Connected')).toBeVisible();
    await expect(page.getByText('Mixpanel Connected')).toBeVisible();

    await page.screenshot({ path: `${SHOTS}/popup-every-state.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SHOTS}/popup-every-state-dark.png`, fullPage: true });
  });

  test('a running sync’s progress moves live', async ({ context, extensionId, serviceWorker }) => {
    const page = await context.newPage();
    await openPopup(page, extensionId);
    await writeState(serviceWorker, everyState(1000));
    const bar = page.getByRole('progressbar', { name: 'Power users: progress' });
    await expect(bar).toHaveAttribute('aria-valuetext', '1,000 of 10,000');
    await writeState(serviceWorker, everyState(7500));
    await expect(bar).toHaveAttribute('aria-valuetext', '7,500 of 10,000');
    await page.screenshot({ path: `${SHOTS}/popup-running.png`, fullPage: true });
  });

  test('a new user sees the three steps', async ({ context, extensionId }) => {
    const page = await context.newPage();
    await openPopup(page, extensionId);
    await expect(page.getByRole('heading', { name: 'No syncs yet' })).toBeVisible();
    const steps = page.getByRole('listitem');
    await expect(steps.nth(0)).toContainText('Connect CleverTap');
    await expect(steps.nth(1)).toContainText('Connect Mixpanel');
    await expect(steps.nth(2)).toContainText('“…” menu');
    await expect(page.getByText('CleverTap not connected')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Export a cohort…' })).toBeDisabled();
    await page.screenshot({ path: `${SHOTS}/popup-empty.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SHOTS}/popup-empty-dark.png`, fullPage: true });
  });
});

test.describe('popup, steering real syncs against the emulators', () => {
  test('Export a cohort…, progress, Pause / Resume, Sync now, Stop', async ({ context, extensionId }) => {
    mixpanel.seedCohort({ projectId: FIXTURE.usProject.id, cohortId: 3001, name: 'Big spenders', members: 3000 });
    mixpanel.latencyMs.engage = 400;
    mixpanel.limits.maxPageSize = 250;
    const page = await context.newPage();
    await openPopup(page, extensionId);
    await connectAccounts(page);

    await page.getByRole('button', { name: 'Export a cohort…' }).click();
    await page.getByLabel('Cohort', { exact: true }).selectOption({ label: 'Big spenders (3,000 users)' });
    await page.getByLabel('Dynamic').check();
    await page.screenshot({ path: `${SHOTS}/popup-export-a-cohort.png`, fullPage: true });
    await page.getByRole('button', { name: 'Start Sync' }).click();

    const row = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Big spenders' }) });
    await expect(row).toContainText('Running');
    const bar = row.getByRole('progressbar');
    await expect(bar).toHaveAttribute('aria-valuenow', /\d+/);
    const first = Number(await bar.getAttribute('aria-valuenow'));
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 30_000 }).toBeGreaterThan(first);
    await page.screenshot({ path: `${SHOTS}/popup-real-running.png`, fullPage: true });

    await row.getByRole('button', { name: 'Pause' }).click();
    await expect(row).toContainText('Paused');
    await row.getByRole('button', { name: 'Resume' }).click();
    await expect(row).not.toContainText('Paused');
    mixpanel.latencyMs.engage = 0;
    await expect(row).toContainText('Synced', { timeout: 60_000 });
    await expect(row).toContainText('Exported');
    await page.screenshot({ path: `${SHOTS}/popup-real-synced.png`, fullPage: true });

    await row.getByRole('button', { name: 'Sync now' }).click();
    await expect(row).toContainText(/Running|Synced/);
    await expect(row).toContainText('Synced', { timeout: 60_000 });

    await row.getByRole('button', { name: 'Stop' }).click();
    await row.getByRole('button', { name: 'Stop sync' }).click();
    await expect(row).toHaveCount(0);
  });

  test('a run that would remove most of the segment waits; Confirm applies it', async ({ context, extensionId }) => {
    const seeded = mixpanel.seedCohort({
      projectId: FIXTURE.usProject.id,
      cohortId: 3002,
      name: 'Shrinking cohort',
      members: 200,
      withoutProfileShare: 0,
      missingIdShare: 0,
      invalidIdShare: 0,
    });
    const page = await context.newPage();
    await openPopup(page, extensionId);
    await connectAccounts(page);
    await page.getByRole('button', { name: 'Export a cohort…' }).click();
    await page.getByLabel('Cohort', { exact: true }).selectOption({ label: 'Shrinking cohort (200 users)' });
    await page.getByLabel('One-time').check();
    await page.getByRole('button', { name: 'Start Sync' }).click();
    const row = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Shrinking cohort' }) });
    await expect(row).toContainText('Synced', { timeout: 60_000 });

    // 150 of 200 members leave the cohort: 75 % > the 50 % threshold.
    mixpanel.state.removeMembers(FIXTURE.usProject.id, 3002, [...seeded.expected.keys()].slice(0, 150));
    await row.getByRole('button', { name: 'Sync now' }).click();
    await expect(row).toContainText('Needs review', { timeout: 60_000 });
    await expect(row).toContainText('remove 150 of 200 users');
    await page.screenshot({ path: `${SHOTS}/popup-needs-review.png`, fullPage: true });
    await row.getByRole('button', { name: 'Confirm' }).click();
    await expect(row).toContainText('Synced', { timeout: 60_000 });
    await expect(row.locator('dl')).toContainText(/Removed\s*150/);
    expect(clevertap.segments().some((segment) => segment.name.includes('Shrinking cohort'))).toBe(true);
  });
});
