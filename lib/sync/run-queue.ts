/**
 * One run at a time (CleverTap's per-account concurrency and Mixpanel's query share are shared by
 * every sync), fair between cohorts: whenever a run ends, the waiting sync that ran least recently
 * goes next, so a sync whose alarm always fires first cannot take the freed queries every time.
 */
import type { RunProgress } from '../storage/progress';

export interface Candidate {
  syncId: string;
  /** When its last run finished; undefined when it never ran. */
  lastRunAt?: number;
  /** Arrival order in the queue: the tie-break. */
  arrival: number;
}

/** The waiting syncs in the order they will run: never run first, then least recently run, then arrival. */
export function runOrder(candidates: readonly Candidate[]): Candidate[] {
  const at = (candidate: Candidate) => candidate.lastRunAt ?? -Infinity;
  return [...candidates].sort((a, b) => at(a) - at(b) || a.arrival - b.arrival);
}

/** The sync that runs next, or undefined when none waits. */
export function pickNext(candidates: readonly Candidate[]): Candidate | undefined {
  return runOrder(candidates)[0];
}

/**
 * Queued records for the waiting syncs, in run order: their place, and when each is expected to
 * start, from the current run's remaining time and the last durations of the runs ahead. A place
 * behind a run of unknown length has no ETA.
 */
export function queuedProgress(
  order: readonly string[],
  now: number,
  currentRemainingMs: number | undefined,
  durationOf: (syncId: string) => number | undefined,
): Extract<RunProgress, { kind: 'queued' }>[] {
  let startsIn = currentRemainingMs;
  return order.map((syncId, index) => {
    const record = {
      syncId,
      kind: 'queued' as const,
      place: index + 1,
      ...(startsIn === undefined ? {} : { etaAt: Math.round(now + startsIn) }),
      updatedAt: now,
    };
    const duration = durationOf(syncId);
    startsIn = startsIn === undefined || duration === undefined ? undefined : startsIn + duration;
    return record;
  });
}

export interface RunQueueDeps {
  /** Runs one sync's run; a rejection is logged and the queue goes on. */
  run(syncId: string, signal: AbortSignal): Promise<void>;
  /** Keeps the worker alive during a run; returns the release. */
  keepAlive(): () => void;
  /** Last finished run of each sync, for the order. */
  lastRunAt(): Promise<Map<string, number>>;
  /** Before the first run of a busy spell, and after its last one. */
  onBusy(): Promise<void>;
  onIdle(): Promise<void>;
  /** The queue changed: `waiting` in run order, and the sync running now. */
  onChange(waiting: readonly string[], current: string | undefined): Promise<void>;
}

export class RunQueue {
  private waiting: { syncId: string; arrival: number }[] = [];
  private arrivals = 0;
  private current?: { syncId: string; controller: AbortController };
  private draining?: Promise<void>;

  constructor(private readonly deps: RunQueueDeps) {}

  /** Queues a run unless the sync is running or waiting already; starts draining. */
  enqueue(syncId: string): void {
    // A run that is still unwinding from a pause or stop does not stand in for a new one.
    const running = this.current?.syncId === syncId && !this.current.controller.signal.aborted;
    if (!running && !this.waiting.some((entry) => entry.syncId === syncId)) {
      this.waiting.push({ syncId, arrival: this.arrivals++ });
      void this.publish();
    }
    void this.drain();
  }

  /** Stops the sync's run if it is running, and takes it out of the queue. */
  abort(syncId: string): void {
    if (this.current?.syncId === syncId) this.current.controller.abort();
    const before = this.waiting.length;
    this.waiting = this.waiting.filter((entry) => entry.syncId !== syncId);
    if (this.waiting.length !== before) void this.publish();
  }

  abortAll(): void {
    this.current?.controller.abort();
    this.waiting = [];
    void this.publish();
  }

  /** Tells the waiting syncs' places again (the running sync's ETA moved). */
  refresh(): Promise<void> {
    return this.waiting.length > 0 ? this.publish() : Promise.resolve();
  }

  isRunning(syncId: string): boolean {
    return this.current?.syncId === syncId;
  }

  /** Resolves when the queue is empty: for tests and the popup's "sync now" feedback. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private drain(): Promise<void> {
    this.draining ??= (async () => {
      try {
        // An enqueue while the queue goes idle is run by the same drain, never left waiting.
        while (this.waiting.length > 0) {
          await this.deps.onBusy();
          while (this.waiting.length > 0) await this.runNext();
          await this.deps.onIdle();
        }
      } finally {
        this.draining = undefined;
      }
    })();
    return this.draining;
  }

  private async runNext(): Promise<void> {
    const [next] = await this.ordered();
    if (!next) return;
    this.waiting = this.waiting.filter((entry) => entry.syncId !== next.syncId);
    const controller = new AbortController();
    this.current = { syncId: next.syncId, controller };
    const release = this.deps.keepAlive();
    try {
      await this.publish();
      await this.deps.run(next.syncId, controller.signal);
    } catch (error) {
      console.warn('A run ended with an unexpected error', error instanceof Error ? error.name : 'unknown');
    } finally {
      release();
      this.current = undefined;
    }
  }

  private async ordered(): Promise<Candidate[]> {
    const lastRuns = await this.deps.lastRunAt();
    return runOrder(this.waiting.map((entry) => ({ ...entry, lastRunAt: lastRuns.get(entry.syncId) })));
  }

  private async publish(): Promise<void> {
    try {
      const order = await this.ordered();
      await this.deps.onChange(
        order.map((candidate) => candidate.syncId),
        this.current?.syncId,
      );
    } catch (error) {
      console.warn('Could not record the queue', error instanceof Error ? error.name : 'unknown');
    }
  }
}
