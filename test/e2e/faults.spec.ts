/**
 * Representative cells of the fault matrix in Chromium (the full matrix runs in the Node harness,
 * test/unit/hardening): the built worker, real fetch, real backoff. A first sync lands; membership
 * changes; the fault hits the second run, which must end exact or stopped with the first segment
 * untouched; once the fault is gone the sync lands exact.
 */
import type { Page } from '@playwright/test';
import type { AppState, Sync } from '../../lib/storage/schema';
import type { EmulatorSet } from '../emulators';
import { seedCohort } from '../emulators/mixpanel';
import { connectAccounts, expect, sendFromExtensionPage, test } from './fixtures';

const PROJECT_ID = 1234567;

async function syncOf(page: Page, cohortId: number): Promise<Sync | undefined> {
  const reply = await sendFromExtensionPage<{ value: AppState }>(page, { type: 'state.get' });
  return reply.value.syncs.find((sync) => sync.cohortId === cohortId);
}

const settled = async (page: Page, cohortId: number) => {
  let last: Sync | undefined;
  await expect
    .poll(async () => {
      last = await syncOf(page, cohortId);
      return ['synced', 'failed', 'paused'].includes(last?.status.state ?? '');
    }, { timeout: 90_000 })
    .toBe(true);
  return last!;
};

const cells: { name: string; outcome: 'synced' | 'failed'; inject: (apis: EmulatorSet) => void }[] = [
  {
    name: 'Mixpanel 503 on every page from the middle of the read (persistent)',
    outcome: 'failed',
    inject: (apis) => apis.mixpanel.faults.add('/api/query/engage', { kind: 'status', status: 503, body: '{"error":"busy"}' }, { skip: 2, times: 1000 }),
  },
  {
    name: 'Mixpanel session_id expiring after the first page (transient)',
    outcome: 'synced',
    inject: (apis) => apis.mixpanel.faults.add('/api/query/engage', { kind: 'hook', run: () => apis.mixpanel.expireSessions() }, { skip: 1 }),
  },
  {
    name: 'CleverTap completion call failing (persistent)',
    outcome: 'failed',
    inject: (apis) => apis.clevertap.faults.add('/upload_custom_list_segment_completed', { kind: 'status', status: 502, body: '' }, { times: 1000 }),
  },
];

for (const cell of cells) {
  test(`fault: ${cell.name}`, async ({ apis, extensionPage }) => {
    apis.mixpanel.limits.maxPageSize = 200;
    const seeded = seedCohort(apis.mixpanel.state, { projectId: PROJECT_ID, cohortId: 4100, name: 'Faulty', members: 1200 });
    await connectAccounts(extensionPage);
    await sendFromExtensionPage(extensionPage, { type: 'sync.start', cohortId: 4100, cohortName: 'Faulty', syncType: 'dynamic' });
    expect((await settled(extensionPage, 4100)).status.state).toBe('synced');
    const first = apis.clevertap.segment('Mixpanel: Faulty')!;

    const expected = new Set(seeded.expected.values());
    const leavers = [...seeded.expected.keys()].slice(0, 10);
    apis.mixpanel.state.removeMembers(PROJECT_ID, 4100, leavers);
    for (const leaver of leavers) expected.delete(seeded.expected.get(leaver)!);
    for (let index = 0; index < 300; index++) {
      apis.mixpanel.state.setProfile(PROJECT_ID, `joiner-${index}`, { $CleverTap_user_id: `ct-joiner-${index}` });
      apis.mixpanel.state.addMembers(PROJECT_ID, 4100, [`joiner-${index}`]);
      expected.add(`ct-joiner-${index}`);
    }

    cell.inject(apis);
    await sendFromExtensionPage(extensionPage, { type: 'sync.now', syncId: `${PROJECT_ID}:4100` });
    await expect.poll(async () => (await syncOf(extensionPage, 4100))?.status.state).not.toBe('synced');
    const after = await settled(extensionPage, 4100);
    expect(after.status.state).toBe(cell.outcome);
    const segment = apis.clevertap.segment('Mixpanel: Faulty')!;
    if (cell.outcome === 'synced') {
      expect(new Set(segment.members)).toEqual(expected);
    } else {
      expect('reason' in after.status && after.status.reason).toMatch(/Mixpanel|CleverTap/);
      expect([...segment.members].sort()).toEqual([...first.members].sort());
      expect(segment.replaceCount).toBe(first.replaceCount);
      apis.mixpanel.faults.clear();
      apis.clevertap.faults.clear();
      await sendFromExtensionPage(extensionPage, { type: 'sync.now', syncId: `${PROJECT_ID}:4100` });
      await expect.poll(async () => (await syncOf(extensionPage, 4100))?.status.state, { timeout: 60_000 }).toBe('synced');
    }
    const landed = apis.clevertap.segment('Mixpanel: Faulty')!;
    expect(landed.members).toHaveLength(expected.size);
    expect(new Set(landed.members)).toEqual(expected);
    expect(Math.max(...apis.clevertap.profiles().map((profile) => profile.uploads))).toBeLessThanOrEqual(2);
  });
}
