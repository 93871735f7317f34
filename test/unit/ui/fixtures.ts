import type { StateView as AppState, SyncView as Sync } from '../../../lib/messages';
import { DEFAULT_SETTINGS, type RunSummary } from '../../../lib/storage/schema';

export const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);

export function runSummary(syncId: string, extra: Partial<RunSummary> = {}): RunSummary {
  return {
    runId: `${syncId}:run`,
    syncId,
    trigger: 'manual',
    startedAt: NOW - 10 * 60_000,
    finishedAt: NOW - 9 * 60_000,
    outcome: 'synced',
    counts: { read: 120, exported: 100, skipped: { missingId: 15, invalidId: 3, duplicateId: 2 }, added: 10, removed: 4, rejected: 0 },
    mixpanelQueries: 1,
    clevertapRequests: 3,
    rejections: [],
    ...extra,
  };
}

export function makeSync(status: Sync['status'], extra: Partial<Sync> = {}): Sync {
  return {
    id: '1234:55',
    projectId: 1234,
    cohortId: 55,
    cohortName: 'Power users',
    type: 'dynamic',
    createdAt: NOW - 86_400_000,
    status,
    ...extra,
  };
}

export function makeState(syncs: Sync[] = []): AppState {
  return { connections: { clevertap: null, mixpanel: null }, settings: DEFAULT_SETTINGS, syncs };
}
