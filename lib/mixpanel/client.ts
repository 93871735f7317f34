/**
 * Mixpanel's Query API (cohorts/list, engage) and App API (/me) for one project, authenticated
 * as a service account. Every request passes the caller's gate (the sync engine's query budget),
 * is retried on 429/5xx/network/timeout, and fails as an ApiError with a user-facing message.
 */
import type { z } from 'zod';
import { ApiError, type QueryLoad } from '../http/errors';
import { basicAuth, fetchJson, type Fetch } from '../http/fetch-json';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from '../http/retry';
import { pageThrough, type EngagePage, type EngageResume, type StagingWindow } from './engage-pager';
import { describeMixpanelError } from './errors';
import { toMeInfo, type MeInfo } from './me';
import { MIXPANEL_REGIONS, type MixpanelRegion } from './regions';
import type { CohortSummary } from '../shapes';
import { cohortListSchema, engageResponseSchema, meResponseSchema, projectServiceAccountsSchema } from './schemas';

export type { EngagePage, EngageProfile, EngageResume } from './engage-pager';
export { StagingWindow } from './engage-pager';

export interface MixpanelCredentials {
  region: MixpanelRegion;
  username: string;
  secret: string;
  projectId: number;
  /** The global data view's id, for projects with data views. */
  workspaceId?: number;
}

export type QueryKind = 'cohorts-list' | 'engage-first-page' | 'engage-next-page' | 'me' | 'service-accounts';

export interface MixpanelClientOptions {
  fetch?: Fetch;
  retry?: RetryPolicy;
  /** Per request. Mixpanel lets a query run 488 s server-side, so this is long. */
  timeoutMs?: number;
  /** Engage pages after the first fetched at once (Mixpanel allows 5 concurrent queries per project). */
  pageConcurrency?: number;
  /** Asked for; the server's own page_size always wins. */
  requestedPageSize?: number;
  /** Awaited before every HTTP request, retries included; the release runs once the request settles. */
  gate?: (kind: QueryKind) => Promise<() => void>;
  /** Told the figures of every 429 (empty when the body had none). */
  onRateLimited?: (load: QueryLoad) => void;
}

/** A cohort's summary (`count`: whether profile-less ids count is not documented), and more. */
export interface Cohort extends CohortSummary {
  /** "YYYY-MM-DD hh:mm:ss", no time zone. */
  created: string;
  visible: boolean;
}

export interface EngageRequest {
  cohortId: number;
  outputProperties: readonly string[];
  resume?: EngageResume;
  signal?: AbortSignal;
  window?: StagingWindow;
}

export const DEFAULT_TIMEOUT_MS = 300_000;
const DEFAULT_PAGE_CONCURRENCY = 3;
const DEFAULT_REQUESTED_PAGE_SIZE = 10_000;

export class MixpanelClient {
  private readonly fetch: Fetch;
  private readonly origin: string;

  constructor(
    private readonly credentials: MixpanelCredentials,
    private readonly options: MixpanelClientOptions = {},
  ) {
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.origin = `https://${MIXPANEL_REGIONS[credentials.region].host}`;
  }

  async listCohorts(): Promise<Cohort[]> {
    const cohorts = await this.send('cohorts-list', this.queryUrl('/api/query/cohorts/list'), { method: 'POST' }, cohortListSchema);
    return cohorts.map((cohort) => ({
      id: cohort.id,
      name: cohort.name,
      count: cohort.count ?? 0,
      description: cohort.description ?? '',
      created: cohort.created ?? '',
      visible: cohort.is_visible === undefined || cohort.is_visible === null ? true : Boolean(cohort.is_visible),
    }));
  }

  async me(): Promise<MeInfo> {
    // Mixpanel's own tools leave out workspace users, which keeps the answer small in big organisations.
    const url = `${this.origin}/api/app/me?include_workspace_users=false`;
    const me = await this.send('me', url, { method: 'GET' }, meResponseSchema);
    return toMeInfo(me);
  }

  /** The project's service accounts with their project role (`list-project-service-accounts`). */
  async projectServiceAccounts(projectId: number): Promise<{ username?: string; role?: string }[]> {
    const url = `${this.origin}/api/app/projects/${projectId}/service-accounts`;
    const answer = await this.send('service-accounts', url, { method: 'GET' }, projectServiceAccountsSchema);
    return answer.results.map((account) => ({ username: account.username, role: account.role }));
  }

  engagePages(request: EngageRequest): AsyncIterable<EngagePage> {
    const pageSize = this.options.requestedPageSize ?? DEFAULT_REQUESTED_PAGE_SIZE;
    // In the query string too: Airbyte's connector sends it there, the only evidence that it is honoured.
    const url = this.queryUrl('/api/query/engage', { page_size: String(pageSize) });
    return pageThrough(
      (page, sessionId, signal) => {
        // Every page repeats every filter (https://docs.mixpanel.com/reference/engage-query).
        const body = new URLSearchParams({
          filter_by_cohort: JSON.stringify({ id: request.cohortId }),
          // The API defaults to true, which would add ids without a profile.
          include_all_users: 'false',
          output_properties: JSON.stringify(request.outputProperties),
          page_size: String(pageSize),
        });
        if (page > 0 && sessionId) {
          body.set('session_id', sessionId);
          body.set('page', String(page));
        }
        const init = {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: body.toString(),
        };
        return this.send(page === 0 ? 'engage-first-page' : 'engage-next-page', url, init, engageResponseSchema, signal);
      },
      {
        concurrency: this.options.pageConcurrency ?? DEFAULT_PAGE_CONCURRENCY,
        resume: request.resume,
        signal: request.signal,
        window: request.window,
        cohortId: request.cohortId,
      },
    );
  }

  private queryUrl(path: string, extra: Record<string, string> = {}): string {
    const { projectId, workspaceId } = this.credentials;
    const query = new URLSearchParams({ project_id: String(projectId) });
    if (workspaceId !== undefined) query.set('workspace_id', String(workspaceId));
    for (const [name, value] of Object.entries(extra)) query.set(name, value);
    return `${this.origin}${path}?${query}`;
  }

  private send<S extends z.ZodType>(
    kind: QueryKind,
    url: string,
    init: RequestInit,
    schema: S,
    signal?: AbortSignal,
  ): Promise<z.infer<S>> {
    const { username, secret } = this.credentials;
    const headers = new Headers(init.headers);
    headers.set('authorization', basicAuth(username, secret));
    headers.set('accept', 'application/json');
    // fetchJson sets its own timeout signal; the caller's abort joins it here.
    const fetchWithAbort: Fetch = signal
      ? (input, requestInit) =>
          this.fetch(input, { ...requestInit, signal: anySignal(requestInit?.signal ?? undefined, signal) })
      : this.fetch;

    return withRetry(async () => {
      const release = await this.passGate(kind, signal);
      try {
        return await fetchJson({
          service: 'mixpanel',
          fetch: fetchWithAbort,
          url,
          init: { ...init, headers },
          schema,
          timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          describeError: (status, body) => describeMixpanelError(status, body, this.credentials),
        });
      } catch (error) {
        // An abort surfaces from fetch as a network error; it must end the read, not be retried.
        if (signal?.aborted) throw signal.reason;
        if (error instanceof ApiError && error.kind === 'rate-limit') this.options.onRateLimited?.(error.load ?? {});
        throw error;
      } finally {
        release();
      }
    }, this.options.retry ?? DEFAULT_RETRY, signal);
  }

  /** Waits for the gate, but gives up at once on abort (handing back the slot when it comes). */
  private async passGate(kind: QueryKind, signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    const gate = this.options.gate;
    if (!gate) return () => {};
    const granted = gate(kind);
    if (!signal) return granted;
    return new Promise<() => void>((resolve, reject) => {
      // The slot, when it comes, is handed back by the handler below.
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      granted.then(
        (release) => {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) release();
          else resolve(release);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }
}

function anySignal(first: AbortSignal | undefined, second: AbortSignal): AbortSignal {
  return first ? AbortSignal.any([first, second]) : second;
}
