/**
 * Is a value usable as a CleverTap identity? The sync engine skips, and counts by reason, the users
 * this refuses. The CleverTap emulator keeps its own copy of CleverTap's rule (test/emulators/
 * clevertap/contract.ts), so a mistake here shows up as a disagreement in the tests.
 */

/**
 * Longest identity accepted, in characters (Unicode code points).
 *
 * CleverTap's 2017 upload error said "under 120 chars"; its newer docs say "under 1024 chars"
 * (https://docs.clevertap.com/docs/csv-upload; the 2017 text is in tradeo/clevertap-ruby's recorded
 * answers; UNCONFIRMED which one /1/upload enforces today). We take 1024: skipping is
 * silent towards CleverTap, so a too-strict local rule would drop users CleverTap would accept,
 * while a too-lenient one only means CleverTap rejects the record itself, and a rejected record is
 * reported with CleverTap's own reason, never lost.
 */
export const IDENTITY_MAX_LENGTH = 1024;

/** Values CleverTap refuses as an identity, compared case-insensitively (https://docs.clevertap.com/docs/csv-upload). */
export const FORBIDDEN_IDENTITIES: ReadonlySet<string> = new Set([
  'undefined',
  'null',
  'na',
  'n/a',
  '0',
  'nil',
  '-1',
  'infinity',
  '-infinity',
  'inf',
  '-inf',
  'nan',
  '-nan',
  'empty',
  'xxxxxx',
  'none',
]);

export type IdentityProblem = 'missing' | 'empty' | 'not-text' | 'too-long' | 'forbidden';

export type IdentityCheck = { ok: true; identity: string } | { ok: false; reason: IdentityProblem };

export function checkIdentity(value: unknown): IdentityCheck {
  if (value === undefined || value === null) return { ok: false, reason: 'missing' };
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number' || typeof value === 'bigint') text = String(value);
  else return { ok: false, reason: 'not-text' };
  if (text === '') return { ok: false, reason: 'empty' };
  if (FORBIDDEN_IDENTITIES.has(text.toLowerCase())) return { ok: false, reason: 'forbidden' };
  if (codePointLength(text) > IDENTITY_MAX_LENGTH) return { ok: false, reason: 'too-long' };
  return { ok: true, identity: text };
}

function codePointLength(text: string): number {
  // Cheap path: UTF-16 length is an upper bound of the code-point count.
  if (text.length <= IDENTITY_MAX_LENGTH) return text.length;
  let count = 0;
  for (const _ of text) count++;
  return count;
}
