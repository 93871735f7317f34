/** A Pause or Stop during a backoff ends the wait at once: the signal, not the clock, decides. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../lib/http/errors';
import { abortableWait, sleep, withRetry, type RetryPolicy } from '../../../lib/http/retry';

const busy = () => new ApiError('mixpanel', 'server', 'Mixpanel is busy.', 503);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('an abortable retry', () => {
  it('ends a backoff the moment the signal aborts, with the abort reason, and tries no more', async () => {
    const controller = new AbortController();
    const policy: RetryPolicy = { attempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000, random: () => 1 };
    let attempts = 0;
    const outcome = withRetry(
      async () => {
        attempts++;
        throw busy();
      },
      policy,
      controller.signal,
    ).catch((error: unknown) => error);
    // The first attempt failed and the backoff (60 s) is waiting on a timer.
    await vi.waitFor(() => expect(vi.getTimerCount()).toBe(1));
    controller.abort(new Error('paused'));
    expect(await outcome).toEqual(new Error('paused'));
    expect(attempts).toBe(1);
    // The backoff's timer is gone, not merely outrun.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('still waits out the backoff without an abort, then tries again', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const outcome = withRetry(
      async () => {
        if (++attempts < 2) throw busy();
        return 'answered';
      },
      { attempts: 3, baseDelayMs: 1000, maxDelayMs: 1000, random: () => 1 },
      controller.signal,
    );
    await vi.waitFor(() => expect(vi.getTimerCount()).toBe(1));
    expect(attempts).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await outcome).toBe('answered');
    expect(attempts).toBe(2);
  });

  it('does not start at all on an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    const task = vi.fn(async () => 'never');
    await expect(withRetry(task, { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 }, controller.signal)).rejects.toEqual(new Error('stopped'));
    expect(task).not.toHaveBeenCalled();
  });

  it('ends an injected wait that ignores the signal as well', async () => {
    const controller = new AbortController();
    const deaf = () => new Promise<void>(() => undefined);
    const waiting = abortableWait(deaf, 10_000, controller.signal).catch((error: unknown) => error);
    controller.abort(new Error('paused'));
    expect(await waiting).toEqual(new Error('paused'));
  });

  it('sleep clears its timer on abort', async () => {
    const controller = new AbortController();
    const waiting = sleep(30_000, controller.signal).catch((error: unknown) => error);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort(new Error('stop'));
    expect(await waiting).toEqual(new Error('stop'));
    expect(vi.getTimerCount()).toBe(0);
  });
});
