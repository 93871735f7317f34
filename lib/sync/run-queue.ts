/**
 * One run at a time (CleverTap's per-account concurrency and Mixpanel's query share are shared by
 * every sync), fair between cohorts: round-robin. The waiting syncs take turns in a fixed cyclic
 * order (by sync id), starting after the sync whose run last took its turn, so a sync whose alarm
 * always fires first cannot take the freed queries every time. Turns rather than "least recently
 * run": the order needs no clock, so runs that finish within the same instant still take turns.
 */
import type { RunProgress } from '../storage/progress';

/**
 * The waiting syncs in the order they will run: cyclic by sync id, starting after `lastTurn` (the
 * sync whose run last took its turn; none yet: from the start).
 */
export function runOrder(waiting: readonly string[], lastTurn?: string): string[] {
  const sorted = [...new Set(waiting)].sort();
  if (lastTurn === undefined) return sorted;
  return [...sorted.filter((syncId) => syncId > lastTurn), ...sorted.filter((syncId) => syncId <= lastTurn)];
}

/** The sync that runs next, or undefined when none waits. */
export function pickNext(waiting: readonly string[], lastTurn?: string): string | undefined {
  return runOrder(waiting, lastTurn)[0];
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

interface RunQueueDeps {
  /**
   * Runs one sync's run; true when it took its turn (it ran: committed, or stopped for review),
   * false when it could not (the query budget, a failure, an abort). A rejection is logged and the
   * queue goes on.
   */
  run(syncId: string, signal: AbortSignal): Promise<boolean>;
  /** Keeps the worker alive during a run; returns the release. */
  keepAlive(): () => void;
  /** After a worker start: the sync whose run finished last, where the turns go on from. */
  lastTurn(): Promise<string | undefined>;
  /**
   * Syncs whose run waits for the query budget. They keep their place in the turns: a sync whose
   * alarm fires while the queue is idle does not go before them.
   */
  deferred(): Promise<string[]>;
  /** Before the first run of a busy spell, and after its last one. */
  onBusy(): Promise<void>;
  onIdle(): Promise<void>;
  /** The queue changed: `waiting` in run order, and the sync running now. */
  onChange(waiting: readonly string[], current: string | undefined): Promise<void>;
  /**
   * How long an idle queue waits before its first run, so alarms that fire together all join the
   * line before the turns are decided (the first of them would otherwise always go first).
   */
  gatherMs?: number;
}

export class RunQueue {
  private waiting: string[] = [];
  /** The sync whose run last took its turn in this worker. */
  private lastTurn?: string;
  /** Runs tried since the last turn was taken that could not take theirs: not tried again until one does. */
  private passed = new Set<string>();
  private current?: { syncId: string; controller: AbortController };
  private draining?: Promise<void>;
  /** An alarm's run is waiting: the next idle start gathers the alarms that fire with it. */
  private gather = false;

  constructor(private readonly deps: RunQueueDeps) {}

  /**
   * Queues a run unless the sync is running or waiting already; starts draining. `fromAlarm`: the
   * run was triggered by an alarm, so others may fire with it and the idle queue gathers them first;
   * a run the user asked for starts at once.
   */
  enqueue(syncId: string, fromAlarm = false): void {
    if (fromAlarm) this.gather = true;
    // A run that is still unwinding from a pause or stop does not stand in for a new one.
    const running = this.current?.syncId === syncId && !this.current.controller.signal.aborted;
    if (!running && !this.waiting.includes(syncId)) {
      this.waiting.push(syncId);
      void this.publish();
    }
    void this.drain();
  }

  /** Stops the sync's run if it is running, and takes it out of the queue. */
  abort(syncId: string): void {
    if (this.current?.syncId === syncId) this.current.controller.abort();
    const before = this.waiting.length;
    this.waiting = this.waiting.filter((waiting) => waiting !== syncId);
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
          if (this.gather && this.deps.gatherMs) await new Promise((resolve) => setTimeout(resolve, this.deps.gatherMs));
          this.gather = false;
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
    const deferred = (await this.deps.deferred()).filter((syncId) => !this.passed.has(syncId));
    const [next] = await this.ordered(deferred);
    if (!next) return;
    this.waiting = this.waiting.filter((waiting) => waiting !== next);
    const controller = new AbortController();
    this.current = { syncId: next, controller };
    const release = this.deps.keepAlive();
    try {
      await this.publish();
      if (await this.deps.run(next, controller.signal)) {
        this.lastTurn = next;
        this.passed.clear();
      } else {
        this.passed.add(next);
      }
    } catch (error) {
      this.passed.add(next);
      console.warn('A run ended with an unexpected error', error instanceof Error ? error.name : 'unknown');
    } finally {
      release();
      this.current = undefined;
    }
  }

  /** While a run goes on, the places count on it taking its turn. */
  private async ordered(deferred: readonly string[] = []): Promise<string[]> {
    this.lastTurn ??= await this.deps.lastTurn();
    return runOrder([...this.waiting, ...deferred], this.current?.syncId ?? this.lastTurn);
  }

  private async publish(): Promise<void> {
    try {
      await this.deps.onChange(await this.ordered(), this.current?.syncId);
    } catch (error) {
      console.warn('Could not record the queue', error instanceof Error ? error.name : 'unknown');
    }
  }
}
