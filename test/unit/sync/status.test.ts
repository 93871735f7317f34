/** `nextStatus`: every event against every status it can meet, as a table. */
import { describe, expect, it } from 'vitest';
import type { LastRun, Sync, SyncStatus } from '../../../lib/storage/schema';
import { badgeFor, nextStatus, PAUSED_BY_USER, type SyncEvent } from '../../../lib/sync/status';
import { DEFAULT_SETTINGS } from '../../../lib/storage/schema';

const LAST_RUN: LastRun = {
  runId: 'r',
  syncId: '1:2',
  trigger: 'manual',
  startedAt: 1,
  finishedAt: 2,
  outcome: 'synced',
  counts: { read: 1, exported: 1, skipped: { missingId: 0, invalidId: 0, duplicateId: 0 }, added: 1, removed: 0, rejected: 0 },
  mixpanelQueries: 1,
  clevertapRequests: 1,
};

const scheduled: SyncStatus = { state: 'scheduled' };
const running: SyncStatus = { state: 'running' };
const synced: SyncStatus = { state: 'synced' };
const paused: SyncStatus = { state: 'paused', reason: PAUSED_BY_USER };
const failed: SyncStatus = { state: 'failed', reason: 'Mixpanel: busy' };
const review: SyncStatus = { state: 'needs-review', reason: 'Half would go', removals: 5, segmentSize: 10 };

const sync = (status: SyncStatus, extra: Partial<Sync> = {}): Sync => ({
  id: '1:2',
  projectId: 1,
  cohortId: 2,
  cohortName: 'Cohort',
  type: 'dynamic',
  createdAt: 0,
  status,
  ...extra,
});

const table: [string, SyncStatus, SyncEvent, SyncStatus][] = [
  // start / syncNow / resume while a run goes on keep it Running (the "Scheduled during a run" bug).
  ['start on a running sync', running, { type: 'start' }, running],
  ['start on a synced sync', synced, { type: 'start' }, scheduled],
  ['start on a paused sync', paused, { type: 'start' }, scheduled],
  ['start on a failed sync', failed, { type: 'start' }, scheduled],
  ['sync now on a running sync', running, { type: 'sync-now' }, running],
  ['sync now on a paused sync', paused, { type: 'sync-now' }, scheduled],
  ['sync now on a synced sync', synced, { type: 'sync-now' }, synced],
  ['sync now on a failed sync', failed, { type: 'sync-now' }, failed],
  ['resume on a paused sync', paused, { type: 'resume' }, scheduled],
  ['resume on a running sync', running, { type: 'resume' }, running],
  ['pause on a running sync', running, { type: 'pause', reason: PAUSED_BY_USER }, paused],
  ['pause on a sync waiting for review', review, { type: 'pause', reason: PAUSED_BY_USER }, paused],
  ['run started on a scheduled sync', scheduled, { type: 'run-started' }, running],
  ['run started on a failed sync (its retry)', failed, { type: 'run-started' }, running],
  ['run started on a paused sync', paused, { type: 'run-started' }, paused],
  ['run started on a sync waiting for review', review, { type: 'run-started' }, review],
  ['run committed', running, { type: 'run-committed', lastRun: LAST_RUN }, synced],
  ['run committed after the user paused', paused, { type: 'run-committed', lastRun: LAST_RUN }, paused],
  ['run needs review', running, { type: 'run-needs-review', reason: 'Half would go', removals: 5, segmentSize: 10 }, review],
  ['run paused by a failure', running, { type: 'run-paused', reason: 'Passcode rejected' }, { state: 'paused', reason: 'Passcode rejected' }],
  ['run failure after the user paused', paused, { type: 'run-paused', reason: 'Passcode rejected' }, paused],
  ['run failed', running, { type: 'run-failed', reason: 'Mixpanel: busy' }, failed],
  ['run failed after a stop-and-start', scheduled, { type: 'run-failed', reason: 'Mixpanel: busy' }, scheduled],
  ['run waiting for the budget', running, { type: 'run-waiting-for-budget', retryAt: 99 }, scheduled],
  ['review confirmed', review, { type: 'review-confirmed' }, scheduled],
  ['review confirmed with nothing to review', synced, { type: 'review-confirmed' }, synced],
  ['review discarded', review, { type: 'review-discarded', lastRun: LAST_RUN }, synced],
  ['the alarm was set', synced, { type: 'scheduled', nextRunAt: 5 }, synced],
];

describe('nextStatus', () => {
  it.each(table)('%s', (_name, from, event, to) => {
    expect(nextStatus(sync(from), event).status).toEqual(to);
  });

  it('a committed run files its summary and next run, even on a paused sync', () => {
    expect(nextStatus(sync(running), { type: 'run-committed', lastRun: LAST_RUN, nextRunAt: 7 })).toMatchObject({ lastRun: LAST_RUN, nextRunAt: 7 });
    expect(nextStatus(sync(paused), { type: 'run-committed', lastRun: LAST_RUN })).toMatchObject({ status: paused, lastRun: LAST_RUN });
  });

  it('a run that starts clears "behind", and the budget sets it', () => {
    expect(nextStatus(sync(scheduled, { behindUntil: 9 }), { type: 'run-started' }).behindUntil).toBeUndefined();
    expect(nextStatus(sync(running), { type: 'run-waiting-for-budget', retryAt: 42 }).behindUntil).toBe(42);
  });

  it('setting the alarm changes only the next run', () => {
    expect(nextStatus(sync(review), { type: 'scheduled', nextRunAt: 123 })).toEqual(sync(review, { nextRunAt: 123 }));
  });

  it('leaves the sync it was given alone', () => {
    const before = sync(running);
    const copy = structuredClone(before);
    nextStatus(before, { type: 'pause', reason: 'x' });
    expect(before).toEqual(copy);
  });
});

describe('the toolbar badge', () => {
  const state = (...statuses: SyncStatus[]) => ({
    connections: { clevertap: null, mixpanel: null },
    settings: DEFAULT_SETTINGS,
    syncs: statuses.map((status, index) => sync(status, { id: `1:${index}` })),
  });
  it.each([
    ['nothing to show', state(synced, scheduled), ''],
    ['a run goes on', state(synced, running), '…'],
    ['a failure wins over a run', state(running, failed), '!'],
    ['a review wins', state(review), '!'],
    ['the user’s own pause needs no attention', state(paused), ''],
    ['a pause for a reason does', state({ state: 'paused', reason: 'Passcode rejected' }), '!'],
  ])('%s', (_name, appState, text) => {
    expect(badgeFor(appState).text).toBe(text);
  });
});
