/** Storage → view: what crosses to the pages, and how progress records shape a sync's status. */
import { describe, expect, it } from 'vitest';
import { changesView } from '../../../entrypoints/background/state-view';
import { toRunRecordView, toStateView } from '../../../entrypoints/background/views';
import type { RunProgress as ProgressRecord } from '../../../lib/storage/progress';
import { DEFAULT_SETTINGS, type AppState, type Sync } from '../../../lib/storage/schema';
import { runSummary } from '../ui/fixtures';

const rejected = { identity: 'user-1', code: 512, error: 'Invalid identity' };

function sync(status: Sync['status'], extra: Partial<Sync> = {}): Sync {
  return { id: '1:2', projectId: 1, cohortId: 2, cohortName: 'Power users', type: 'dynamic', createdAt: 5, status, ...extra };
}

function state(...syncs: Sync[]): AppState {
  return {
    connections: {
      clevertap: { accountId: 'TEST-1', region: 'eu1', connectedAt: 1 },
      mixpanel: { username: 'sa', projectId: 1, region: 'us', connectedAt: 1 },
    },
    settings: DEFAULT_SETTINGS,
    syncs,
  };
}

const running = (done: number, total: number): ProgressRecord => ({
  syncId: '1:2',
  kind: 'running',
  phase: 'delivering',
  done,
  total,
  etaAt: 9_000,
  updatedAt: 1,
});

describe('toStateView', () => {
  it('keeps what pages show and leaves the last run’s rejections to the history', () => {
    const lastRun = runSummary('1:2', { rejections: [rejected], counts: { ...runSummary('1:2').counts, rejected: 1 } });
    const view = toStateView(state(sync({ state: 'synced' }, { lastRun, nextRunAt: 7, segmentName: 'Mixpanel: Power users' })));
    expect(view.connections.clevertap).toEqual({ accountId: 'TEST-1', region: 'eu1', connectedAt: 1 });
    expect(view.settings).toEqual(DEFAULT_SETTINGS);
    const [shown] = view.syncs;
    expect(shown).toMatchObject({ id: '1:2', status: { state: 'synced' }, nextRunAt: 7, segmentName: 'Mixpanel: Power users' });
    expect(shown!.lastRun).toMatchObject({ runId: lastRun.runId, counts: { rejected: 1 } });
    expect(shown!.lastRun).not.toHaveProperty('rejections');
    expect(toRunRecordView(lastRun).rejections).toEqual([rejected]);
  });

  it('takes a running sync’s progress from its record; without one yet, it is reading, 0 of 0', () => {
    const stored = sync({ state: 'running' });
    expect(toStateView(state(stored)).syncs[0]!.status).toEqual({ state: 'running', phase: 'reading', done: 0, total: 0 });
    expect(toStateView(state(stored), [running(400, 500)]).syncs[0]!.status).toEqual({
      state: 'running',
      phase: 'delivering',
      done: 400,
      total: 500,
      etaAt: 9_000,
    });
  });

  it('shows a sync waiting behind another with its place and ETA', () => {
    const queued: ProgressRecord = { syncId: '1:2', kind: 'queued', place: 2, etaAt: 12_000, updatedAt: 1 };
    expect(toStateView(state(sync({ state: 'scheduled' })), [queued]).syncs[0]!.status).toEqual({
      state: 'queued',
      place: 2,
      etaAt: 12_000,
    });
  });

  it('lets a paused or reviewed sync’s status stand over a progress record left behind', () => {
    const paused = sync({ state: 'paused', reason: 'Paused by you' });
    expect(toStateView(state(paused), [running(1, 2)]).syncs[0]!.status).toEqual({ state: 'paused', reason: 'Paused by you' });
    const review = sync({ state: 'needs-review', reason: 'Big drop', removals: 60, segmentSize: 100 });
    expect(toStateView(state(review), [{ syncId: '1:2', kind: 'queued', place: 1, updatedAt: 1 }]).syncs[0]!.status.state).toBe(
      'needs-review',
    );
  });

  it('applies a record to its own sync only', () => {
    const other = sync({ state: 'scheduled' }, { id: '1:3', cohortId: 3 });
    const view = toStateView(state(sync({ state: 'running' }), other), [running(5, 10)]);
    expect(view.syncs.map((shown) => shown.status.state)).toEqual(['running', 'scheduled']);
  });
});

describe('what changes the view', () => {
  it('counts as a change of the view: the stored state and progress records, nothing else', () => {
    expect(changesView({ appState: {} }, 'local')).toBe(true);
    expect(changesView({ cohortCache: {} }, 'local')).toBe(false);
    expect(changesView({ 'progress:1:2': {} }, 'session')).toBe(true);
    expect(changesView({ appState: {} }, 'sync')).toBe(false);
  });
});
