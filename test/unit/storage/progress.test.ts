/** Progress under its own key, the pages' view of it, and the app state's move to version 2. */
import { describe, expect, it } from 'vitest';
import { INITIAL_APP_STATE, migrateAppStateToV2, parseAppState } from '../../../lib/storage/app-state-shape';
import { appStateStore, memoryItem, memoryProgressStore } from '../../../lib/storage/items';
import { parseProgress, progressKey } from '../../../lib/storage/progress';
import { DEFAULT_SETTINGS, lastRunOf, type AppState, type RunSummary, type Sync } from '../../../lib/storage/schema';

const summary: RunSummary = {
  runId: 'r1',
  syncId: '1:2',
  trigger: 'start',
  startedAt: 1,
  finishedAt: 2,
  outcome: 'synced',
  counts: { read: 3, exported: 2, skipped: { missingId: 1, invalidId: 0, duplicateId: 0 }, added: 2, removed: 0, rejected: 1 },
  mixpanelQueries: 1,
  clevertapRequests: 2,
  rejections: [{ identity: 'x', code: 555, error: 'Miscellaneous' }],
};

const sync = (id: string, status: Sync['status']): Sync => ({ id, projectId: 1, cohortId: 2, cohortName: 'C', type: 'dynamic', createdAt: 0, status });
const state = (...syncs: Sync[]): AppState => ({ ...INITIAL_APP_STATE, settings: DEFAULT_SETTINGS, syncs });

describe('progress records', () => {
  it('live under progress:<syncId> and parse strictly', () => {
    expect(progressKey('1:2')).toBe('progress:1:2');
    expect(parseProgress({ syncId: '1:2', kind: 'queued', place: 2, updatedAt: 5 })).toEqual({ syncId: '1:2', kind: 'queued', place: 2, updatedAt: 5 });
    expect(parseProgress({ syncId: '1:2', kind: 'queued', place: 0, updatedAt: 5 })).toBeUndefined();
    expect(parseProgress({ syncId: '1:2', kind: 'running', phase: 'committing', done: 1, total: 2, updatedAt: 5 })).toBeUndefined();
  });

  it('the memory store keeps one record per sync', async () => {
    const store = memoryProgressStore();
    await store.put({ syncId: 'a', kind: 'queued', place: 1, updatedAt: 1 });
    await store.put({ syncId: 'a', kind: 'running', phase: 'reading', done: 1, total: 2, updatedAt: 2 });
    await store.put({ syncId: 'b', kind: 'queued', place: 1, updatedAt: 2 });
    await store.remove('b');
    expect(await store.list()).toEqual([{ syncId: 'a', kind: 'running', phase: 'reading', done: 1, total: 2, updatedAt: 2 }]);
  });
});

describe('the app state', () => {
  it('keeps the last run without its rejections', () => {
    expect(lastRunOf(summary)).not.toHaveProperty('rejections');
    expect(lastRunOf(summary).counts.rejected).toBe(1);
  });

  it('version 1 → 2: progress leaves the status, rejections leave the last run, the rest stays', () => {
    const v1 = {
      ...state(),
      syncs: [
        { ...sync('1:2', { state: 'scheduled' }), status: { state: 'running', phase: 'reading', done: 5, total: 10, etaAt: 3 }, lastRun: summary },
        sync('1:3', { state: 'paused', reason: 'Paused by you' }),
      ],
    };
    const v2 = parseAppState(migrateAppStateToV2(v1));
    expect(v2.syncs[0]).toEqual({ ...sync('1:2', { state: 'running' }), lastRun: lastRunOf(summary) });
    expect(v2.syncs[1]).toEqual(sync('1:3', { state: 'paused', reason: 'Paused by you' }));
    expect(migrateAppStateToV2('junk')).toBe('junk');
  });

  it('serialises concurrent updates so none is lost', async () => {
    const store = appStateStore(memoryItem<unknown>());
    await Promise.all(
      ['1:1', '1:2', '1:3'].map((id) => store.update((current) => ({ ...current, syncs: [...current.syncs, sync(id, { state: 'scheduled' })] }))),
    );
    expect((await store.read()).syncs.map((candidate) => candidate.id).sort()).toEqual(['1:1', '1:2', '1:3']);
  });

  it('reads a missing or tampered state as the empty one', async () => {
    expect(await appStateStore(memoryItem<unknown>()).read()).toEqual(INITIAL_APP_STATE);
    expect(await appStateStore(memoryItem<unknown>({ syncs: 'nope' })).read()).toEqual(INITIAL_APP_STATE);
  });
});
