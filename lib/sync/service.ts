/**
 * The sync service: the one place that starts, queues, resumes and steers runs. Runs execute one
 * at a time in trigger order (fair across cohorts, and within CleverTap's per-account concurrency);
 * every run's progress lives in IndexedDB, so any wake-up of the worker can pick it up again.
 */
import browser from 'webextension-polyfill';
import { isApiError, type ApiError } from '../http/errors';
import { serviceName } from '../http/fetch-json';
import { regionLabel } from '../clevertap/regions';
import { readAppState, updateAppState } from '../storage/app-state';
import { getActiveRun, listActiveRuns, newRun, saveRun, type ActiveRun } from '../storage/runs';
import { syncIdFor, type RunSummary, type Settings, type Sync, type SyncStatus, type SyncType } from '../storage/schema';
import { commitRun, deleteSnapshot, forgetSync, getCommitted } from '../storage/snapshots';
import { BudgetExhaustedError, budgetFor } from './budget';
import { clevertapClient, mixpanelClient, NotConnectedError } from './clients';
import { segmentName, usesSegment } from './deliver';
import { forgetRejected } from './rejected';
import { chooseSegmentName } from './segment-names';
import type { Environment } from './environment';
import { executeRun, summarize } from './run';
import { patchSync, PAUSED_BY_USER, setStatus } from './state';

const SYNC_ALARM_PREFIX = 'sync:';
/** Wakes a worker that was stopped mid-run; while runs are active it fires every 30 s. */
export const RESUME_ALARM = 'resume-runs';
/** A run that failed after its retries is tried again this much later. */
const RETRY_FAILED_AFTER_MINUTES = 5;

/** Not retried at once, but nothing the user could fix either: the run fails and is tried again later. */
const RETRY_LATER: ReadonlySet<ApiError['kind']> = new Set(['malformed', 'session-expired']);

export class SyncError extends Error {
  override readonly name = 'SyncError';
}

export class SyncService {
  private queue: string[] = [];
  private current?: { syncId: string; controller: AbortController };
  private draining?: Promise<void>;

  constructor(private readonly env: Environment) {}

  // ── Commands ────────────────────────────────────────────────────────────────

  async start(cohortId: number, cohortName: string, type: SyncType): Promise<Sync> {
    const { connections } = await readAppState();
    if (!connections.mixpanel) throw new SyncError('Connect Mixpanel in the extension’s options first.');
    if (!connections.clevertap) throw new SyncError('Connect CleverTap in the extension’s options first.');
    const id = syncIdFor(connections.mixpanel.projectId, cohortId);
    const now = this.env.now();
    let sync: Sync | undefined;
    await updateAppState((state) => {
      const existing = state.syncs.find((candidate) => candidate.id === id);
      const others = state.syncs.filter((candidate) => candidate.id !== id);
      const projectId = connections.mixpanel!.projectId;
      // A cohort has one sync: starting it again changes its type, never adds a second one.
      sync = existing
        ? {
            ...existing,
            cohortName,
            type,
            status: { state: 'scheduled' },
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
    if (sync.status.state === 'paused') await setStatus(syncId, { state: 'scheduled' });
    await this.trigger(syncId, 'manual');
    return this.syncOrThrow(syncId);
  }

  async pause(syncId: string): Promise<Sync> {
    await this.syncOrThrow(syncId);
    this.abort(syncId);
    await browser.alarms.clear(SYNC_ALARM_PREFIX + syncId);
    const sync = await setStatus(syncId, { state: 'paused', reason: PAUSED_BY_USER });
    return sync!;
  }

  async resume(syncId: string): Promise<Sync> {
    const sync = await this.syncOrThrow(syncId);
    await setStatus(syncId, { state: 'scheduled' });
    await this.schedule(sync);
    // A paused run carries on from its checkpoint; a dynamic sync runs now to catch up.
    if ((await getActiveRun(syncId)) || sync.type === 'dynamic') await this.trigger(syncId, 'manual');
    return this.syncOrThrow(syncId);
  }

  /** Ends the sync. The CleverTap segment keeps its last export; nothing more is sent. */
  async stop(syncId: string): Promise<void> {
    await this.syncOrThrow(syncId);
    this.abort(syncId);
    this.queue = this.queue.filter((queued) => queued !== syncId);
    await browser.alarms.clear(SYNC_ALARM_PREFIX + syncId);
    await updateAppState((state) => ({ ...state, syncs: state.syncs.filter((sync) => sync.id !== syncId) }));
    await forgetSync(syncId);
    await forgetRejected(syncId);
  }

  async review(syncId: string, decision: 'confirm' | 'discard'): Promise<Sync> {
    const run = await getActiveRun(syncId);
    if (!run || run.phase !== 'reviewing') throw new SyncError('This sync has no run waiting for review.');
    if (decision === 'confirm') {
      await saveRun({ ...run, approved: true });
      await setStatus(syncId, { state: 'scheduled' });
      await this.trigger(syncId, 'manual');
    } else {
      const summary = summarize(run, 'discarded', this.env.now(), 'Discarded after review: the segment was left as it was.');
      await discardRun(run, summary, (await readAppState()).settings);
      await setStatus(syncId, { state: 'synced' }, { lastRun: summary });
    }
    return this.syncOrThrow(syncId);
  }

  /** Pauses every sync, with a reason, when a connection goes away. */
  async pauseAll(reason: string): Promise<void> {
    if (this.current) this.current.controller.abort();
    this.queue = [];
    await updateAppState((state) => ({
      ...state,
      syncs: state.syncs.map((sync) => ({ ...sync, status: { state: 'paused' as const, reason } })),
    }));
  }

  // ── Events ──────────────────────────────────────────────────────────────────

  async onAlarm(name: string): Promise<void> {
    if (name.startsWith(SYNC_ALARM_PREFIX)) {
      const syncId = name.slice(SYNC_ALARM_PREFIX.length);
      const sync = (await readAppState()).syncs.find((candidate) => candidate.id === syncId);
      if (!sync) {
        await browser.alarms.clear(name);
        return;
      }
      if (isSchedulable(sync)) await this.trigger(syncId, 'schedule');
    } else if (name === RESUME_ALARM) {
      await this.resumeAll();
    }
  }

  /**
   * Called whenever the worker starts: re-creates missing alarms (they may not survive a browser
   * restart) and resumes every run that was interrupted, oldest first.
   */
  async resumeAll(): Promise<void> {
    const state = await readAppState();
    for (const sync of state.syncs) await this.schedule(sync);
    const runs = (await listActiveRuns()).sort((a, b) => a.startedAt - b.startedAt);
    for (const run of runs) {
      const sync = state.syncs.find((candidate) => candidate.id === run.syncId);
      if (sync && isSchedulable(sync) && run.phase !== 'reviewing') this.enqueue(run.syncId);
    }
    void this.drain();
  }

  /** Resolves when the queue is empty: for tests and the popup's "sync now" feedback. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  // ── Queue ───────────────────────────────────────────────────────────────────

  private async trigger(syncId: string, trigger: ActiveRun['trigger']): Promise<void> {
    if (!(await getActiveRun(syncId))) await saveRun(newRun(syncId, trigger, this.env.now()));
    this.enqueue(syncId);
    void this.drain();
  }

  private enqueue(syncId: string): void {
    // A run that is still unwinding from a pause or stop does not stand in for a new one.
    const running = this.current?.syncId === syncId && !this.current.controller.signal.aborted;
    if (running || this.queue.includes(syncId)) return;
    this.queue.push(syncId);
  }

  private drain(): Promise<void> {
    this.draining ??= (async () => {
      await browser.alarms.create(RESUME_ALARM, { periodInMinutes: 0.5 });
      try {
        for (let syncId = this.queue.shift(); syncId; syncId = this.queue.shift()) await this.runOne(syncId);
      } finally {
        this.draining = undefined;
        if ((await listActiveRuns()).every((run) => run.phase === 'reviewing')) await browser.alarms.clear(RESUME_ALARM);
      }
    })();
    return this.draining;
  }

  private abort(syncId: string): void {
    if (this.current?.syncId === syncId) this.current.controller.abort();
    this.queue = this.queue.filter((queued) => queued !== syncId);
  }

  private async runOne(syncId: string): Promise<void> {
    const state = await readAppState();
    const sync = state.syncs.find((candidate) => candidate.id === syncId);
    const run = await getActiveRun(syncId);
    if (!sync || !run || !isSchedulable(sync)) return;
    const controller = new AbortController();
    this.current = { syncId, controller };
    // An awaited fetch alone does not keep an MV3 worker alive; an extension API call does.
    const keepAlive = setInterval(() => void browser.runtime.getPlatformInfo(), 20_000);
    const counters = { queries: 0, requests: 0 };
    const take = (key: keyof typeof counters) => () => {
      const value = counters[key];
      counters[key] = 0;
      return value;
    };
    try {
      assertDeliverable(state.settings);
      const budget = budgetFor(sync.projectId, state.settings.queryBudget);
      const mixpanel = await mixpanelClient(state.connections, this.env, {
        gate: (kind) => {
          counters.queries++;
          return budget.gate(kind);
        },
        onRateLimited: budget.onRateLimited,
        // As many pages in flight as the budget lets run at once.
        pageConcurrency: state.settings.queryBudget.concurrent,
      });
      const clevertap = await clevertapClient(state.connections, this.env, () => counters.requests++);
      await setStatus(syncId, { state: 'running', phase: 'reading', done: 0, total: 0 }, { behindUntil: undefined });
      const result = await executeRun(run, {
        sync,
        settings: state.settings,
        mixpanel,
        clevertap,
        signal: controller.signal,
        now: this.env.now,
        periodMs: this.env.periodMinutes * 60_000,
        takeQueries: take('queries'),
        takeRequests: take('requests'),
        onProgress: (current, done, total) =>
          controller.signal.aborted ? Promise.resolve() : this.progress(current, done, total),
      });
      if (result.kind === 'committed') {
        await setStatus(syncId, { state: 'synced' }, { lastRun: result.summary, ...(await this.nextRun(sync)) });
      } else {
        const { reason, removals, segmentSize } = result;
        await setStatus(syncId, { state: 'needs-review', reason, removals, segmentSize });
        await this.notifyIf(state.settings, `Review needed: ${sync.cohortName}`, reason);
      }
    } catch (error) {
      if (!controller.signal.aborted) await this.fail(sync, error, state.settings);
    } finally {
      clearInterval(keepAlive);
      this.current = undefined;
    }
  }

  private async progress(run: ActiveRun, done: number, total: number): Promise<void> {
    const phase = run.phase === 'reading' || run.phase === 'diffing' ? 'reading' : 'delivering';
    const elapsed = this.env.now() - run.startedAt;
    const etaAt = done > 0 && total > done ? this.env.now() + (elapsed / done) * (total - done) : undefined;
    const status: SyncStatus = { state: 'running', phase, done, total, ...(etaAt ? { etaAt: Math.round(etaAt) } : {}) };
    // A pause or stop that landed meanwhile wins over progress.
    await patchSync(run.syncId, (sync) => (sync.status.state === 'running' ? { ...sync, status } : sync));
  }

  private async fail(sync: Sync, error: unknown, settings: Settings): Promise<void> {
    if (error instanceof BudgetExhaustedError) {
      // Not a failure: the run keeps its checkpoint and continues when the hour frees a query.
      await setStatus(sync.id, { state: 'scheduled' }, { behindUntil: error.retryAt });
      await browser.alarms.create(RESUME_ALARM, { when: error.retryAt });
      return;
    }
    if (error instanceof NotConnectedError || error instanceof SyncError) {
      await setStatus(sync.id, { state: 'paused', reason: error.message });
      await this.notifyIf(settings, `Sync paused: ${sync.cohortName}`, error.message);
      return;
    }
    const reason = await describeFailure(error);
    if (isApiError(error) && !error.retryable && !RETRY_LATER.has(error.kind)) {
      // The user has to act (credentials, permissions): retrying cannot help, so pause.
      await setStatus(sync.id, { state: 'paused', reason });
      await this.notifyIf(settings, `Sync paused: ${sync.cohortName}`, reason);
      return;
    }
    await setStatus(sync.id, { state: 'failed', reason }, await this.nextRun(sync));
    // Never sooner than the service's own Retry-After.
    const retryAfterMinutes = isApiError(error) ? (error.retryAfterMs ?? 0) / 60_000 : 0;
    await browser.alarms.create(RESUME_ALARM, { delayInMinutes: Math.max(RETRY_FAILED_AFTER_MINUTES, retryAfterMinutes) });
    await this.notifyIf(settings, `Sync failed: ${sync.cohortName}`, `${reason} It will be retried.`);
  }

  private async notifyIf(settings: Settings, title: string, message: string): Promise<void> {
    if (!settings.notifyOnFailure) return;
    try {
      await this.env.notify(title, message);
    } catch (error) {
      console.warn('Could not show a notification', error instanceof Error ? error.name : 'unknown');
    }
  }

  private async schedule(sync: Sync): Promise<void> {
    const name = SYNC_ALARM_PREFIX + sync.id;
    if (sync.type !== 'dynamic' || !isSchedulable(sync)) {
      await browser.alarms.clear(name);
      return;
    }
    if (await browser.alarms.get(name)) return;
    await browser.alarms.create(name, { delayInMinutes: this.env.periodMinutes, periodInMinutes: this.env.periodMinutes });
    await patchSync(sync.id, (current) => ({ ...current, ...this.nextRunFromNow() }));
  }

  private async nextRun(sync: Sync): Promise<Partial<Sync>> {
    if (sync.type !== 'dynamic') return {};
    const alarm = await browser.alarms.get(SYNC_ALARM_PREFIX + sync.id);
    return alarm ? { nextRunAt: alarm.scheduledTime } : this.nextRunFromNow();
  }

  private nextRunFromNow(): Partial<Sync> {
    return { nextRunAt: this.env.now() + this.env.periodMinutes * 60_000 };
  }

  private async syncOrThrow(syncId: string): Promise<Sync> {
    const sync = (await readAppState()).syncs.find((candidate) => candidate.id === syncId);
    if (!sync) throw new SyncError('This sync no longer exists.');
    return sync;
  }
}

function isSchedulable(sync: Sync): boolean {
  return sync.status.state !== 'paused' && sync.status.state !== 'needs-review';
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

/** A reason the user can act on, naming the service and, for CleverTap, the region. */
async function describeFailure(error: unknown): Promise<string> {
  if (!isApiError(error)) return error instanceof Error ? error.message : 'Unexpected error.';
  if (error.service === 'clevertap' && error.kind === 'auth') {
    const region = (await readAppState()).connections.clevertap?.region;
    return `Passcode rejected by CleverTap${region ? ` (${regionLabel(region)})` : ''}. Reconnect CleverTap in the options, then resume.`;
  }
  return withService(error);
}

function withService(error: ApiError): string {
  const name = serviceName(error.service);
  return error.message.includes(name) ? error.message : `${name}: ${error.message}`;
}
