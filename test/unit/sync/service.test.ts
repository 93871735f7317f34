import { afterEach, describe, expect, it } from 'vitest';
import { listHistory } from '../../../lib/storage/runs';
import { syncIdFor } from '../../../lib/storage/schema';
import { seedCohort } from '../../emulators/mixpanel';
import { PROJECT_ID, sorted, startEngine, type Engine } from './harness';

let engine: Engine;
afterEach(() => engine?.close());

const SEGMENT = (name: string) => `Mixpanel: ${name}`;

async function ready(options?: Parameters<typeof startEngine>[0]) {
  engine = await startEngine(options);
  await engine.connect();
  await engine.settings({ notificationEmail: 'admin@example.com' });
  return engine;
}

describe('a one-time sync', () => {
  it('makes the segment equal to the members with valid ids, counting every skip by reason', async () => {
    const { mixpanel, service, settle, sync, segmentMembers, env } = await ready();
    const seeded = seedCohort(mixpanel.state, { projectId: PROJECT_ID, cohortId: 501, name: 'Trialists', members: 2500 });
    await service.start(501, 'Trialists', 'one-time');
    await settle();

    const done = await sync(syncIdFor(PROJECT_ID, 501));
    expect(done.status).toEqual({ state: 'synced' });
    expect(segmentMembers(SEGMENT('Trialists'))).toEqual(sorted(seeded.expected.values()));
    expect(done.lastRun?.counts).toEqual({
      read: seeded.members - seeded.withoutProfile,
      exported: seeded.valid,
      skipped: { missingId: seeded.missingId, invalidId: seeded.invalidId, duplicateId: 0 },
      added: seeded.valid,
      removed: 0,
      rejected: 0,
    });
    expect(done.lastRun?.mixpanelQueries).toBeGreaterThan(0);
    // Upload batches, a profile check for the last 3 new profiles, the custom list's 3 steps.
    expect(done.lastRun?.clevertapRequests).toBe(Math.ceil(seeded.valid / 1000) + 3 + 3);
    expect(done.nextRunAt).toBeUndefined();
    expect(env.alarms.all()).not.toContainEqual(expect.objectContaining({ name: 'sync:1234567:501' }));
  });

  it('counts a CleverTap id used by two profiles once, as a duplicate', async () => {
    const { mixpanel, service, settle, sync, segmentMembers } = await ready();
    mixpanel.state.addCohort(PROJECT_ID, { id: 502, name: 'Twins' });
    for (const [distinctId, id] of [['a', 'same'], ['b', 'same'], ['c', 'other']]) {
      mixpanel.state.setProfile(PROJECT_ID, distinctId!, { $CleverTap_user_id: id });
    }
    mixpanel.state.addMembers(PROJECT_ID, 502, ['a', 'b', 'c']);
    await service.start(502, 'Twins', 'one-time');
    await settle();
    expect((await sync(syncIdFor(PROJECT_ID, 502))).lastRun?.counts.skipped.duplicateId).toBe(1);
    expect(segmentMembers(SEGMENT('Twins'))).toEqual(['other', 'same']);
  });
});

describe('a dynamic sync', () => {
  it('runs at once, schedules itself every 15 minutes, and follows joiners and leavers', async () => {
    const { mixpanel, service, settle, sync, segmentMembers, env } = await ready();
    const seeded = seedCohort(mixpanel.state, { projectId: PROJECT_ID, cohortId: 601, name: 'Churn risk', members: 1200 });
    const id = syncIdFor(PROJECT_ID, 601);
    await service.start(601, 'Churn risk', 'dynamic');
    await settle();
    expect(await env.alarms.get(`sync:${id}`)).toMatchObject({ periodInMinutes: 15 });
    expect((await sync(id)).nextRunAt).toBeGreaterThan(Date.now());

    const leavers = [...seeded.expected.keys()].slice(0, 30);
    mixpanel.state.removeMembers(PROJECT_ID, 601, leavers);
    mixpanel.state.setProfile(PROJECT_ID, 'joiner-1', { $CleverTap_user_id: 'ct-joiner-1' });
    mixpanel.state.addMembers(PROJECT_ID, 601, ['joiner-1']);
    // The alarm's name is all the background passes on (entrypoints/background.ts).
    await service.onAlarm(`sync:${id}`);
    await settle();

    const expected = new Set(seeded.expected.values());
    for (const leaver of leavers) expected.delete(seeded.expected.get(leaver)!);
    expected.add('ct-joiner-1');
    expect(segmentMembers(SEGMENT('Churn risk'))).toEqual(sorted(expected));
    const last = (await sync(id)).lastRun!;
    expect(last.counts).toMatchObject({ added: 1, removed: 30 });
    expect((await listHistory(id)).map((run) => run.counts.added)).toEqual([1, seeded.valid]);
  });

  it('starting a sync for a cohort that has one changes its type, never adds a second', async () => {
    const { mixpanel, service, settle, state, env } = await ready();
    seedCohort(mixpanel.state, { projectId: PROJECT_ID, cohortId: 602, members: 10 });
    await service.start(602, 'Small', 'dynamic');
    await settle();
    await service.start(602, 'Small', 'one-time');
    await settle();
    const { syncs } = await state();
    expect(syncs.filter((candidate) => candidate.cohortId === 602)).toHaveLength(1);
    expect(syncs[0]?.type).toBe('one-time');
    expect(await env.alarms.get(`sync:${syncIdFor(PROJECT_ID, 602)}`)).toBeUndefined();
  });
});

describe('failures', () => {
  it('a read failing half-way removes nobody, and the next run finishes the job', async () => {
    const { mixpanel, clevertap, service, settle, sync, segmentMembers } = await ready();
    const seeded = seedCohort(mixpanel.state, { projectId: PROJECT_ID, cohortId: 701, name: 'Half', members: 3000 });
    const id = syncIdFor(PROJECT_ID, 701);
    await service.start(701, 'Half', 'dynamic');
    await settle();
    const before = segmentMembers(SEGMENT('Half'));

    mixpanel.state.removeMembers(PROJECT_ID, 701, [...seeded.expected.keys()].slice(0, 100));
    mixpanel.faults.add('/api/query/engage', { kind: 'status', status: 503, body: 'busy' }, { skip: 1, times: 10 });
    await service.syncNow(id);
    await settle();
    expect((await sync(id)).status).toMatchObject({ state: 'failed', reason: expect.stringContaining('Mixpanel') });
    expect(segmentMembers(SEGMENT('Half'))).toEqual(before);
    expect(clevertap.segment(SEGMENT('Half'))?.replaceCount).toBe(0);

    mixpanel.faults.clear();
    await service.syncNow(id);
    await settle();
    expect((await sync(id)).status).toEqual({ state: 'synced' });
    // The 100 removed were the first of `seeded.expected`, which holds only members with a valid id:
    // each of them had left the segment's 100 places, none is skipped for an invalid id.
    expect(segmentMembers(SEGMENT('Half'))).toHaveLength(before.length - 100);
  });

  it('pauses on rejected credentials with a reason naming the region, and notifies', async () => {
    const engine = await ready();
    seedCohort(engine.mixpanel.state, { projectId: PROJECT_ID, cohortId: 702, members: 50 });
    engine.clevertap.faults.add('/1/upload', {
      kind: 'status',
      status: 401,
      body: '{"status":"fail","error":"Account ID is not valid","code":401}',
    });
    await engine.service.start(702, 'Auth', 'one-time');
    await engine.settle();
    const status = (await engine.sync(syncIdFor(PROJECT_ID, 702))).status;
    expect(status).toEqual({ state: 'paused', reason: expect.stringMatching(/Passcode rejected by CleverTap \(Europe\)/) });
    expect(engine.notifications.at(-1)?.message).toMatch(/Passcode rejected/);
    expect(JSON.stringify(engine.notifications)).not.toContain('emulator-passcode');
  });

  it('records records CleverTap rejects, with its reason', async () => {
    const { mixpanel, clevertap, service, settle, sync } = await ready();
    mixpanel.state.addCohort(PROJECT_ID, { id: 703, name: 'Rejects' });
    mixpanel.state.setProfile(PROJECT_ID, 'r1', { $CleverTap_user_id: 'r-1' });
    mixpanel.state.setProfile(PROJECT_ID, 'r2', { $CleverTap_user_id: 'r-2' });
    mixpanel.state.addMembers(PROJECT_ID, 703, ['r1', 'r2']);
    clevertap.rejectIdentities.add('r-2');
    await service.start(703, 'Rejects', 'one-time');
    await settle();
    const id = syncIdFor(PROJECT_ID, 703);
    const run = (await sync(id)).lastRun!;
    expect(run.counts.rejected).toBe(1);
    // The reasons live in the history only; the app state keeps the count.
    expect(run).not.toHaveProperty('rejections');
    const [filed] = await listHistory(id);
    expect(filed?.rejections).toEqual([{ identity: 'r-2', code: 555, error: expect.stringContaining('Miscellaneous'), failures: 1 }]);
  });

  it('pauses with an actionable reason when Segment delivery has no notification email', async () => {
    const { mixpanel, service, settle, sync, settings } = await ready();
    await settings({ notificationEmail: '' });
    seedCohort(mixpanel.state, { projectId: PROJECT_ID, cohortId: 704, members: 5 });
    await service.start(704, 'No email', 'one-time');
    await settle();
    expect((await sync(syncIdFor(PROJECT_ID, 704))).status).toMatchObject({
      state: 'paused',
      reason: expect.stringContaining('notification email'),
    });
  });
});

describe('the safety brake', () => {
  it('stops a mass removal for review; confirm delivers it, discard leaves the segment', async () => {
    const { mixpanel, service, settle, sync, segmentMembers } = await ready();
    const seeded = seedCohort(mixpanel.state, { projectId: PROJECT_ID, cohortId: 801, name: 'Brake', members: 400 });
    const id = syncIdFor(PROJECT_ID, 801);
    await service.start(801, 'Brake', 'dynamic');
    await settle();
    const full = segmentMembers(SEGMENT('Brake'));

    mixpanel.state.removeMembers(PROJECT_ID, 801, [...seeded.expected.keys()].slice(0, 300));
    await service.syncNow(id);
    await settle();
    expect((await sync(id)).status).toMatchObject({ state: 'needs-review', removals: 300, segmentSize: full.length });
    expect(segmentMembers(SEGMENT('Brake'))).toEqual(full);

    await service.review(id, 'discard');
    await settle();
    expect(segmentMembers(SEGMENT('Brake'))).toEqual(full);
    expect((await sync(id)).lastRun?.outcome).toBe('discarded');

    await service.syncNow(id);
    await settle();
    expect((await sync(id)).status.state).toBe('needs-review');
    await service.review(id, 'confirm');
    await settle();
    expect((await sync(id)).status).toEqual({ state: 'synced' });
    expect(segmentMembers(SEGMENT('Brake'))).toHaveLength(full.length - 300);
  });

  it('stops a run that reads an empty cohort where the segment had members', async () => {
    const { mixpanel, service, settle, sync } = await ready();
    const seeded = seedCohort(mixpanel.state, { projectId: PROJECT_ID, cohortId: 802, members: 50 });
    const id = syncIdFor(PROJECT_ID, 802);
    await service.start(802, 'Empty', 'dynamic');
    await settle();
    mixpanel.state.removeMembers(PROJECT_ID, 802, [...seeded.expected.keys()]);
    await service.syncNow(id);
    await settle();
    expect((await sync(id)).status).toMatchObject({ state: 'needs-review', reason: expect.stringContaining('no members') });
  });
});

describe('delivery modes', () => {
  it('Profile property: $add for joiners, $remove for leavers, only changed users sent', async () => {
    const { mixpanel, clevertap, service, settle, settings } = await ready();
    await settings({ deliveryMode: 'property', events: { enabled: true, added: 'Joined', removed: 'Left' } });
    const seeded = seedCohort(mixpanel.state, { projectId: PROJECT_ID, cohortId: 901, name: 'VIP', members: 40 });
    const id = syncIdFor(PROJECT_ID, 901);
    await service.start(901, 'VIP', 'dynamic');
    await settle();
    const [leaver] = [...seeded.expected.entries()][0]!;
    const leaverIdentity = seeded.expected.get(leaver)!;
    expect(clevertap.profile(leaverIdentity)?.properties['Mixpanel Cohorts']).toEqual(['VIP']);

    mixpanel.state.removeMembers(PROJECT_ID, 901, [leaver]);
    clevertap.resetStats();
    await service.syncNow(id);
    await settle();
    expect(clevertap.profile(leaverIdentity)?.properties['Mixpanel Cohorts']).toBeUndefined();
    expect(clevertap.events(leaverIdentity).map((event) => event.evtName)).toEqual(['Joined', 'Left']);
    expect(clevertap.segments()).toEqual([]);
    // One upload for the $remove and one for the event: the 39 unchanged users are not sent.
    expect(clevertap.stats().requests['/1/upload']).toBe(2);
  });
});

describe('the query budget', () => {
  it('keeps a 30k-member dynamic sync under Mixpanel’s limits for an hour of runs', async () => {
    const { mixpanel, service, settle, sync } = await ready();
    seedCohort(mixpanel.state, { projectId: PROJECT_ID, cohortId: 990, members: 30_000 });
    const id = syncIdFor(PROJECT_ID, 990);
    await service.start(990, 'Big', 'dynamic');
    await settle();
    for (let run = 0; run < 4; run++) {
      await service.onAlarm(`sync:${id}`);
      await settle();
    }
    expect((await sync(id)).status).toEqual({ state: 'synced' });
    expect(mixpanel.counters.rateLimited).toBe(0);
    expect(mixpanel.counters.peakConcurrency).toBeLessThanOrEqual(3);
  }, 60_000);
});
