import { isApiError } from './errors';

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected so tests and benchmarks need not wait for real time. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 };

/** Longest Retry-After waited out in place; beyond it the error goes up and the run is retried later. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** Waits `ms`; an abort ends the wait at once with the signal's reason. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * `wait(ms)` that ends at once when `signal` aborts, even when the injected wait ignores the signal.
 */
export function abortableWait(wait: (ms: number, signal?: AbortSignal) => Promise<void>, ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return wait(ms);
  if (signal.aborted) return Promise.reject(signal.reason);
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([wait(ms, signal), aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

/** Exponential backoff with "full jitter": spreads retries so parallel callers do not retry in lockstep. */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const random = policy.random ?? Math.random;
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Runs `task` again after retryable API errors (429, 5xx, network, timeout); anything else is thrown
 * at once. An abort (a Pause or Stop) ends a backoff at once and throws the signal's reason.
 */
export async function withRetry<T>(task: (attempt: number) => Promise<T>, policy: RetryPolicy, signal?: AbortSignal): Promise<T> {
  const wait = policy.sleep ?? sleep;
  for (let attempt = 0; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await task(attempt);
    } catch (error) {
      signal?.throwIfAborted();
      const lastAttempt = attempt + 1 >= policy.attempts;
      if (lastAttempt || !isApiError(error) || !error.retryable) throw error;
      const retryAfter = error.retryAfterMs;
      if (retryAfter !== undefined && retryAfter > MAX_RETRY_AFTER_MS) throw error;
      // The service's own Retry-After wins over a shorter backoff.
      await abortableWait(wait, Math.max(backoffDelay(attempt, policy), retryAfter ?? 0), signal);
    }
  }
}
