/**
 * Decides, for each Mixpanel profile, whether it is exported and as which CleverTap identity,
 * or why it is skipped. Only `$CleverTap_user_id` identifies a user in CleverTap.
 */
import { checkIdentity } from '../clevertap/identity';
import type { Member, MemberProfile } from '../storage/snapshots';

const CLEVERTAP_ID_PROPERTY = '$CleverTap_user_id';

/** The profile properties a run asks Mixpanel for: the id, and what CleverTap shows on a profile. */
export const OUTPUT_PROPERTIES = [CLEVERTAP_ID_PROPERTY, '$email', '$phone', '$name', '$first_name', '$last_name'];

type Classified = { member: Member } | { skip: 'missingId' | 'invalidId' };

export function classifyProfile(distinctId: string, properties: Record<string, unknown>): Classified {
  const check = checkIdentity(properties[CLEVERTAP_ID_PROPERTY]);
  if (!check.ok) return { skip: check.reason === 'missing' ? 'missingId' : 'invalidId' };
  return { member: { identity: check.identity, distinctId, profile: profileFields(properties) } };
}

/**
 * Email, Phone and Name for CleverTap. A value CleverTap would reject (it rejects the whole
 * record for a bad Email or a Phone not in +E.164 form) is left out rather than sent.
 */
export function profileFields(properties: Record<string, unknown>): MemberProfile {
  const profile: MemberProfile = {};
  const email = text(properties.$email);
  if (email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) profile.Email = email;
  const phone = text(properties.$phone)?.replace(/[\s().-]/g, '');
  if (phone && /^\+[1-9]\d{6,14}$/.test(phone)) profile.Phone = phone;
  const name =
    text(properties.$name) ?? [text(properties.$first_name), text(properties.$last_name)].filter(Boolean).join(' ');
  if (name) profile.Name = name.slice(0, 512);
  return profile;
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
