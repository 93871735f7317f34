import { afterEach, describe, expect, it } from 'vitest';
import { listHistory } from '../../../lib/storage/runs';
import { syncIdFor } from '../../../lib/storage/schema';
import { PROJECT_ID, sorted, startEngine, type Engine } from './harness';

let engine: Engine;
afterEach(() => engine?.close());

const COHORT = 960;
const SEGMENT = 'Mixpanel: Pipelined';
const identityOf = (id: string) => `ct-${id}`;

async function ready() {
  engine = await startEngine({ mixpanel: { maxPageSize: 1000 } });
  await engine.connect();
  await engine.settings({ notificationEmail: 'admin@example.com' });
  const { mixpanel } = engine;
  mixpanel.state.addCohort(PROJECT_ID, { id: COHORT, name: 'Pipelined' });
  const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
  for (const id of [...ids('u', 3000), ...ids('j', 2000)]) {
    mixpanel.state.setProfile(PROJECT_ID, id, { $CleverTap_user_id: identityOf(id) });
  }
  return { ...engine, ids };
}

describe('upserts during the read', () => {
  it('sends new members’ profiles while reading; a read that fails half-way removes nobody, and the retry lands exact', async () => {
    const { mixpanel, clevertap, service, settle, sync, segmentMembers, ids } = await ready();
    const id = syncIdFor(PROJECT_ID, COHORT);
    mixpanel.state.addMembers(PROJECT_ID, COHORT, ids('u', 3000));
    await service.start(COHORT, 'Pipelined', 'dynamic');
    await settle();
    expect(segmentMembers(SEGMENT)).toEqual(sorted(ids('u', 3000).map(identityOf)));

    // Next run: 2000 join (pages 0–1), u1000…u2999 stay (pages 2–3), u0…u999 leave.
    const cohort = mixpanel.state.cohort(PROJECT_ID, COHORT)!;
    cohort.members.clear();
    mixpanel.state.addMembers(PROJECT_ID, COHORT, [...ids('j', 2000), ...ids('u', 3000).slice(1000)]);
    // Page 0 and two more pages answer; the fourth page request gets a garbled answer, every time.
    mixpanel.faults.add('/api/query/engage', { kind: 'malformed' }, { skip: 3, times: 100 });
    clevertap.resetStats();
    await service.syncNow(id);
    await settle();
    expect((await sync(id)).status).toMatchObject({ state: 'failed' });

    // Joiners of the staged pages were upserted, in full batches, before the read was complete …
    const upserted = ids('j', 2000).filter((joiner) => clevertap.profile(identityOf(joiner)));
    expect(upserted.length).toBeGreaterThanOrEqual(1000);
    expect(upserted.length % 1000).toBe(0);
    expect(clevertap.stats().requests['/1/upload']).toBe(upserted.length / 1000);
    // … but nobody left the segment and the custom list was not touched.
    expect(segmentMembers(SEGMENT)).toEqual(sorted(ids('u', 3000).map(identityOf)));
    expect(Object.keys(clevertap.stats().requests).filter((path) => path !== '/1/upload')).toEqual([]);

    mixpanel.faults.clear();
    await service.syncNow(id);
    await settle();
    const done = await sync(id);
    expect(done.status).toEqual({ state: 'synced' });
    expect(segmentMembers(SEGMENT)).toEqual(sorted([...ids('j', 2000), ...ids('u', 3000).slice(1000)].map(identityOf)));
    expect(done.lastRun?.counts).toMatchObject({ added: 2000, removed: 1000, rejected: 0 });
  });

  it('a first export sends each batch once: the early batches and the rest add up to the floor', async () => {
    const { mixpanel, clevertap, service, settle, sync, ids } = await ready();
    mixpanel.state.addMembers(PROJECT_ID, COHORT, [...ids('u', 3000), ...ids('j', 2000).slice(0, 1500)]);
    clevertap.resetStats(); // connecting checked the credentials with an upload
    await service.start(COHORT, 'Pipelined', 'one-time');
    await settle();
    const done = await sync(syncIdFor(PROJECT_ID, COHORT));
    expect(done.lastRun?.counts).toMatchObject({ exported: 4500, added: 4500 });
    expect(clevertap.stats().requests['/1/upload']).toBe(5);
    // 5 uploads, a visibility check of the last 3 new profiles, the custom list's 3 steps.
    expect(done.lastRun?.clevertapRequests).toBe(5 + 3 + 3);
  });

  it('the custom list asks for its URL while the last profiles upload, and completes only after every upload', async () => {
    const { mixpanel, clevertap, service, settle, sync, segmentMembers, ids } = await ready();
    // 3500: the last, partial batch goes after the read, beside the list's first calls.
    const members = [...ids('u', 3000), ...ids('j', 500)];
    mixpanel.state.addMembers(PROJECT_ID, COHORT, members);
    clevertap.latencyMs.upload = 150;
    const calls: { path: string; start: number; end: number }[] = [];
    const handle = clevertap.handle.bind(clevertap);
    (clevertap as { handle: typeof clevertap.handle }).handle = (request, response) => {
      const call = { path: request.url.pathname, start: performance.now(), end: Infinity };
      calls.push(call);
      response.on('finish', () => (call.end = performance.now()));
      return handle(request, response);
    };
    await service.start(COHORT, 'Pipelined', 'one-time');
    await settle();
    expect((await sync(syncIdFor(PROJECT_ID, COHORT))).status).toEqual({ state: 'synced' });
    expect(segmentMembers(SEGMENT)).toEqual(sorted(members.map(identityOf)));
    const uploads = calls.filter((call) => call.path === '/1/upload');
    const urlCall = calls.find((call) => call.path.endsWith('/get_custom_list_segment_url'))!;
    const completion = calls.find((call) => call.path.endsWith('/upload_custom_list_segment_completed'))!;
    expect(urlCall.start).toBeLessThan(Math.max(...uploads.map((call) => call.end)));
    expect(completion.start).toBeGreaterThanOrEqual(Math.max(...uploads.map((call) => call.end)));
  });

  it('a profile refused during the read is counted once, kept, and sent again by the next run', async () => {
    const { mixpanel, clevertap, service, settle, sync, segmentMembers, ids } = await ready();
    const id = syncIdFor(PROJECT_ID, COHORT);
    mixpanel.state.addMembers(PROJECT_ID, COHORT, ids('u', 3000));
    // u5 is on page 0, so its batch is the first the read fills.
    clevertap.rejectIdentities.add(identityOf('u5'));
    clevertap.resetStats();
    await service.start(COHORT, 'Pipelined', 'dynamic');
    await settle();
    const first = (await sync(id)).lastRun!;
    expect(first.counts).toMatchObject({ added: 3000, rejected: 1 });
    const [filed] = await listHistory(id);
    expect(filed?.rejections).toEqual([expect.objectContaining({ identity: identityOf('u5'), failures: 1 })]);
    // Three batches, none sent twice: the refused profile is not retried within the run that refused it.
    expect(clevertap.stats().requests['/1/upload']).toBe(3);
    expect(clevertap.profile(identityOf('u5'))).toBeUndefined();

    clevertap.rejectIdentities.clear();
    await service.syncNow(id);
    await settle();
    const second = (await sync(id)).lastRun!;
    expect(second.counts).toMatchObject({ added: 0, removed: 0, rejected: 0 });
    expect(clevertap.profile(identityOf('u5'))).toBeDefined();
    // A recovered profile makes the list worth uploading again, though nobody joined or left.
    expect(second.segment).toBe('replaced');
    expect(segmentMembers(SEGMENT)).toEqual(sorted(ids('u', 3000).map(identityOf)));
  });
});
