/**
 * Answers of unexpected shape: every Mixpanel profile is counted (exported or skipped by reason),
 * and a CleverTap answer we cannot read fails the run with a reason, never silently.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { syncIdFor } from '../../../lib/storage/schema';
import { PROJECT_ID, startEngine, type Engine } from '../sync/harness';

let engine: Engine;
afterEach(() => engine?.close());

async function ready() {
  engine = await startEngine();
  await engine.connect();
  await engine.settings({ notificationEmail: 'admin@example.com' });
  engine.mixpanel.state.addCohort(PROJECT_ID, { id: 55, name: 'Odd' });
  engine.mixpanel.state.setProfile(PROJECT_ID, 'normal', { $CleverTap_user_id: 'normal' });
  engine.mixpanel.state.addMembers(PROJECT_ID, 55, ['normal']);
  return engine;
}

const page = (results: unknown[]) =>
  JSON.stringify({ page: 0, page_size: 1000, session_id: 'odd-1', status: 'ok', total: results.length, computed_at: 'x', results });

describe('Mixpanel profiles of unexpected shape', () => {
  it('are counted, exported when they carry a usable id, and never crash the read', async () => {
    const { mixpanel, service, settle, sync, segmentMembers } = await ready();
    mixpanel.faults.add('/api/query/engage', {
      kind: 'status',
      status: 200,
      body: page([
        { $distinct_id: 12345, $properties: { $CleverTap_user_id: 987 } },
        { $distinct_id: 'n1', $properties: null },
        { $properties: { $CleverTap_user_id: 'no-distinct-id' } },
        { $distinct_id: 'd1', $properties: { $CleverTap_user_id: 'dup' } },
        { $distinct_id: 'd1', $properties: { $CleverTap_user_id: 'dup' } },
        { $distinct_id: 'e1', $properties: { $CleverTap_user_id: 'extra', other: [1, 2] }, $extra: true },
        { $distinct_id: null, $properties: 'not an object' },
        null,
        42,
      ]),
    });
    await service.start(55, 'Odd', 'one-time');
    await settle();
    const done = await sync(syncIdFor(PROJECT_ID, 55));
    expect(done.status).toEqual({ state: 'synced' });
    expect(done.lastRun?.counts).toMatchObject({
      read: 9,
      exported: 4,
      skipped: { missingId: 4, invalidId: 0, duplicateId: 1 },
    });
    expect(segmentMembers('Mixpanel: Odd')).toEqual(['987', 'dup', 'extra', 'no-distinct-id']);
  });

  it('a page that is not a page at all fails the run with a reason', async () => {
    const { mixpanel, clevertap, service, settle, sync } = await ready();
    mixpanel.faults.add('/api/query/engage', { kind: 'status', status: 200, body: '{"results":"nope"}' });
    await service.start(55, 'Odd', 'one-time');
    await settle();
    expect((await sync(syncIdFor(PROJECT_ID, 55))).status).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('Mixpanel sent an unexpected answer'),
    });
    expect(clevertap.segments()).toEqual([]);
  });
});

describe('CleverTap answers of unknown shape', () => {
  for (const [path, body] of [
    ['/1/upload', '{"status":"success","processed":"lots"}'],
    ['/1/upload', '{"ok":true}'],
    ['/upload_custom_list_segment_completed', '{"status":"success"}'],
    ['/get_custom_list_segment_url', '{"status":"success","presignedS3URL":"http://insecure.example/x"}'],
  ] as const) {
    it(`${path} answering ${body} fails the run with a reason and leaves no segment`, async () => {
      const { clevertap, service, settle, sync } = await ready();
      clevertap.faults.add(path, { kind: 'status', status: 200, body }, { times: 100 });
      await service.start(55, 'Odd', 'one-time');
      await settle();
      const status = (await sync(syncIdFor(PROJECT_ID, 55))).status;
      expect(status).toMatchObject({ state: 'failed', reason: expect.stringContaining('CleverTap') });
      expect(clevertap.segments()).toEqual([]);
    });
  }
});
