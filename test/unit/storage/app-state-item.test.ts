/** The background's app state item (WXT storage, versioned): a version-1 state is migrated once. */
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_SETTINGS } from '../../../lib/storage/schema';

describe('the app state item', () => {
  it('migrates a version-1 state on the worker’s first use and marks it version 2', async () => {
    fakeBrowser.reset();
    const v1Sync = {
      id: '1:2',
      projectId: 1,
      cohortId: 2,
      cohortName: 'C',
      type: 'dynamic',
      createdAt: 0,
      status: { state: 'running', phase: 'delivering', done: 5, total: 10 },
      lastRun: {
        runId: 'r',
        syncId: '1:2',
        trigger: 'start',
        startedAt: 1,
        finishedAt: 2,
        outcome: 'synced',
        counts: { read: 1, exported: 1, skipped: { missingId: 0, invalidId: 0, duplicateId: 0 }, added: 1, removed: 0, rejected: 1 },
        mixpanelQueries: 1,
        clevertapRequests: 1,
        rejections: [{ identity: 'x', code: 1, error: 'no' }],
      },
    };
    await fakeBrowser.storage.local.set({
      appState: { connections: { clevertap: null, mixpanel: null }, settings: DEFAULT_SETTINGS, syncs: [v1Sync] },
    });
    // Imported after the v1 state is in place, as a worker starting after an update would.
    const { backgroundAppState } = await import('../../../lib/background/storage-items');
    const state = await backgroundAppState().read();
    expect(state.syncs[0]?.status).toEqual({ state: 'running' });
    expect(state.syncs[0]?.lastRun).not.toHaveProperty('rejections');
    const stored = await fakeBrowser.storage.local.get(['appState', 'appState$']);
    expect(stored['appState$']).toEqual({ v: 2 });
    expect((stored['appState'] as { syncs: { status: unknown }[] }).syncs[0]?.status).toEqual({ state: 'running' });
  });
});
