/**
 * Runs `worker` over `items` with at most `limit` in flight, preserving nothing but completion:
 * the shared primitive behind concurrent Mixpanel pages and CleverTap batches.
 * Stops starting new work after the first failure and rethrows it once in-flight work settles.
 */
export async function forEachConcurrent<T>(
  items: Iterable<T>,
  limit: number,
  worker: (item: T, index: number) => Promise<void>,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let index = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure) {
      const next = iterator.next();
      if (next.done) return;
      const current = index++;
      try {
        await worker(next.value, current);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, lane));
  if (failure) throw failure.error;
}

/**
 * At most `limit` tasks at once across every caller: CleverTap's 15 concurrent uploads per account,
 * shared by the upserts during the read and the delivery phase.
 */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.free = Math.max(1, Math.floor(limit));
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/**
 * A write that many callers ask for and one performs: a call while a write is waiting joins it; a
 * call while one runs waits for the next, which sees everything recorded before it started.
 */
export function coalesced(write: () => Promise<void>): () => Promise<void> {
  let queued: Promise<void> | undefined;
  let tail: Promise<void> = Promise.resolve();
  return () => {
    if (!queued) {
      queued = tail.then(() => {
        queued = undefined;
        return write();
      });
      tail = queued.catch(() => undefined);
    }
    return queued;
  };
}
