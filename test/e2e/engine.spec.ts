import type { Page } from '@playwright/test';
import type { StateView as AppState, SyncStatusView as SyncStatus } from '../../lib/messages';
import { BATCH_SIZE, UPLOAD_CONCURRENCY } from '../../lib/sync/deliver';
import { seedCohort } from '../emulators/mixpanel';
import { connectAccounts, expect, sendFromExtensionPage, test } from './fixtures';

const PROJECT_ID = 1234567;

async function syncStatus(page: Page, cohortId: number): Promise<SyncStatus | undefined> {
  const reply = await sendFromExtensionPage<{ value: AppState }>(page, { type: 'state.get' });
  return reply.value.syncs.find((sync) => sync.cohortId === cohortId)?.status;
}

for (const phase of ['reading', 'delivering'] as const) {
  test(`a worker stopped while ${phase} a 20k-member export resumes and lands the exact cohort, each identity in the segment once`, async ({
    apis,
    extensionPage,
    stopWorker,
  }) => {
    const seeded = seedCohort(apis.mixpanel.state, { projectId: PROJECT_ID, cohortId: 3001, name: 'Big spenders', members: 20_000 });
    await connectAccounts(extensionPage);
    // Slow enough that the run is certainly in the phase when the worker is stopped.
    if (phase === 'reading') apis.mixpanel.latencyMs.engage = 250;
    else {
      apis.clevertap.latencyMs.upload = 1500;
      // Most batches go out during the read: the profile checks and the list keep the run delivering.
      apis.clevertap.latencyMs.profile = 2000;
      apis.clevertap.latencyMs.customListUrl = 3000;
    }

    await sendFromExtensionPage(extensionPage, {
      type: 'sync.start',
      cohortId: 3001,
      cohortName: 'Big spenders',
      syncType: 'one-time',
    });
    await expect
      .poll(async () => {
        const status = await syncStatus(extensionPage, 3001);
        return status?.state === 'running' && status.phase === phase && status.done > 0;
      }, { timeout: 60_000 })
      .toBe(true);
    await stopWorker();

    // The next message wakes a fresh worker, which resumes the run from its checkpoint.
    await expect.poll(() => syncStatus(extensionPage, 3001), { timeout: 90_000 }).toEqual({ state: 'synced' });

    const segment = apis.clevertap.segment('Mixpanel: Big spenders');
    expect(segment?.members.length).toBe(seeded.valid);
    expect(new Set(segment?.members)).toEqual(new Set(seeded.expected.values()));
    const uploads = apis.clevertap.profiles().map((profile) => profile.uploads);
    expect(uploads).toHaveLength(seeded.valid);
    const resent = uploads.filter((count) => count > 1);
    // New members' profiles are upserted during the read too. In either phase, batches whose answer
    // was lost with the worker are sent again (an idempotent upsert); every batch whose answer
    // arrived was checkpointed and is never sent twice.
    expect(Math.max(...uploads)).toBeLessThanOrEqual(2);
    expect(resent.length).toBeLessThanOrEqual(UPLOAD_CONCURRENCY * BATCH_SIZE);
  });
}
