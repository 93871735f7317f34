/**
 * Members as stored in IndexedDB: one array per field instead of one object per member.
 * IndexedDB structured-clones every value it is given; a few string arrays clone in about half
 * the time of ten thousand small objects, and store no field names per member.
 * Records written before columns hold `members` arrays; `membersOf` reads both.
 */
import type { Member, MemberProfile } from './snapshots';

export interface MemberColumns {
  identity: string[];
  distinctId: string[];
  /** '' where the member has no such field (profileFields never keeps an empty value). */
  email: string[];
  phone: string[];
  name: string[];
}

export function toColumns(members: readonly Member[]): MemberColumns {
  const columns: MemberColumns = { identity: [], distinctId: [], email: [], phone: [], name: [] };
  for (const { identity, distinctId, profile } of members) {
    columns.identity.push(identity);
    columns.distinctId.push(distinctId);
    columns.email.push(profile.Email ?? '');
    columns.phone.push(profile.Phone ?? '');
    columns.name.push(profile.Name ?? '');
  }
  return columns;
}

export function fromColumns(columns: MemberColumns): Member[] {
  const members: Member[] = new Array(columns.identity.length);
  for (let i = 0; i < members.length; i++) {
    const profile: MemberProfile = {};
    if (columns.email[i]) profile.Email = columns.email[i];
    if (columns.phone[i]) profile.Phone = columns.phone[i];
    if (columns.name[i]) profile.Name = columns.name[i];
    members[i] = { identity: columns.identity[i]!, distinctId: columns.distinctId[i]!, profile };
  }
  return members;
}

/** A stored record's members, whichever way it was written. */
export interface StoredMembers {
  columns?: MemberColumns;
  /** Records written before columns. */
  members?: Member[];
}

export function membersOf(record: StoredMembers): Member[] {
  return record.columns ? fromColumns(record.columns) : (record.members ?? []);
}

export function identitiesOf(record: StoredMembers): readonly string[] {
  return record.columns ? record.columns.identity : (record.members ?? []).map((member) => member.identity);
}
