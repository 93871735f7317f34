/**
 * Regression tests for engine bugs found while hardening the engine against faults and restarts
 * (RELIABILITY.md has the evidence).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { syncIdFor } from '../../../lib/storage/schema';
import { seedCohort } from '../../emulators/mixpanel';
import { PROJECT_ID, sorted, startEngine, type Engine } from './harness';

let engine: Engine;
afterEach(() => engine?.close());

describe('recovery', () => {
  it('a read whose sessions kept expiring fails for a retry, and the retry starts a fresh session', async () => {
    engine = await startEngine({ mixpanel: { maxPageSize: 100 } });
    await engine.connect();
    await engine.settings({ notificationEmail: 'admin@example.com' });
    const seeded = seedCohort(engine.mixpanel.state, { projectId: PROJECT_ID, cohortId: 77, name: 'Expiring', members: 500 });
    const id = syncIdFor(PROJECT_ID, 77);
    // Every paging request finds its session gone.
    engine.mixpanel.faults.add('/api/query/engage', { kind: 'hook', run: () => engine.mixpanel.expireSessions() }, { skip: 1, times: 10_000 });
    await engine.service.start(77, 'Expiring', 'dynamic');
    await engine.settle();
    const stopped = (await engine.sync(id)).status;
    // Nobody can fix an expiring session by hand: the sync fails and is retried, it is not paused.
    expect(stopped).toMatchObject({ state: 'failed', reason: expect.stringContaining('kept expiring') });

    engine.mixpanel.faults.clear();
    await engine.service.syncNow(id);
    await engine.settle();
    expect((await engine.sync(id)).status).toEqual({ state: 'synced' });
    expect(engine.segmentMembers('Mixpanel: Expiring')).toEqual(sorted(seeded.expected.values()));
  });

  it('a malformed answer fails the run for a retry instead of pausing the sync', async () => {
    engine = await startEngine();
    await engine.connect();
    await engine.settings({ notificationEmail: 'admin@example.com' });
    seedCohort(engine.mixpanel.state, { projectId: PROJECT_ID, cohortId: 78, members: 50 });
    engine.mixpanel.faults.add('/api/query/engage', { kind: 'malformed' });
    await engine.service.start(78, 'Garbled', 'dynamic');
    await engine.settle();
    expect((await engine.sync(syncIdFor(PROJECT_ID, 78))).status).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('Mixpanel sent an unexpected answer'),
    });
  });
});
