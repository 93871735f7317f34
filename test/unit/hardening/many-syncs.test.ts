/**
 * 20 dynamic syncs on one project for three simulated hours (the clock is faked, the engine and
 * HTTP are real): Mixpanel's 60-an-hour limit is never hit, every sync makes progress in turn,
 * and a sync that has to wait says until when, truthfully.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listHistory } from '../../../lib/storage/runs';
import { syncIdFor } from '../../../lib/storage/schema';
import { RESUME_ALARM } from '../../../lib/sync/service';
import { seedCohort } from '../../emulators/mixpanel';
import { PROJECT_ID, startEngine, type Engine } from '../sync/harness';

let engine: Engine;
afterEach(async () => {
  vi.useRealTimers();
  await engine?.close();
});

const MINUTE = 60_000;

describe('20 dynamic syncs on one project', () => {
  it('stay under the hourly limit, every sync progresses, and waits are honest', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-01-05T09:00:00Z') });
    // As in the browser, the queue gathers the alarms that fire together before it picks.
    engine = await startEngine({ mixpanel: { maxPageSize: 500 }, queueGatherMs: 50 });
    await engine.connect();
    await engine.settings({ notificationEmail: 'admin@example.com' });
    const ids = Array.from({ length: 20 }, (_, index) => {
      seedCohort(engine.mixpanel.state, { projectId: PROJECT_ID, cohortId: 8000 + index, members: 300 + index * 50 });
      return syncIdFor(PROJECT_ID, 8000 + index);
    });
    for (const [index] of ids.entries()) await engine.service.start(8000 + index, `Many ${index}`, 'dynamic');
    await engine.settle();

    const promises: { id: string; until: number }[] = [];
    const broken: string[] = [];
    for (let step = 1; step <= 12; step++) {
      vi.setSystemTime(Date.now() + 15 * MINUTE);
      // Every sync's alarm fires, then the resume alarm (runs that waited for the budget).
      for (const id of ids) await engine.service.onAlarm(`sync:${id}`);
      await engine.service.onAlarm(RESUME_ALARM);
      await engine.settle();
      for (const id of ids) {
        const sync = await engine.sync(id);
        const kept = promises.find((promise) => promise.id === id && promise.until <= Date.now());
        if (kept && sync.behindUntil && sync.behindUntil < kept.until + 15 * MINUTE) broken.push(`${id} still waiting after ${new Date(kept.until).toISOString()}`);
        if (sync.behindUntil) {
          expect(sync.behindUntil).toBeGreaterThan(Date.now());
          expect(sync.behindUntil).toBeLessThanOrEqual(Date.now() + 60 * MINUTE);
          promises.push({ id, until: sync.behindUntil });
        }
        expect(['synced', 'scheduled']).toContain(sync.status.state);
      }
    }
    const runs = await Promise.all(ids.map(async (id) => (await listHistory(id)).filter((run) => run.outcome === 'synced').length));
    // 3 hours, 50 queries an hour for us: about 150 runs shared by 20 syncs, each getting its turn.
    expect(engine.mixpanel.counters.rateLimited).toBe(0);
    expect(Math.min(...runs)).toBeGreaterThanOrEqual(4);
    // The queue takes turns: a sync whose alarm fires first gets at most one run more than any other.
    expect(Math.max(...runs) - Math.min(...runs)).toBeLessThanOrEqual(1);
    expect(broken).toEqual([]);
    console.info(JSON.stringify({ runsPerSync: runs, waits: promises.length, counted: engine.mixpanel.counters.queriesCounted }));
  }, 120_000);
});
