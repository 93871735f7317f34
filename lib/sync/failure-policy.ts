/**
 * What a failed run means for its sync, and the words the user reads. Pure: the run queue asks,
 * the service applies the answer through `nextStatus`.
 *
 * - retry: the request is tried again in place (lib/http/retry.ts); when the retries are spent the
 *   run fails and is tried again later.
 * - retry-later: not worth retrying at once, nothing the user could fix either.
 * - pause: the user has to act (credentials, permissions, settings); retrying cannot help.
 * - wait: Mixpanel's hourly query share is used up; the run keeps its checkpoint and goes on when
 *   the hour frees a query. Not a failure.
 */
import { regionLabel } from '../clevertap/regions';
import { isApiError, type ApiError, type ApiErrorKind } from '../http/errors';
import { serviceName } from '../http/fetch-json';
import type { CleverTapConnection } from '../storage/schema';
import { BudgetExhaustedError } from './budget';
import { NotConnectedError, SyncError } from './errors';

type FailureKind = 'retry' | 'retry-later' | 'pause';

/** Every API error kind, and what it calls for. */
export const API_ERROR_POLICY: Readonly<Record<ApiErrorKind, FailureKind>> = {
  'rate-limit': 'retry',
  server: 'retry',
  network: 'retry',
  timeout: 'retry',
  malformed: 'retry-later',
  'session-expired': 'retry-later',
  auth: 'pause',
  permission: 'pause',
  'bad-request': 'pause',
  'not-found': 'pause',
  'segment-in-use': 'pause',
};

/** A run that failed after its retries is tried again this much later. */
export const RETRY_FAILED_AFTER_MINUTES = 5;

type FailureOutcome =
  | { action: 'wait'; retryAt: number }
  | { action: 'pause'; reason: string; notice: Notice }
  | { action: 'fail'; reason: string; retryInMinutes: number; notice: Notice };

export interface Notice {
  title: string;
  message: string;
}

interface FailureContext {
  cohortName: string;
  /** Named in a rejected passcode's reason. */
  clevertapRegion?: CleverTapConnection['region'];
}

export function failureKind(error: unknown): FailureKind {
  if (error instanceof NotConnectedError || error instanceof SyncError) return 'pause';
  if (isApiError(error)) return API_ERROR_POLICY[error.kind];
  return 'retry-later';
}

export function failureOutcome(error: unknown, ctx: FailureContext): FailureOutcome {
  if (error instanceof BudgetExhaustedError) return { action: 'wait', retryAt: error.retryAt };
  const reason = describeFailure(error, ctx);
  if (failureKind(error) === 'pause') {
    return { action: 'pause', reason, notice: { title: `Sync paused: ${ctx.cohortName}`, message: reason } };
  }
  // Never sooner than the service's own Retry-After.
  const retryAfterMinutes = isApiError(error) ? (error.retryAfterMs ?? 0) / 60_000 : 0;
  return {
    action: 'fail',
    reason,
    retryInMinutes: Math.max(RETRY_FAILED_AFTER_MINUTES, retryAfterMinutes),
    notice: { title: `Sync failed: ${ctx.cohortName}`, message: `${reason} It will be retried.` },
  };
}

/** A reason the user can act on, naming the service and, for CleverTap, the region. */
function describeFailure(error: unknown, ctx: Pick<FailureContext, 'clevertapRegion'>): string {
  if (!isApiError(error)) return error instanceof Error ? error.message : 'Unexpected error.';
  if (error.service === 'clevertap' && error.kind === 'auth') {
    const region = ctx.clevertapRegion;
    return `Passcode rejected by CleverTap${region ? ` (${regionLabel(region)})` : ''}. Reconnect CleverTap in the options, then resume.`;
  }
  return withService(error);
}

function withService(error: ApiError): string {
  const name = serviceName(error.service);
  return error.message.includes(name) ? error.message : `${name}: ${error.message}`;
}
