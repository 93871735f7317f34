/**
 * The sync service: the commands (start, sync now, pause, resume, stop, review) and the events
 * (alarms, worker start), composed from the scheduler (when), the run queue (one run at a time,
 * fairly), the failure policy (what a failure means) and `nextStatus` (the only status writer).
 * Every run's progress lives in IndexedDB, so any wake-up of the worker can pick it up again.
 */
import { useIndexedDb } from '../storage/db';
import type { AppStateStore } from '../storage/items';
import type { RunProgress } from '../storage/progress';
import { getActiveRun, listActiveRuns, newRun, saveRun, type ActiveRun } from '../storage/runs';
import type { SyncType } from '../shapes';
import { lastRunOf, syncIdFor, type AppState, type RunSummary, type Settings, type Sync } from '../storage/schema';
import { commitRun, deleteSnapshot, forgetSync, getCommitted } from '../storage/snapshots';
import { hostAccessMessage } from '../host-access-text';
import { clevertapClient, mixpanelClient } from './clients';
import { segmentName, usesSegment } from './deliver';
import type { Environment } from './environment';
import { SyncError } from './errors';
import { failureOutcome, type Notice } from './failure-policy';
import { forgetRejected, rejectedStore } from './rejected';
import { executeRun, summarize } from './run';
import { queuedProgress, RunQueue } from './run-queue';
import { alarmTarget, isSchedulable, runsToResume, Scheduler } from './scheduler';
import { chooseSegmentName } from './segment-names';
import { badgeFor, nextStatus, PAUSED_BY_USER, type SyncEvent } from './status';

export { SyncError } from './errors';

/** How often the queued syncs' ETAs follow the running sync's progress. */
const QUEUE_ETA_EVERY_MS = 10_000;
export { RESUME_ALARM } from './scheduler';

export class SyncService {
  private readonly store: AppStateStore;
  private readonly scheduler: Scheduler;
  private readonly queue: RunQueue;
  /** The running sync's latest progress, for the queued syncs' ETA. */
  private current?: { syncId: string; startedAt: number; etaAt?: number };
  private queued = new Set<string>();
  private queueToldAt = 0;
  private unwrittenProgress?: RunProgress;
  private progressWritten: Promise<void> = Promise.resolve();

  constructor(private readonly env: Environment) {
    useIndexedDb(env.storage.indexedDB);
    this.store = env.storage.appState;
    this.scheduler = new Scheduler(env.alarms, () => env.now(), env.periodMinutes);
    this.queue = new RunQueue({
      run: (syncId, signal) => this.runOne(syncId, signal),
      keepAlive: env.keepAlive,
      lastTurn: async () => lastTurnOf((await this.store.read()).syncs),
      deferred: () => this.waitingForBudget(),
      onBusy: () => this.scheduler.keepResuming(),
      onIdle: async () => {
        if ((await listActiveRuns()).every((run) => run.phase === 'reviewing')) await this.scheduler.stopResuming();
      },
      onChange: (waiting, current) => this.publishQueue(waiting, current),
      gatherMs: env.queueGatherMs,
    });
  }

  // ── Commands ────────────────────────────────────────────────────────────────

  async start(cohortId: number, cohortName: string, type: SyncType): Promise<Sync> {
    const { connections } = await this.store.read();
    if (!connections.mixpanel) throw new SyncError('Connect Mixpanel in the extension’s options first.');
    if (!connections.clevertap) throw new SyncError('Connect CleverTap in the extension’s options first.');
    const projectId = connections.mixpanel.projectId;
    const id = syncIdFor(projectId, cohortId);
    const now = this.env.now();
    let sync: Sync | undefined;
    await this.write((state) => {
      const existing = state.syncs.find((candidate) => candidate.id === id);
      const others = state.syncs.filter((candidate) => candidate.id !== id);
      // A cohort has one sync: starting it again changes its type, never adds a second one.
      const base: Sync = existing
        ? {
            ...existing,
            cohortName,
            type,
            // Kept from the first export, so a renamed cohort keeps its segment.
            segmentName: existing.segmentName ?? segmentName(state.settings, existing.cohortName),
          }
        : {
            id,
            projectId,
            cohortId,
            cohortName,
            type,
            createdAt: now,
            status: { state: 'scheduled' },
            segmentName: chooseSegmentName(state.settings, { cohortId, cohortName, projectId }, others),
          };
      sync = nextStatus(base, { type: 'start' });
      if (type === 'one-time') delete sync.nextRunAt;
      return { ...state, syncs: [...others, sync] };
    });
    await this.schedule(sync!);
    await this.trigger(id, 'start');
    return this.syncOrThrow(id);
  }

  async syncNow(syncId: string): Promise<Sync> {
    const sync = await this.syncOrThrow(syncId);
    if (sync.status.state === 'needs-review') throw new SyncError('Confirm or discard the run that needs review first.');
    await this.apply(syncId, { type: 'sync-now' });
    await this.trigger(syncId, 'manual');
    return this.syncOrThrow(syncId);
  }

  async pause(syncId: string): Promise<Sync> {
    await this.syncOrThrow(syncId);
    this.queue.abort(syncId);
    await this.scheduler.unschedule(syncId);
    await this.apply(syncId, { type: 'pause', reason: PAUSED_BY_USER });
    return this.syncOrThrow(syncId);
  }

  async resume(syncId: string): Promise<Sync> {
    const sync = await this.syncOrThrow(syncId);
    // Scheduled from the resumed state: the paused one would clear the dynamic sync's alarm.
    await this.schedule((await this.apply(syncId, { type: 'resume' })) ?? sync);
    // A paused run carries on from its checkpoint; a dynamic sync runs now to catch up.
    if ((await getActiveRun(syncId)) || sync.type === 'dynamic') await this.trigger(syncId, 'manual');
    return this.syncOrThrow(syncId);
  }

  /** Ends the sync. The CleverTap segment keeps its last export; nothing more is sent. */
  async stop(syncId: string): Promise<void> {
    await this.syncOrThrow(syncId);
    this.queue.abort(syncId);
    await this.scheduler.unschedule(syncId);
    await this.write((state) => ({ ...state, syncs: state.syncs.filter((sync) => sync.id !== syncId) }));
    await this.env.storage.progress.remove(syncId);
    await forgetSync(syncId);
    await forgetRejected(this.env.storage.rejected(syncId));
  }

  async review(syncId: string, decision: 'confirm' | 'discard'): Promise<Sync> {
    const run = await getActiveRun(syncId);
    if (!run || run.phase !== 'reviewing') throw new SyncError('This sync has no run waiting for review.');
    if (decision === 'confirm') {
      await saveRun({ ...run, approved: true });
      await this.apply(syncId, { type: 'review-confirmed' });
      await this.trigger(syncId, 'manual');
    } else {
      const summary = summarize(run, 'discarded', this.env.now(), 'Discarded after review: the segment was left as it was.');
      await discardRun(run, summary, (await this.store.read()).settings);
      await this.apply(syncId, { type: 'review-discarded', lastRun: lastRunOf(summary) });
    }
    return this.syncOrThrow(syncId);
  }

  /** Pauses every sync, with a reason, when a connection goes away. */
  async pauseAll(reason: string): Promise<void> {
    this.queue.abortAll();
    await this.write((state) => ({ ...state, syncs: state.syncs.map((sync) => nextStatus(sync, { type: 'pause', reason })) }));
  }

  // ── Events ──────────────────────────────────────────────────────────────────

  async onAlarm(name: string): Promise<void> {
    const target = alarmTarget(name);
    if (target?.kind === 'sync') {
      const sync = (await this.store.read()).syncs.find((candidate) => candidate.id === target.syncId);
      if (!sync) {
        await this.scheduler.unschedule(target.syncId);
        return;
      }
      if (isSchedulable(sync)) await this.trigger(target.syncId, 'schedule');
    } else if (target?.kind === 'resume') {
      await this.resumeAll();
    }
  }

  /**
   * Called whenever the worker starts: re-creates missing alarms (they may not survive a browser
   * restart) and resumes every run that was interrupted, oldest first.
   */
  async resumeAll(): Promise<void> {
    const state = await this.store.read();
    for (const [syncId, nextRunAt] of await this.scheduler.resumeAll(state.syncs)) {
      await this.apply(syncId, { type: 'scheduled', nextRunAt });
    }
    const resumed = runsToResume(state.syncs, await listActiveRuns());
    // Records of a worker that stopped mid-run say nothing true any more; the queue writes new ones.
    for (const record of await this.env.storage.progress.list()) {
      if (!this.queue.isRunning(record.syncId)) await this.env.storage.progress.remove(record.syncId);
    }
    for (const syncId of resumed) this.queue.enqueue(syncId, true);
  }

  /** Resolves when the queue is empty: for tests and the popup's "sync now" feedback. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  // ── Runs ────────────────────────────────────────────────────────────────────

  private async trigger(syncId: string, trigger: ActiveRun['trigger']): Promise<void> {
    if (!(await getActiveRun(syncId))) await saveRun(newRun(syncId, trigger, this.env.now()));
    this.queue.enqueue(syncId, trigger === 'schedule');
  }

  /** One run; true when it took its turn in the queue (committed, or stopped for review). */
  private async runOne(syncId: string, signal: AbortSignal): Promise<boolean> {
    const state = await this.store.read();
    const sync = state.syncs.find((candidate) => candidate.id === syncId);
    const run = await getActiveRun(syncId);
    if (!sync || !run || !isSchedulable(sync)) {
      await this.env.storage.progress.remove(syncId);
      return false;
    }
    this.current = { syncId, startedAt: this.env.now() };
    await this.apply(syncId, { type: 'run-started' });
    await this.progress(run, 0, 0);
    const counters = { queries: 0, requests: 0 };
    const take = (key: keyof typeof counters) => () => {
      const value = counters[key];
      counters[key] = 0;
      return value;
    };
    try {
      // Without host access every call fails like a dead network; say what the user can do instead.
      const missing = (await this.env.missingHostAccess?.()) ?? [];
      if (missing.length > 0) throw new SyncError(hostAccessMessage(missing));
      assertDeliverable(state.settings);
      const mixpanel = await mixpanelClient(state.connections, this.env, () => counters.queries++);
      const clevertap = await clevertapClient(state.connections, this.env, () => counters.requests++);
      const result = await executeRun(run, {
        sync,
        settings: state.settings,
        mixpanel,
        clevertap,
        signal,
        now: this.env.now,
        periodMs: this.env.periodMinutes * 60_000,
        takeQueries: take('queries'),
        takeRequests: take('requests'),
        rejected: rejectedStore(this.env.storage.rejected(syncId)),
        onProgress: (current, done, total) => (signal.aborted ? Promise.resolve() : this.progress(current, done, total)),
      });
      if (result.kind === 'committed') {
        const nextRunAt = await this.scheduler.nextRunAt(sync);
        await this.apply(syncId, { type: 'run-committed', lastRun: lastRunOf(result.summary), nextRunAt });
        return true;
      } else {
        const { reason, removals, segmentSize } = result;
        await this.apply(syncId, { type: 'run-needs-review', reason, removals, segmentSize });
        await this.notifyIf(state.settings, { title: `Review needed: ${sync.cohortName}`, message: reason });
        return true;
      }
    } catch (error) {
      if (!signal.aborted) await this.fail(sync, error, state.settings);
      return false;
    } finally {
      this.current = undefined;
      await this.progressWritten;
      await this.env.storage.progress.remove(syncId);
    }
  }

  /**
   * Progress ticks are written one at a time, the latest replacing any not yet written: the run
   * never waits on storage for a figure the popup only shows.
   */
  private writeProgress(record: RunProgress): void {
    const idle = this.unwrittenProgress === undefined;
    this.unwrittenProgress = record;
    if (!idle) return;
    this.progressWritten = this.progressWritten.then(async () => {
      const latest = this.unwrittenProgress;
      this.unwrittenProgress = undefined;
      if (latest) await this.env.storage.progress.put(latest).catch(() => undefined);
    });
  }

  private async progress(run: ActiveRun, done: number, total: number): Promise<void> {
    const now = this.env.now();
    const phase = run.phase === 'reading' || run.phase === 'diffing' ? 'reading' : 'delivering';
    const elapsed = now - run.startedAt;
    const etaAt = done > 0 && total > done ? Math.round(now + (elapsed / done) * (total - done)) : undefined;
    if (this.current?.syncId === run.syncId) this.current.etaAt = etaAt;
    this.writeProgress({ syncId: run.syncId, kind: 'running', phase, done, total, updatedAt: now, ...(etaAt ? { etaAt } : {}) });
    // The syncs waiting behind this run learn its new ETA now and then, not on every tick.
    if (now - this.queueToldAt >= QUEUE_ETA_EVERY_MS) {
      this.queueToldAt = now;
      await this.queue.refresh();
    }
  }

  private async fail(sync: Sync, error: unknown, settings: Settings): Promise<void> {
    const clevertapRegion = (await this.store.read()).connections.clevertap?.region;
    const outcome = failureOutcome(error, { cohortName: sync.cohortName, clevertapRegion });
    if (outcome.action === 'wait') {
      await this.apply(sync.id, { type: 'run-waiting-for-budget', retryAt: outcome.retryAt });
      await this.scheduler.resumeAt(outcome.retryAt);
      return;
    }
    if (outcome.action === 'pause') {
      await this.apply(sync.id, { type: 'run-paused', reason: outcome.reason });
    } else {
      await this.apply(sync.id, { type: 'run-failed', reason: outcome.reason, nextRunAt: await this.scheduler.nextRunAt(sync) });
      await this.scheduler.resumeIn(outcome.retryInMinutes);
    }
    await this.notifyIf(settings, outcome.notice);
  }

  /** Syncs whose run waits for the query budget (a schedulable sync, "behind", with its checkpoint). */
  private async waitingForBudget(): Promise<string[]> {
    const behind = (await this.store.read()).syncs.filter((sync) => sync.behindUntil !== undefined && sync.status.state === 'scheduled');
    if (behind.length === 0) return [];
    const runs = new Set((await listActiveRuns()).filter((run) => run.phase !== 'reviewing').map((run) => run.syncId));
    return behind.filter((sync) => runs.has(sync.id)).map((sync) => sync.id);
  }

  /** Queued records for the waiting syncs, with their place and when each should start. */
  private async publishQueue(waiting: readonly string[], current: string | undefined): Promise<void> {
    const now = this.env.now();
    const { syncs } = await this.store.read();
    const durationOf = (syncId: string) => {
      const last = syncs.find((sync) => sync.id === syncId)?.lastRun;
      return last ? Math.max(0, last.finishedAt - last.startedAt) : undefined;
    };
    let remaining: number | undefined = 0;
    if (current) {
      const running = this.current?.syncId === current ? this.current : undefined;
      const duration = durationOf(current);
      if (running?.etaAt !== undefined) remaining = Math.max(0, running.etaAt - now);
      else if (running && duration !== undefined) remaining = Math.max(0, duration - (now - running.startedAt));
      else remaining = duration;
    }
    this.queueToldAt = now;
    const records = queuedProgress(waiting, now, remaining, durationOf);
    const left = [...this.queued].filter((syncId) => !waiting.includes(syncId) && syncId !== current);
    this.queued = new Set(waiting);
    for (const record of records) await this.env.storage.progress.put(record);
    for (const syncId of left) await this.env.storage.progress.remove(syncId);
  }

  // ── State ───────────────────────────────────────────────────────────────────

  /** Moves one sync by `event` (the only way a status changes); undefined when the sync is gone. */
  private async apply(syncId: string, event: SyncEvent): Promise<Sync | undefined> {
    let moved: Sync | undefined;
    await this.write((state) => ({
      ...state,
      syncs: state.syncs.map((sync) => (sync.id === syncId ? (moved = nextStatus(sync, event)) : sync)),
    }));
    return moved;
  }

  private async write(change: (state: AppState) => AppState): Promise<AppState> {
    const state = await this.store.update(change);
    try {
      await this.env.setBadge(badgeFor(state));
    } catch {
      // No toolbar (a browser without the action API): nothing to show.
    }
    return state;
  }

  private async schedule(sync: Sync): Promise<void> {
    const nextRunAt = await this.scheduler.schedule(sync);
    if (nextRunAt !== undefined) await this.apply(sync.id, { type: 'scheduled', nextRunAt });
  }

  private async notifyIf(settings: Settings, notice: Notice): Promise<void> {
    if (!settings.notifyOnFailure) return;
    try {
      await this.env.notify(notice.title, notice.message);
    } catch (error) {
      console.warn('Could not show a notification', error instanceof Error ? error.name : 'unknown');
    }
  }

  private async syncOrThrow(syncId: string): Promise<Sync> {
    const sync = (await this.store.read()).syncs.find((candidate) => candidate.id === syncId);
    if (!sync) throw new SyncError('This sync no longer exists.');
    return sync;
  }
}

/** The sync whose run finished last (ties: the later id), where the turns go on after a worker start. */
function lastTurnOf(syncs: readonly Sync[]): string | undefined {
  let last: Sync | undefined;
  for (const sync of syncs) {
    if (!sync.lastRun) continue;
    const newer = !last?.lastRun || sync.lastRun.finishedAt > last.lastRun.finishedAt;
    const tie = last?.lastRun && sync.lastRun.finishedAt === last.lastRun.finishedAt && sync.id > last.id;
    if (newer || tie) last = sync;
  }
  return last?.id;
}

function assertDeliverable(settings: Settings): void {
  if (usesSegment(settings) && !settings.notificationEmail) {
    throw new SyncError(
      'Add a notification email under Sync settings: CleverTap needs one to create segments from a list.',
    );
  }
}

/** Files the run in the history as discarded; the committed snapshot stays what CleverTap holds. */
async function discardRun(run: ActiveRun, summary: RunSummary, settings: Settings): Promise<void> {
  const committed = await getCommitted(run.syncId);
  await commitRun({ ...run, snapshot: committed?.snapshot ?? run.snapshot }, summary, committed?.size ?? 0, settings.historyLimit);
  await deleteSnapshot(run.snapshot);
}
