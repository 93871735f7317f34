/**
 * One error type for every API failure, with a `kind` the sync engine can act on:
 * retry (rate-limit, server, network, timeout), or pause the sync and tell the user (the rest).
 * Messages are written for users and never include credentials.
 */
export type ApiService = 'mixpanel' | 'clevertap';

export type ApiErrorKind =
  | 'auth' // 401: credentials rejected
  | 'permission' // 403: credentials fine, not allowed
  | 'bad-request' // 400 and other 4xx
  | 'not-found' // 404
  | 'rate-limit' // 429
  | 'server' // 5xx
  | 'network' // no answer: DNS, refused, reset
  | 'timeout' // answer too slow
  | 'malformed' // 2xx whose body is not what the contract says
  | 'session-expired' // Mixpanel's engage session_id no longer pages: the read must start again at page 0
  | 'segment-in-use'; // CleverTap will not replace a custom list a running campaign or journey uses

const RETRYABLE: ReadonlySet<ApiErrorKind> = new Set(['rate-limit', 'server', 'network', 'timeout']);

export interface QueryLoad {
  /** Mixpanel's "N/5 queries running concurrently" */
  concurrent?: { used: number; limit: number };
  /** Mixpanel's "M/60 queries running in the last hour" */
  hourly?: { used: number; limit: number };
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly retryable: boolean;
  /** The service's Retry-After, in ms: no retry goes out before it. */
  retryAfterMs?: number;

  constructor(
    readonly service: ApiService,
    readonly kind: ApiErrorKind,
    message: string,
    readonly status?: number,
    /** Parsed from a rate-limit body, when the service says how loaded it is. */
    readonly load?: QueryLoad,
  ) {
    super(message);
    this.retryable = RETRYABLE.has(kind);
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export function kindForStatus(status: number): ApiErrorKind {
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limit';
  if (status >= 500) return 'server';
  return 'bad-request';
}

/**
 * `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from `now`; undefined
 * when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Server-provided text is shown to users: keep it short and printable. */
export function tidyServerText(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const printable = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return printable.length > max ? `${printable.slice(0, max)}…` : printable;
}
