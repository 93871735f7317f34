/**
 * Per-record validation of `/1/upload`, with CleverTap's codes and wording (reference §2.4, §6).
 * The identity rule is lib/clevertap/identity.ts, the same one the sync engine skips users by.
 */
import { checkIdentity, IDENTITY_MAX_LENGTH } from '../../../lib/clevertap/identity';

export interface RecordProblem {
  code: number;
  error: string;
}

/** Newer wording of code 523 (the 2017 one said "under 120 chars"); matches IDENTITY_MAX_LENGTH. */
export const MISSING_IDENTITY_ERROR = `Identity value cannot be undefined or set at least one of identity / fbId / gpId / objectId under ${IDENTITY_MAX_LENGTH} chars to identify the user.`;

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
  const identity = checkIdentity(fields['identity']);
  if (!identity.ok) return { code: 523, error: MISSING_IDENTITY_ERROR };
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
    return { identity: identity.identity, type: 'profile' };
  }
  const name = fields['evtName'];
  if (typeof name !== 'string' || name.trim() === '') {
    return { code: 512, error: 'Event Name is incorrect. ErrorCode: 512 - Event name is mandatory.' };
  }
  if (RESTRICTED_EVENTS.has(name)) {
    return { code: 513, error: 'Event Name is incorrect. ErrorCode: 513 - Trying to raise a restricted system event.' };
  }
  const data = fields['evtData'];
  if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) {
    return { code: 555, error: 'Event data is incorrect.' };
  }
  return { identity: identity.identity, type: 'event' };
}
