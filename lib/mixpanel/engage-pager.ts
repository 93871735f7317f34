/**
 * Pages through one engage session: page 0 alone (it names the session, page size and total),
 * then the rest concurrently, handed to the consumer strictly in page order so it can checkpoint
 * "everything up to page p is staged".
 */
import { ApiError, isApiError } from '../http/errors';
import type { EngageResponse } from './schemas';

export interface EngageProfile {
  distinctId: string;
  properties: Record<string, unknown>;
}

export interface EngagePage {
  page: number;
  /** The page size the server used, which may be smaller than the one asked for. */
  pageSize: number;
  /** Profiles matching across all pages, as page 0 reported it. */
  total: number;
  /** '' when page 0 held everything and the server named no session. */
  sessionId: string;
  profiles: EngageProfile[];
}

/** A checkpoint to continue a read: the session of page 0 and the first page not yet staged. */
export interface EngageResume {
  sessionId: string;
  nextPage: number;
  pageSize: number;
  total: number;
}

export type FetchEngagePage = (page: number, sessionId: string | undefined, signal: AbortSignal) => Promise<EngageResponse>;

export interface PagerOptions {
  concurrency: number;
  resume?: EngageResume;
  signal?: AbortSignal;
  /** Pages handed over and not yet durable, counted against `concurrency`. */
  window?: StagingWindow;
  /** For messages only. */
  cohortId: number;
}

/**
 * The pages a consumer holds: handed over, not yet durable. Counted against the query concurrency,
 * they bound what a worker stopped at any instant loses to `concurrency` pages (in flight or held),
 * each of them a query from Mixpanel's hourly allowance.
 */
export class StagingWindow {
  private count = 0;
  /** Set by the pager while it pages: a released slot goes out at once. */
  onRelease?: () => void;

  get held(): number {
    return this.count;
  }

  /** Called by the pager as it hands a page over. */
  hold(): void {
    this.count++;
  }

  /** Called by the consumer once a page is durable, or has failed. */
  release(): void {
    this.count = Math.max(0, this.count - 1);
    this.onRelease?.();
  }
}

type Settled = { ok: true; value: EngageResponse } | { ok: false; error: unknown };

export async function* pageThrough(fetchPage: FetchEngagePage, options: PagerOptions): AsyncGenerator<EngagePage> {
  const controller = new AbortController();
  const forwardAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', forwardAbort, { once: true });
  const inFlight = new Map<number, Promise<Settled>>();
  const fetchSettled = (page: number, sessionId: string | undefined): Promise<Settled> =>
    fetchPage(page, sessionId, controller.signal).then(
      (value) => ({ ok: true, value }),
      (error: unknown) => ({ ok: false, error: page > 0 ? sessionError(error, options.cohortId) : error }),
    );

  try {
    options.signal?.throwIfAborted();
    let session = { id: '', pageSize: 1, total: 0 };
    let next = 0;
    // Pages are estimated from page 0's total, but a full page at the end means there is more.
    let lastExpected = 0;
    let launch = 0;
    const held = () => options.window?.held ?? 0;
    const refill = () => {
      while (!controller.signal.aborted && inFlight.size + held() < Math.max(1, options.concurrency) && launch <= lastExpected) {
        inFlight.set(launch, fetchSettled(launch, session.id));
        launch++;
      }
    };
    // Wakes the pager when it waits for a slot that held pages fill.
    let wake: (() => void) | undefined;
    const beginPaging = () => {
      launch = next;
      lastExpected = Math.max(Math.ceil(session.total / session.pageSize) - 1, next);
      if (options.window) {
        options.window.onRelease = () => {
          refill();
          wake?.();
        };
      }
    };
    if (options.resume) {
      const { sessionId, pageSize, total, nextPage } = options.resume;
      session = { id: sessionId, pageSize, total };
      next = nextPage;
      beginPaging();
    } else {
      const first = unwrap(await fetchSettled(0, undefined), 0);
      const total = first.total ?? first.results.length;
      session = { id: first.session_id ?? '', pageSize: first.page_size, total };
      next = 1;
      beginPaging();
      options.window?.hold();
      if (!isLastPage(first)) {
        if (!session.id) throw malformed('page 0 is full but names no session_id to page with');
        // The next pages are asked for before page 0 is handed over, so they load while it is staged.
        refill();
      }
      yield toPage(first, session);
      if (isLastPage(first)) return;
    }
    for (;;) {
      // After a Stop, no page goes out, and none that arrived before it is handed over.
      options.signal?.throwIfAborted();
      refill();
      let pending = inFlight.get(next);
      // Every slot is held by pages still being staged: the next goes out when one is durable.
      while (!pending && launch <= lastExpected && held() > 0) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        options.signal?.throwIfAborted();
        pending = inFlight.get(next);
      }
      if (!pending) return;
      const settled = await pending;
      options.signal?.throwIfAborted();
      const response = unwrap(settled, next);
      inFlight.delete(next);
      options.window?.hold();
      // Keep every free slot busy while the consumer stages this page.
      if (!isLastPage(response)) refill();
      yield toPage(response, session);
      if (isLastPage(response)) return;
      if (next === lastExpected) lastExpected++;
      next++;
    }
  } finally {
    // Consumer broke out, a page failed, or the read ended early: drop pages still in flight.
    options.signal?.removeEventListener('abort', forwardAbort);
    if (options.window) options.window.onRelease = undefined;
    controller.abort();
    await Promise.all(inFlight.values());
  }
}

function unwrap(settled: Settled, page: number): EngageResponse {
  if (!settled.ok) throw settled.error;
  if (settled.value.page !== page) throw malformed(`asked for page ${page}, got page ${settled.value.page}`);
  return settled.value;
}

function isLastPage(response: EngageResponse): boolean {
  return response.results.length === 0 || response.results.length < response.page_size;
}

function toPage(response: EngageResponse, session: { id: string; total: number }): EngagePage {
  return {
    page: response.page,
    pageSize: response.page_size,
    total: session.total,
    sessionId: session.id,
    profiles: response.results.map((result) => ({ distinctId: result.$distinct_id, properties: result.$properties })),
  };
}

/** Mixpanel does not document an expired session's answer; a 400 or 404 while paging is read as one. */
function sessionError(error: unknown, cohortId: number): unknown {
  if (!isApiError(error) || (error.status !== 400 && error.status !== 404)) return error;
  return new ApiError(
    'mixpanel',
    'session-expired',
    `Mixpanel's paging session for cohort ${cohortId} is no longer valid; the read starts again from the first page.`,
    error.status,
  );
}

function malformed(detail: string): ApiError {
  return new ApiError('mixpanel', 'malformed', `Mixpanel sent an unexpected answer: ${detail}.`);
}
