/** The run queue: one run at a time, fair between cohorts, with each waiting sync's place and ETA. */
import { describe, expect, it } from 'vitest';
import { pickNext, queuedProgress, RunQueue, runOrder, type Candidate } from '../../../lib/sync/run-queue';

describe('the order', () => {
  it('never-run syncs first, then least recently run, arrival breaking ties', () => {
    const order = runOrder([
      { syncId: 'recent', lastRunAt: 300, arrival: 0 },
      { syncId: 'old', lastRunAt: 100, arrival: 1 },
      { syncId: 'new-b', arrival: 3 },
      { syncId: 'new-a', arrival: 2 },
      { syncId: 'old-too', lastRunAt: 100, arrival: 4 },
    ]);
    expect(order.map((candidate) => candidate.syncId)).toEqual(['new-a', 'new-b', 'old', 'old-too', 'recent']);
    expect(pickNext([])).toBeUndefined();
  });

  /**
   * 20 dynamic syncs whose alarms fire in the same order every period, and a query budget that lets
   * 5 runs through per period; a run the budget refuses leaves the queue and comes back with its
   * next alarm. Taken in alarm order, the first five take the freed queries every time.
   */
  function simulate(order: (candidates: Candidate[]) => Candidate[], periods: number) {
    const lastRunAt = new Map<string, number>();
    const runs = new Map<string, number[]>();
    let clock = 0;
    for (let period = 0; period < periods; period++) {
      const waiting: Candidate[] = Array.from({ length: 20 }, (_, index) => ({
        syncId: `sync-${index}`,
        arrival: index,
        lastRunAt: lastRunAt.get(`sync-${index}`),
      }));
      for (const candidate of order(waiting).slice(0, 5)) {
        lastRunAt.set(candidate.syncId, ++clock);
        runs.set(candidate.syncId, [...(runs.get(candidate.syncId) ?? []), period]);
      }
    }
    return runs;
  }

  it('the starvation case: in alarm order 15 of 20 syncs never run', () => {
    const byArrival = (candidates: Candidate[]) => [...candidates].sort((a, b) => a.arrival - b.arrival);
    const runs = simulate(byArrival, 12);
    expect(runs.size).toBe(5);
  });

  it('is gone: least recently run first gives every sync a run every 4 periods, in turn', () => {
    const runs = simulate(runOrder, 12);
    expect(runs.size).toBe(20);
    for (const periods of runs.values()) {
      expect(periods).toHaveLength(3);
      const gaps = periods.slice(1).map((period, index) => period - periods[index]!);
      expect(gaps.every((gap) => gap === 4)).toBe(true);
    }
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
  function harness(lastRuns: Record<string, number> = {}) {
    const log: string[] = [];
    const changes: { waiting: readonly string[]; current?: string }[] = [];
    const gates = new Map<string, () => void>();
    const signals = new Map<string, AbortSignal>();
    let running = 0;
    let peak = 0;
    const queue = new RunQueue({
      run: (syncId, signal) =>
        new Promise<void>((resolve) => {
          running++;
          peak = Math.max(peak, running);
          log.push(`start ${syncId}`);
          signals.set(syncId, signal);
          const finish = () => {
            running--;
            log.push(`end ${syncId}`);
            resolve();
          };
          gates.set(syncId, finish);
          signal.addEventListener('abort', finish, { once: true });
        }),
      keepAlive: () => {
        log.push('keep-alive');
        return () => log.push('let go');
      },
      lastRunAt: async () => new Map(Object.entries(lastRuns)),
      onBusy: async () => void log.push('busy'),
      onIdle: async () => void log.push('idle'),
      onChange: async (waiting, current) => void changes.push({ waiting, current }),
    });
    const started = (syncId: string) => expect.poll(() => log.includes(`start ${syncId}`)).toBe(true);
    return { queue, log, changes, gates, signals, started, peak: () => peak };
  }

  it('runs one at a time, the least recently run next, and keeps the worker alive while it runs', async () => {
    const { queue, log, gates, started, peak } = harness({ a: 10, b: 30, c: 20 });
    queue.enqueue('a');
    await started('a');
    queue.enqueue('b');
    queue.enqueue('c');
    gates.get('a')!();
    await started('c');
    gates.get('c')!();
    await started('b');
    gates.get('b')!();
    await queue.idle();
    expect(log.filter((line) => line.startsWith('start'))).toEqual(['start a', 'start c', 'start b']);
    expect(peak()).toBe(1);
    expect(log[0]).toBe('busy');
    expect(log.at(-1)).toBe('idle');
    expect(log.filter((line) => line === 'keep-alive')).toHaveLength(3);
    expect(log.filter((line) => line === 'let go')).toHaveLength(3);
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
    const { queue, changes, gates, started } = harness({ b: 5, c: 1 });
    queue.enqueue('a');
    await started('a');
    queue.enqueue('b');
    queue.enqueue('c');
    await expect.poll(() => changes.at(-1)).toEqual({ waiting: ['c', 'b'], current: 'a' });
    gates.get('a')!();
    await started('c');
    await expect.poll(() => changes.at(-1)).toEqual({ waiting: ['b'], current: 'c' });
    gates.get('c')!();
    await started('b');
    gates.get('b')!();
    await queue.idle();
  });
});
