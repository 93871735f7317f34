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
