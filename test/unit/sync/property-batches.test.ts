import { afterEach, describe, expect, it } from 'vitest';
import { syncIdFor } from '../../../lib/storage/schema';
import { PROJECT_ID, startEngine, type Engine } from './harness';

let engine: Engine;
afterEach(() => engine?.close());

const COHORT = 950;
const user = (i: number) => ({ distinctId: `p${i}`, identity: `pb-${String(i).padStart(5, '0')}` });

describe('property mode batches', () => {
  it('fills the last partial batch of $add records with $remove records, across chunk boundaries', async () => {
    engine = await startEngine();
    await engine.connect();
    // 1300 of 2300 leaving is over the default brake of 50 %: this test is about batches, not the brake.
    await engine.settings({ notificationEmail: 'admin@example.com', deliveryMode: 'property', removalThreshold: 1 });
    const { mixpanel, clevertap, service, settle, sync } = engine;
    mixpanel.state.addCohort(PROJECT_ID, { id: COHORT, name: 'Batched' });
    for (let i = 0; i < 3500; i++) mixpanel.state.setProfile(PROJECT_ID, user(i).distinctId, { $CleverTap_user_id: user(i).identity });
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => user(from + k).distinctId);
    mixpanel.state.addMembers(PROJECT_ID, COHORT, range(0, 2300));
    const id = syncIdFor(PROJECT_ID, COHORT);
    await service.start(COHORT, 'Batched', 'dynamic');
    await settle();
    expect((await sync(id)).status).toEqual({ state: 'synced' });

    // 1300 leave and 1200 join: 2500 records, so 3 requests (not 2 for the adds and 2 for the removes);
    // the second batch holds 200 adds and 800 removes, the third the removes of both remove chunks.
    mixpanel.state.removeMembers(PROJECT_ID, COHORT, range(0, 1300));
    mixpanel.state.addMembers(PROJECT_ID, COHORT, range(2300, 3500));
    clevertap.resetStats();
    await service.syncNow(id);
    await settle();
    const run = (await sync(id)).lastRun!;
    expect(run.counts).toMatchObject({ added: 1200, removed: 1300, rejected: 0 });
    expect(clevertap.stats().requests['/1/upload']).toBe(3);
    for (let i = 0; i < 3500; i++) {
      const cohorts = clevertap.profile(user(i).identity)?.properties['Mixpanel Cohorts'];
      if (i >= 1300) expect(cohorts, user(i).identity).toEqual(['Batched']);
      else expect(cohorts, user(i).identity).toBeUndefined();
    }
  }, 60_000);
});
