/**
 * The sync engine against the emulators' pessimistic modes (their answers where the real APIs are
 * undocumented, see CleverTapModes and MixpanelModes): short reads, unchanged
 * segments, the admin-only e-mail, a segment in use, shared cohort names, rejected records, ingestion
 * lag, stale resumed runs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listHistory } from '../../../lib/storage/runs';
import { syncIdFor } from '../../../lib/storage/schema';
import { seedCohort } from '../../emulators/mixpanel';
import { PROJECT_ID, sorted, startEngine, type Engine, type EngineOptions } from './harness';

let engine: Engine;
afterEach(() => engine?.close());

const ADMIN_EMAIL = 'admin@example.com';

async function ready(options?: EngineOptions) {
  engine = await startEngine(options);
  await engine.connect();
  await engine.settings({ notificationEmail: ADMIN_EMAIL });
  return engine;
}

async function runAgain(id: string) {
  await engine.service.onAlarm(`sync:${id}`);
  await engine.settle();
}

const customListRequests = () => engine.clevertap.stats().requests['/get_custom_list_segment_url'] ?? 0;

describe('a short read', () => {
  it('an expired session answering 200 [] restarts the read and removes nobody', async () => {
    await ready({ mixpanel: { maxPageSize: 100, modes: { expiredSession: 'empty-page' } } });
    const seeded = seedCohort(engine.mixpanel.state, { projectId: PROJECT_ID, cohortId: 11, name: 'Short', members: 500 });
    const id = syncIdFor(PROJECT_ID, 11);
    await engine.service.start(11, 'Short', 'dynamic');
    await engine.settle();
    const segment = 'Mixpanel: Short';
    expect(engine.segmentMembers(segment)).toEqual(sorted(seeded.expected.values()));

    // From now on every read's second page finds its session gone and gets a normal-looking empty page.
    engine.mixpanel.faults.add('/api/query/engage', { kind: 'hook', run: () => engine.mixpanel.expireSessions() }, { skip: 1, times: 10_000 });
    await runAgain(id);
    expect((await engine.sync(id)).status).toMatchObject({ state: 'failed', reason: expect.stringContaining('nobody was removed') });
    expect(engine.segmentMembers(segment)).toEqual(sorted(seeded.expected.values()));

    // One cut-short page, then a clean read: the run restarts and lands exactly.
    engine.mixpanel.faults.clear();
    engine.mixpanel.faults.add('/api/query/engage', { kind: 'hook', run: () => engine.mixpanel.expireSessions() }, { skip: 2 });
    await engine.service.syncNow(id);
    await engine.settle();
    expect((await engine.sync(id)).status).toEqual({ state: 'synced' });
    expect(engine.segmentMembers(segment)).toEqual(sorted(seeded.expected.values()));
    expect((await engine.sync(id)).lastRun?.counts.removed).toBe(0);
  });
});

describe('an unchanged membership', () => {
  it('sends no custom list, and the history says unchanged; a change uploads again', async () => {
    await ready();
    const seeded = seedCohort(engine.mixpanel.state, { projectId: PROJECT_ID, cohortId: 12, name: 'Steady', members: 200 });
    const id = syncIdFor(PROJECT_ID, 12);
    await engine.service.start(12, 'Steady', 'dynamic');
    await engine.settle();
    expect(customListRequests()).toBe(1);
    const emails = engine.clevertap.emails().length;

    await runAgain(id);
    const last = (await engine.sync(id)).lastRun!;
    expect(last).toMatchObject({ outcome: 'synced', segment: 'unchanged', counts: { added: 0, removed: 0 } });
    expect(customListRequests()).toBe(1);
    expect(engine.clevertap.stats().requests['/upload_custom_list_segment_completed']).toBe(1);
    expect(engine.clevertap.emails()).toHaveLength(emails);

    engine.mixpanel.state.removeMembers(PROJECT_ID, 12, [[...seeded.expected.keys()][0]!]);
    await runAgain(id);
    expect((await engine.sync(id)).lastRun).toMatchObject({ segment: 'replaced', counts: { removed: 1 } });
    expect(customListRequests()).toBe(2);
  });
});

describe('the custom-list e-mail', () => {
  it('pauses with the Admin-role explanation when CleverTap refuses a non-admin address, and works with an admin', async () => {
    await ready({ clevertap: { modes: { dashboardAdmins: ['owner@example.com'] } } });
    seedCohort(engine.mixpanel.state, { projectId: PROJECT_ID, cohortId: 13, name: 'Mailed', members: 20 });
    const id = syncIdFor(PROJECT_ID, 13);
    await engine.service.start(13, 'Mailed', 'one-time');
    await engine.settle();
    expect((await engine.sync(id)).status).toMatchObject({
      state: 'paused',
      reason: expect.stringMatching(/admin@example\.com.*CleverTap dashboard user with the Admin role/),
    });

    await engine.settings({ notificationEmail: 'Owner@example.com' });
    await engine.service.resume(id);
    await engine.settle();
    expect((await engine.sync(id)).status).toEqual({ state: 'synced' });
    expect(engine.clevertap.segment('Mixpanel: Mailed')?.email).toBe('Owner@example.com');
  });
});

describe('a segment in use', () => {
  it('pauses naming the segment and what to do when CleverTap refuses to replace it', async () => {
    await ready();
    const seeded = seedCohort(engine.mixpanel.state, { projectId: PROJECT_ID, cohortId: 14, name: 'Campaigned', members: 50 });
    const id = syncIdFor(PROJECT_ID, 14);
    await engine.service.start(14, 'Campaigned', 'dynamic');
    await engine.settle();
    engine.clevertap.modes.segmentsInUse.add('Mixpanel: Campaigned');
    engine.mixpanel.state.removeMembers(PROJECT_ID, 14, [[...seeded.expected.keys()][0]!]);
    await runAgain(id);
    expect((await engine.sync(id)).status).toMatchObject({
      state: 'paused',
      reason: expect.stringMatching(/segment “Mixpanel: Campaigned” while a running campaign or journey uses it\. Stop or pause/),
    });

    engine.clevertap.modes.segmentsInUse.clear();
    await engine.service.resume(id);
    await engine.settle();
    expect((await engine.sync(id)).status).toEqual({ state: 'synced' });
    expect(engine.segmentMembers('Mixpanel: Campaigned')).toHaveLength(seeded.valid - 1);
  });
});

describe('segment names', () => {
  it('gives two cohorts of the same name their own segments, and a renamed cohort keeps its segment', async () => {
    await ready();
    const first = seedCohort(engine.mixpanel.state, { projectId: PROJECT_ID, cohortId: 15, name: 'Twins', members: 30 });
    const second = seedCohort(engine.mixpanel.state, { projectId: PROJECT_ID, cohortId: 16, name: 'Twins', members: 40, seed: 9 });
    await engine.service.start(15, 'Twins', 'dynamic');
    await engine.service.start(16, 'Twins', 'dynamic');
    await engine.settle();
    expect((await engine.sync(syncIdFor(PROJECT_ID, 15))).segmentName).toBe('Mixpanel: Twins');
    expect((await engine.sync(syncIdFor(PROJECT_ID, 16))).segmentName).toBe('Mixpanel: Twins (cohort 16)');
    expect(engine.segmentMembers('Mixpanel: Twins')).toEqual(sorted(first.expected.values()));
    expect(engine.segmentMembers('Mixpanel: Twins (cohort 16)')).toEqual(sorted(second.expected.values()));

    // Renamed in Mixpanel, exported again: same sync, same segment.
    engine.mixpanel.state.removeMembers(PROJECT_ID, 15, [[...first.expected.keys()][0]!]);
    await engine.service.start(15, 'Twins renamed', 'dynamic');
    await engine.settle();
    expect((await engine.sync(syncIdFor(PROJECT_ID, 15))).segmentName).toBe('Mixpanel: Twins');
    expect(engine.clevertap.segment('Mixpanel: Twins renamed')).toBeUndefined();
    expect(engine.segmentMembers('Mixpanel: Twins')).toHaveLength(first.valid - 1);
  });
});

describe('records CleverTap rejected', () => {
  it('are tried again by later runs, with how often each failed, until CleverTap takes them', async () => {
    await ready();
    engine.mixpanel.state.addCohort(PROJECT_ID, { id: 17, name: 'Flaky' });
    for (const n of [1, 2, 3]) engine.mixpanel.state.setProfile(PROJECT_ID, `f${n}`, { $CleverTap_user_id: `flaky-${n}` });
    engine.mixpanel.state.addMembers(PROJECT_ID, 17, ['f1', 'f2', 'f3']);
    const id = syncIdFor(PROJECT_ID, 17);
    engine.clevertap.rejectIdentities.add('flaky-2');
    await engine.service.start(17, 'Flaky', 'dynamic');
    await engine.settle();
    expect((await engine.sync(id)).lastRun).toMatchObject({ counts: { added: 3, rejected: 1 } });
    expect((await listHistory(id))[0]).toMatchObject({ rejections: [{ identity: 'flaky-2', failures: 1 }] });
    expect(engine.clevertap.profile('flaky-2')).toBeUndefined();

    await runAgain(id);
    expect((await engine.sync(id)).lastRun).toMatchObject({ counts: { added: 0, rejected: 1 } });
    expect((await listHistory(id))[0]).toMatchObject({ rejections: [{ identity: 'flaky-2', failures: 2 }] });

    engine.clevertap.rejectIdentities.clear();
    await runAgain(id);
    const last = (await engine.sync(id)).lastRun!;
    expect(last).toMatchObject({ counts: { rejected: 0 }, segment: 'replaced' });
    expect(engine.clevertap.profile('flaky-2')).toBeDefined();
    expect(engine.segmentMembers('Mixpanel: Flaky')).toEqual(['flaky-1', 'flaky-2', 'flaky-3']);
    const history = await listHistory(id);
    expect(history.map((run) => run.counts.rejected)).toEqual([0, 1, 1]);
  });
});

describe('profile ingestion lag', () => {
  it('a new user of a one-time export ends in the segment, and a user with no fields still gets a profile', async () => {
    let clock = Date.now();
    await ready({
      clevertap: { now: () => clock, modes: { profileIngestionLagMs: 20_000, profileDataRequired: true } },
      // The client's pauses between profile checks move the emulator's clock instead of waiting.
      retry: { sleep: async (ms) => void (clock += ms) },
    });
    engine.mixpanel.state.addCohort(PROJECT_ID, { id: 18, name: 'Fresh' });
    engine.mixpanel.state.setProfile(PROJECT_ID, 'n1', { $CleverTap_user_id: 'new-1', $email: 'new1@example.com' });
    engine.mixpanel.state.setProfile(PROJECT_ID, 'n2', { $CleverTap_user_id: 'new-2' });
    engine.mixpanel.state.addMembers(PROJECT_ID, 18, ['n1', 'n2']);
    await engine.service.start(18, 'Fresh', 'one-time');
    await engine.settle();
    const id = syncIdFor(PROJECT_ID, 18);
    expect((await engine.sync(id)).status).toEqual({ state: 'synced' });
    expect(engine.segmentMembers('Mixpanel: Fresh')).toEqual(['new-1', 'new-2']);
    expect(engine.clevertap.profile('new-2')?.properties).toEqual({ Identity: 'new-2' });
    expect(engine.clevertap.stats().requests['/1/profile.json']).toBeGreaterThan(2);
  });

  it('when profiles stay invisible, the run waits and retries instead of uploading a list that misses them', async () => {
    let clock = Date.now();
    await ready({ clevertap: { now: () => clock, modes: { profileIngestionLagMs: 60 * 60_000 } } });
    seedCohort(engine.mixpanel.state, { projectId: PROJECT_ID, cohortId: 19, name: 'Slow', members: 10 });
    const id = syncIdFor(PROJECT_ID, 19);
    await engine.service.start(19, 'Slow', 'one-time');
    await engine.settle();
    expect((await engine.sync(id)).status).toMatchObject({ state: 'failed', reason: expect.stringContaining('not yet made the new profiles visible') });
    expect(engine.clevertap.segment('Mixpanel: Slow')).toBeUndefined();

    clock += 2 * 60 * 60_000;
    await engine.service.resumeAll();
    await engine.settle();
    expect((await engine.sync(id)).status).toEqual({ state: 'synced' });
    expect(engine.segmentMembers('Mixpanel: Slow').length).toBeGreaterThan(0);
  });
});

describe('a run resumed after more than one sync period', () => {
  it('reads the cohort again instead of sending the stale membership', async () => {
    await ready();
    const seeded = seedCohort(engine.mixpanel.state, { projectId: PROJECT_ID, cohortId: 20, name: 'Late', members: 40 });
    const id = syncIdFor(PROJECT_ID, 20);
    // The read succeeds, then CleverTap is down for the whole delivery.
    engine.clevertap.faults.add('/1/upload', { kind: 'status', status: 503 }, { times: 10_000 });
    await engine.service.start(20, 'Late', 'one-time');
    await engine.settle();
    expect((await engine.sync(id)).status).toMatchObject({ state: 'failed' });

    // Twenty minutes later a user has joined; CleverTap is back.
    engine.mixpanel.state.setProfile(PROJECT_ID, 'late-joiner', { $CleverTap_user_id: 'late-joiner-id' });
    engine.mixpanel.state.addMembers(PROJECT_ID, 20, ['late-joiner']);
    engine.clevertap.faults.clear();
    const realNow = engine.env.now;
    engine.env.now = () => realNow() + 20 * 60_000;
    await engine.service.resumeAll();
    await engine.settle();
    expect((await engine.sync(id)).status).toEqual({ state: 'synced' });
    expect(engine.segmentMembers('Mixpanel: Late')).toEqual(sorted([...seeded.expected.values(), 'late-joiner-id']));
  });
});
