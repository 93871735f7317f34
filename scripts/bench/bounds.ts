/**
 * The lower bounds the APIs' own limits set (stated in BENCHMARKS.md).
 *
 * Pipelined bound for one export of P profiles (V of them exportable) with server page size s,
 * q concurrent queries, Lm and Lc the two latencies; exact under this model:
 *   - page 0 alone names the session; page k ≥ 1 is in at Lm × (1 + ceil(k / q));
 *   - the V exportable members are spread evenly over the pages, and batch j (full, 1000 records:
 *     the call floor allows no more requests) can be sent once the page holding its last member is in;
 *   - 15 upload slots of Lc each take the batches in release order (optimal for jobs of equal length);
 *   - the custom list: its URL needs nothing, its file needs the complete read, and its completion
 *     needs every profile upserted and visible: the visibility reads (in the call floor, one round
 *     of CleverTap's 3 concurrent profile reads) sample the newest profiles, so they follow the
 *     answer to the last batch released, and
 *     bound = max(last upload in, last batch released in + Lc, read end + Lc) + Lc.
 * Naive (sequential) time: pages × Lm + batches × Lc + 3 × Lc.
 */
export const MIXPANEL_CONCURRENT = 5;
export const CLEVERTAP_CONCURRENT = 15;
export const BATCH = 1000;
export const CUSTOM_LIST_CALLS = 3;
/** Profiles read back before a custom list's completion: the last new ones, one round of CleverTap's 3 concurrent reads. */
export const visibilityChecks = (added: number) => (added > 0 ? Math.min(3, added % BATCH || BATCH) : 0);

export interface Workload {
  profiles: number;
  valid: number;
  pageSize: number;
  mixpanelLatencyMs: number;
  clevertapLatencyMs: number;
}

export const pagesOf = (w: Workload) => Math.max(1, Math.ceil(w.profiles / w.pageSize));
export const batchesOf = (valid: number) => Math.ceil(valid / BATCH);

/** Upload batches, a visibility check of the last (at most 3) new profiles, the custom list's 3 steps. */
export const firstExportFloor = (exported: number) => batchesOf(exported) + visibilityChecks(exported) + CUSTOM_LIST_CALLS;

export function pipelinedBoundMs(w: Workload, mixpanelConcurrent = MIXPANEL_CONCURRENT): number {
  const pages = pagesOf(w);
  const pageIn = (page: number) => w.mixpanelLatencyMs * (1 + Math.ceil(page / mixpanelConcurrent));
  const perPage = w.valid / pages;
  const slotFreeAt = new Array<number>(CLEVERTAP_CONCURRENT).fill(0);
  let lastUpload = 0;
  let lastReleasedIn = 0;
  for (let batch = 0; batch < batchesOf(w.valid); batch++) {
    const lastMember = Math.min((batch + 1) * BATCH, w.valid);
    const page = Math.min(pages - 1, Math.max(0, Math.ceil(lastMember / perPage - 1e-9) - 1));
    const slot = slotFreeAt.indexOf(Math.min(...slotFreeAt));
    slotFreeAt[slot] = Math.max(pageIn(page), slotFreeAt[slot]!) + w.clevertapLatencyMs;
    lastUpload = Math.max(lastUpload, slotFreeAt[slot]!);
    lastReleasedIn = slotFreeAt[slot]!;
  }
  const fileUploaded = pageIn(pages - 1) + w.clevertapLatencyMs;
  const profilesVisible = w.valid > 0 ? lastReleasedIn + w.clevertapLatencyMs : 0;
  return Math.max(lastUpload, profilesVisible, fileUploaded) + w.clevertapLatencyMs;
}

export function naiveModelMs(w: Workload): number {
  return pagesOf(w) * w.mixpanelLatencyMs + (batchesOf(w.valid) + CUSTOM_LIST_CALLS) * w.clevertapLatencyMs;
}
