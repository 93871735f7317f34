import { isApiError } from './errors';

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected so tests and benchmarks need not wait for real time. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 };

/** Longest Retry-After waited out in place; beyond it the error goes up and the run is retried later. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with "full jitter": spreads retries so parallel callers do not retry in lockstep. */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const random = policy.random ?? Math.random;
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Runs `task` again after retryable API errors (429, 5xx, network, timeout); anything else is thrown at once. */
export async function withRetry<T>(task: (attempt: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
  const wait = policy.sleep ?? sleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      const lastAttempt = attempt + 1 >= policy.attempts;
      if (lastAttempt || !isApiError(error) || !error.retryable) throw error;
      const retryAfter = error.retryAfterMs;
      if (retryAfter !== undefined && retryAfter > MAX_RETRY_AFTER_MS) throw error;
      // The service's own Retry-After wins over a shorter backoff.
      await wait(Math.max(backoffDelay(attempt, policy), retryAfter ?? 0));
    }
  }
}
