/** The failure policy as a table: what each error means for the sync, and what the user reads. */
import { describe, expect, it } from 'vitest';
import { ApiError, type ApiErrorKind } from '../../../lib/http/errors';
import { BudgetExhaustedError } from '../../../lib/sync/budget';
import { NotConnectedError, SyncError } from '../../../lib/sync/errors';
import { API_ERROR_POLICY, failureKind, failureOutcome, RETRY_FAILED_AFTER_MINUTES } from '../../../lib/sync/failure-policy';

const ctx = { cohortName: 'Power users', clevertapRegion: 'eu1' as const };

describe('failure kinds', () => {
  it.each<[ApiErrorKind, 'retry' | 'retry-later' | 'pause']>([
    ['rate-limit', 'retry'],
    ['server', 'retry'],
    ['network', 'retry'],
    ['timeout', 'retry'],
    ['malformed', 'retry-later'],
    ['session-expired', 'retry-later'],
    ['auth', 'pause'],
    ['permission', 'pause'],
    ['bad-request', 'pause'],
    ['not-found', 'pause'],
    ['segment-in-use', 'pause'],
  ])('%s → %s', (kind, expected) => {
    expect(failureKind(new ApiError('mixpanel', kind, 'x'))).toBe(expected);
  });

  it('agrees with which API errors the HTTP layer retries in place', () => {
    for (const [kind, policy] of Object.entries(API_ERROR_POLICY)) {
      expect(new ApiError('clevertap', kind as ApiErrorKind, 'x').retryable).toBe(policy === 'retry');
    }
  });

  it('pauses for what the user must do, and retries later what nobody can fix now', () => {
    expect(failureKind(new NotConnectedError('clevertap'))).toBe('pause');
    expect(failureKind(new SyncError('Add a notification email'))).toBe('pause');
    expect(failureKind(new Error('something odd'))).toBe('retry-later');
  });
});

describe('failure outcomes', () => {
  it('a used-up budget waits, with the time the hour frees a query', () => {
    expect(failureOutcome(new BudgetExhaustedError(12_345), ctx)).toEqual({ action: 'wait', retryAt: 12_345 });
  });

  it('a rejected passcode pauses, naming CleverTap’s region and what to do', () => {
    const outcome = failureOutcome(new ApiError('clevertap', 'auth', 'Account ID is not valid', 401), ctx);
    expect(outcome).toEqual({
      action: 'pause',
      reason: 'Passcode rejected by CleverTap (Europe). Reconnect CleverTap in the options, then resume.',
      notice: {
        title: 'Sync paused: Power users',
        message: 'Passcode rejected by CleverTap (Europe). Reconnect CleverTap in the options, then resume.',
      },
    });
  });

  it('a server failing after its retries fails the run, to be tried again later, naming the service', () => {
    const outcome = failureOutcome(new ApiError('mixpanel', 'server', 'the service is busy', 503), ctx);
    expect(outcome).toEqual({
      action: 'fail',
      reason: 'Mixpanel: the service is busy',
      retryInMinutes: RETRY_FAILED_AFTER_MINUTES,
      notice: { title: 'Sync failed: Power users', message: 'Mixpanel: the service is busy It will be retried.' },
    });
  });

  it('never retries sooner than the service’s own Retry-After', () => {
    const error = new ApiError('mixpanel', 'rate-limit', 'Mixpanel is rate limiting', 429);
    error.retryAfterMs = 12 * 60_000;
    expect(failureOutcome(error, ctx)).toMatchObject({ action: 'fail', retryInMinutes: 12, reason: 'Mixpanel is rate limiting' });
  });

  it('a settings problem pauses with its own words', () => {
    expect(failureOutcome(new SyncError('Add a notification email under Sync settings.'), ctx)).toMatchObject({
      action: 'pause',
      reason: 'Add a notification email under Sync settings.',
    });
  });

  it('an unexpected error fails for a retry, with its message', () => {
    expect(failureOutcome(new TypeError('x is undefined'), ctx)).toMatchObject({ action: 'fail', reason: 'x is undefined' });
    expect(failureOutcome('thrown text', ctx)).toMatchObject({ action: 'fail', reason: 'Unexpected error.' });
  });
});
