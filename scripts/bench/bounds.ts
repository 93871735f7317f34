/**
 * The lower bounds the APIs' own limits set, in plain arithmetic (stated in BENCHMARKS.md).
 *
 * Pipelined bound for one export of P profiles (V of them exportable) with server page size s:
 *   pages = ceil(P / s), batches = ceil(V / 1000)
 *   read   = ceil((pages − 1) / mpConcurrent) × Lm      (page 0 alone names the session)
 *   upload = ceil(batches / ctConcurrent) × Lc
 *   bound  = Lm + max(read + Lc, upload) + 3 × Lc
 * Page 0 must come before any upload; the last page's members need one more upload after it;
 * the custom list (3 sequential calls) needs the whole membership and every profile upserted.
 * Naive (sequential) time: pages × Lm + batches × Lc + 3 × Lc.
 */
export const MIXPANEL_CONCURRENT = 5;
export const CLEVERTAP_CONCURRENT = 15;
export const BATCH = 1000;
export const CUSTOM_LIST_CALLS = 3;

export interface Workload {
  profiles: number;
  valid: number;
  pageSize: number;
  mixpanelLatencyMs: number;
  clevertapLatencyMs: number;
}

export const pagesOf = (w: Workload) => Math.max(1, Math.ceil(w.profiles / w.pageSize));
export const batchesOf = (valid: number) => Math.ceil(valid / BATCH);

export function pipelinedBoundMs(w: Workload, mixpanelConcurrent = MIXPANEL_CONCURRENT): number {
  const read = Math.ceil((pagesOf(w) - 1) / mixpanelConcurrent) * w.mixpanelLatencyMs;
  const upload = Math.ceil(batchesOf(w.valid) / CLEVERTAP_CONCURRENT) * w.clevertapLatencyMs;
  return w.mixpanelLatencyMs + Math.max(read + w.clevertapLatencyMs, upload) + CUSTOM_LIST_CALLS * w.clevertapLatencyMs;
}

/** What the engine's read-all-then-deliver order costs at best: the phases' bounds added. */
export function phasedBoundMs(w: Workload, mixpanelConcurrent: number): number {
  const read = w.mixpanelLatencyMs + Math.ceil((pagesOf(w) - 1) / mixpanelConcurrent) * w.mixpanelLatencyMs;
  const upload = Math.ceil(batchesOf(w.valid) / CLEVERTAP_CONCURRENT) * w.clevertapLatencyMs;
  return read + upload + CUSTOM_LIST_CALLS * w.clevertapLatencyMs;
}

export function naiveModelMs(w: Workload): number {
  return pagesOf(w) * w.mixpanelLatencyMs + (batchesOf(w.valid) + CUSTOM_LIST_CALLS) * w.clevertapLatencyMs;
}
