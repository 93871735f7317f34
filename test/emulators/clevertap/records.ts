/**
 * Per-record validation of `/1/upload`, with CleverTap's codes and wording
 * (https://developer.clevertap.com/docs/api-errors, https://docs.clevertap.com/docs/csv-upload, and
 * the answers recorded in tradeo/clevertap-ruby's spec/vcr_cassettes). The identity rule is the emulator's own copy (contract.ts).
 */
import { acceptedIdentity, IDENTITY_LIMIT } from './contract';

export interface RecordProblem {
  code: number;
  error: string;
}

/** Newer wording of code 523 (the 2017 one said "under 120 chars"). */
export const MISSING_IDENTITY_ERROR = `Identity value cannot be undefined or set at least one of identity / fbId / gpId / objectId under ${IDENTITY_LIMIT} chars to identify the user.`;

/** System events a client may not raise (code 513); the 2024 fixture shows "Web Page Viewed". */
export const RESTRICTED_EVENTS: ReadonlySet<string> = new Set([
  'App Launched',
  'App Installed',
  'App Uninstalled',
  'Notification Sent',
  'Notification Viewed',
  'Notification Clicked',
  'Web Page Viewed',
  'UTM Visited',
  'Partner Sync',
]);

export function skipped(problem: RecordProblem, position: number): string {
  return `${problem.error} Skipped record number : ${position}`;
}

/** The problem with one record of `d`, or the identity it will be stored under. */
export function checkRecord(record: unknown): RecordProblem | { identity: string; type: 'profile' | 'event' } {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return { code: 524, error: 'Data is neither event nor profile.' };
  }
  const fields = record as Record<string, unknown>;
  if (fields['type'] !== 'profile' && fields['type'] !== 'event') {
    return { code: 524, error: 'Data is neither event nor profile.' };
  }
  const identity = acceptedIdentity(fields['identity']);
  if (identity === undefined) return { code: 523, error: MISSING_IDENTITY_ERROR };
  if ('ts' in fields) {
    const ts = fields['ts'];
    if (typeof ts !== 'number' || !Number.isInteger(ts) || ts <= 0) {
      return { code: 525, error: 'Timestamp should be present in the Unix Epoch format.' };
    }
  }
  if (fields['type'] === 'profile') {
    const data = fields['profileData'];
    if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) {
      return { code: 555, error: 'Profile data is incorrect.' };
    }
    return { identity, type: 'profile' };
  }
  const name = fields['evtName'];
  if (typeof name !== 'string' || name.trim() === '') {
    // api-errors page: 509 "Event name mandatory" (512 is "Invalid event structure").
    return { code: 509, error: 'Event name is mandatory. ErrorCode: 509 - Event name mandatory.' };
  }
  if (RESTRICTED_EVENTS.has(name)) {
    return { code: 513, error: 'Event Name is incorrect. ErrorCode: 513 - Trying to raise a restricted system event.' };
  }
  const data = fields['evtData'];
  if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) {
    return { code: 555, error: 'Event data is incorrect.' };
  }
  return { identity, type: 'event' };
}
