/** The run queue: one run at a time, fair between cohorts, with each waiting sync's place and ETA. */
import { describe, expect, it, vi } from 'vitest';
import { pickNext, queuedProgress, RunQueue, runOrder } from '../../../lib/sync/run-queue';

describe('the order', () => {
  it('round-robin by sync id, going on after the sync whose run last took its turn', () => {
    expect(runOrder(['1:5', '1:2', '1:9', '1:7'], '1:5')).toEqual(['1:7', '1:9', '1:2', '1:5']);
    expect(runOrder(['1:5', '1:2'])).toEqual(['1:2', '1:5']);
    expect(runOrder(['1:5', '1:2'], '1:9')).toEqual(['1:2', '1:5']);
    expect(pickNext([])).toBeUndefined();
  });

  const SYNCS = Array.from({ length: 20 }, (_, index) => `sync-${String(index).padStart(2, '0')}`);

  /**
   * 20 dynamic syncs whose alarms fire in the same order every period, and a query budget that lets
   * `capacity(period)` runs through; a run the budget refuses leaves the queue and comes back with
   * its next alarm.
   */
  function simulate(order: (waiting: string[], history: { lastTurn?: string }) => string[], capacity: (period: number) => number, periods: number) {
    const runs = new Map<string, number>(SYNCS.map((syncId) => [syncId, 0]));
    let lastTurn: string | undefined;
    for (let period = 0; period < periods; period++) {
      for (const syncId of order([...SYNCS], { lastTurn }).slice(0, capacity(period))) {
        runs.set(syncId, runs.get(syncId)! + 1);
        lastTurn = syncId;
      }
    }
    return [...runs.values()];
  }
  const inAlarmOrder = (waiting: string[]) => waiting;
  const roundRobin = (waiting: string[], { lastTurn }: { lastTurn?: string }) => runOrder(waiting, lastTurn);

  it('the starvation case: in alarm order, 5 runs a period go to the same 5 syncs', () => {
    const runs = simulate(inAlarmOrder, () => 5, 12);
    expect(runs.filter((count) => count === 0)).toHaveLength(15);
  });

  it('is gone: round-robin gives every sync a run every 4 periods', () => {
    expect(simulate(roundRobin, () => 5, 12)).toEqual(SYNCS.map(() => 3));
  });

  it('stays gone when the budget frees unevenly: everyone runs, then half, then none', () => {
    // The hourly budget, spent and freed in 15-minute periods: 20, 20, 10 and 0 runs, again and again.
    const capacity = (period: number) => [20, 20, 10, 0][period % 4]!;
    const fair = simulate(roundRobin, capacity, 12);
    expect(Math.max(...fair) - Math.min(...fair)).toBeLessThanOrEqual(1);
    const unfair = simulate(inAlarmOrder, capacity, 12);
    expect(Math.max(...unfair) - Math.min(...unfair)).toBe(3);
  });
});

describe('queued places and ETAs', () => {
  it('counts from the current run’s remaining time and the last durations of the runs ahead', () => {
    const durations: Record<string, number> = { a: 60_000, b: 120_000 };
    expect(queuedProgress(['a', 'b', 'c'], 1_000, 30_000, (id) => durations[id])).toEqual([
      { syncId: 'a', kind: 'queued', place: 1, etaAt: 31_000, updatedAt: 1_000 },
      { syncId: 'b', kind: 'queued', place: 2, etaAt: 91_000, updatedAt: 1_000 },
      { syncId: 'c', kind: 'queued', place: 3, etaAt: 211_000, updatedAt: 1_000 },
    ]);
  });

  it('gives no ETA behind a run of unknown length', () => {
    const records = queuedProgress(['a', 'b'], 0, 10_000, (id) => (id === 'a' ? undefined : 5_000));
    expect(records.map((record) => record.etaAt)).toEqual([10_000, undefined]);
    expect(queuedProgress(['a'], 0, undefined, () => 1)[0]).not.toHaveProperty('etaAt');
  });
});

describe('RunQueue', () => {
  function harness(lastTurn?: string, deferred: string[] = [], gatherMs?: number) {
    const log: string[] = [];
    const changes: { waiting: readonly string[]; current?: string }[] = [];
    const gates = new Map<string, () => void>();
    const signals = new Map<string, AbortSignal>();
    let running = 0;
    let peak = 0;
    const queue = new RunQueue({
      run: (syncId, signal) =>
        new Promise<boolean>((resolve) => {
          running++;
          peak = Math.max(peak, running);
          log.push(`start ${syncId}`);
          signals.set(syncId, signal);
          const finish = (tookTurn: boolean) => {
            running--;
            log.push(`end ${syncId}`);
            resolve(tookTurn);
          };
          gates.set(syncId, () => finish(true));
          signal.addEventListener('abort', () => finish(false), { once: true });
        }),
      keepAlive: () => {
        log.push('keep-alive');
        return () => log.push('let go');
      },
      lastTurn: async () => lastTurn,
      deferred: async () => [...deferred],
      onBusy: async () => void log.push('busy'),
      onIdle: async () => void log.push('idle'),
      onChange: async (waiting, current) => void changes.push({ waiting, current }),
      gatherMs,
    });
    const startCount = (syncId: string) => log.filter((line) => line === `start ${syncId}`).length;
    const started = (syncId: string) => expect.poll(() => log.includes(`start ${syncId}`)).toBe(true);
    return { queue, log, changes, gates, signals, started, startCount, peak: () => peak };
  }

  it('runs one at a time, taking turns after the last sync that ran, and keeps the worker alive while it runs', async () => {
    // After a worker start the turns go on after "c", the sync whose run finished last.
    const { queue, log, gates, started, peak } = harness('c');
    queue.enqueue('b');
    await started('b');
    queue.enqueue('a');
    queue.enqueue('d');
    queue.enqueue('c');
    gates.get('b')!();
    await started('c');
    gates.get('c')!();
    await started('d');
    gates.get('d')!();
    await started('a');
    gates.get('a')!();
    await queue.idle();
    expect(log.filter((line) => line.startsWith('start'))).toEqual(['start b', 'start c', 'start d', 'start a']);
    expect(peak()).toBe(1);
    expect(log[0]).toBe('busy');
    expect(log.at(-1)).toBe('idle');
    expect(log.filter((line) => line === 'keep-alive')).toHaveLength(4);
    expect(log.filter((line) => line === 'let go')).toHaveLength(4);
  });

  it('does not queue a sync twice, nor behind its own run', async () => {
    const { queue, log, gates, started } = harness();
    queue.enqueue('a');
    await started('a');
    queue.enqueue('a');
    queue.enqueue('b');
    queue.enqueue('b');
    gates.get('a')!();
    await started('b');
    gates.get('b')!();
    await queue.idle();
    expect(log.filter((line) => line.startsWith('start'))).toEqual(['start a', 'start b']);
  });

  it('abort stops the running sync and drops a waiting one; an unwinding run does not stand in for a new one', async () => {
    const { queue, log, signals, gates, started } = harness();
    queue.enqueue('a');
    await started('a');
    queue.enqueue('b');
    queue.abort('b');
    queue.abort('a');
    expect(signals.get('a')!.aborted).toBe(true);
    await queue.idle();
    expect(log.filter((line) => line.startsWith('start'))).toEqual(['start a']);

    queue.enqueue('a');
    await expect.poll(() => log.filter((line) => line === 'start a')).toHaveLength(2);
    gates.get('a')!();
    await queue.idle();
  });

  it('tells who waits, in run order, and who runs', async () => {
    const { queue, changes, gates, started } = harness();
    queue.enqueue('b');
    await started('b');
    queue.enqueue('a');
    queue.enqueue('c');
    await expect.poll(() => changes.at(-1)).toEqual({ waiting: ['c', 'a'], current: 'b' });
    gates.get('b')!();
    await started('c');
    await expect.poll(() => changes.at(-1)).toEqual({ waiting: ['a'], current: 'c' });
    gates.get('c')!();
    await started('a');
    gates.get('a')!();
    await queue.idle();
  });

  it('a run that could not take its turn (the budget) does not move the turns on', async () => {
    const { queue, log, signals, gates, started } = harness();
    queue.enqueue('b');
    await started('b');
    queue.enqueue('a');
    queue.enqueue('c');
    // b is stopped before it took its turn: the turns still go on from the start, a first.
    queue.abort('b');
    queue.enqueue('b');
    expect(signals.get('b')!.aborted).toBe(true);
    await started('a');
    gates.get('a')!();
    await expect.poll(() => log.filter((line) => line.startsWith('start'))).toEqual(['start b', 'start a', 'start b']);
    gates.get('b')!();
    await started('c');
    gates.get('c')!();
    await queue.idle();
  });

  it('a sync waiting for the budget keeps its turn: an alarm firing while the queue is idle does not go first', async () => {
    // "c" ran last; "d" waits for the budget; "a" fires its alarm. The turns go on with "d".
    const { queue, log, gates, started } = harness('c', ['d']);
    queue.enqueue('a');
    await started('d');
    gates.get('d')!();
    await started('a');
    gates.get('a')!();
    await queue.idle();
    expect(log.filter((line) => line.startsWith('start'))).toEqual(['start d', 'start a']);
  });

  it('a deferred sync refused again is not retried until another run takes its turn', async () => {
    const { queue, log, signals, gates, started, startCount } = harness(undefined, ['a']);
    queue.enqueue('b');
    await started('a');
    // Refused (the budget is still used up): it could not take its turn.
    queue.abort('a');
    expect(signals.get('a')!.aborted).toBe(true);
    await started('b');
    gates.get('b')!();
    await queue.idle();
    expect(startCount('a')).toBe(1);
    expect(log.filter((line) => line.startsWith('start'))).toEqual(['start a', 'start b']);
  });

  it('an idle queue gathers alarms that fire together before it picks, so the first to fire does not always go first', async () => {
    vi.useFakeTimers();
    try {
      // "a" ran last; "a" fires, then "b" a moment later. Without gathering, "a" would already run.
      const { queue, log, gates } = harness('a', [], 20);
      const starts = () => log.filter((line) => line.startsWith('start'));
      queue.enqueue('a', true);
      await vi.advanceTimersByTimeAsync(0);
      expect(starts()).toEqual([]);
      queue.enqueue('b', true);
      await vi.advanceTimersByTimeAsync(20);
      expect(starts()).toEqual(['start b']);
      gates.get('b')!();
      await vi.advanceTimersByTimeAsync(0);
      expect(starts()).toEqual(['start b', 'start a']);
      gates.get('a')!();
      await vi.advanceTimersByTimeAsync(0);
      await queue.idle();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a run the user asked for starts at once: only alarms are gathered', async () => {
    vi.useFakeTimers();
    try {
      const { queue, log, gates } = harness('a', [], 60_000);
      queue.enqueue('b');
      await vi.advanceTimersByTimeAsync(0);
      expect(log.filter((line) => line.startsWith('start'))).toEqual(['start b']);
      gates.get('b')!();
      await vi.advanceTimersByTimeAsync(0);
      await queue.idle();
    } finally {
      vi.useRealTimers();
    }
  });
});
