import { describe, expect, it } from 'vitest';
import { coalesced, Slots } from '../../../lib/http/concurrency';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('Slots', () => {
  it('runs at most `limit` tasks at once across callers, and frees a slot when a task fails', async () => {
    const slots = new Slots(2);
    let running = 0;
    let peak = 0;
    const task = (fail = false) =>
      slots.run(async () => {
        peak = Math.max(peak, ++running);
        await tick();
        running--;
        if (fail) throw new Error('no');
      });
    const results = await Promise.allSettled([task(), task(true), task(), task(), task(true), task()]);
    expect(peak).toBe(2);
    expect(results.filter((result) => result.status === 'rejected')).toHaveLength(2);
    await expect(task()).resolves.toBeUndefined();
  });
});

describe('coalesced', () => {
  it('joins calls made while a write waits, and makes a call during a write wait for the next one', async () => {
    const written: number[] = [];
    let value = 0;
    let release: () => void = () => {};
    const write = coalesced(async () => {
      const seen = value;
      await new Promise<void>((resolve) => (release = resolve));
      written.push(seen);
    });
    value = 1;
    const first = write();
    const joined = write();
    expect(joined).toBe(first);
    await tick();
    // The first write has started with value 1; this change needs another write.
    value = 2;
    const second = write();
    expect(second).not.toBe(first);
    release();
    await first;
    await tick();
    release();
    await second;
    expect(written).toEqual([1, 2]);
  });
});
