import { describe, expect, it } from 'vitest';
import { brakeReason } from '../../../lib/sync/brake';
import { classifyProfile, profileFields } from '../../../lib/sync/classify';

describe('classifyProfile', () => {
  it.each([
    [{ $CleverTap_user_id: 'u-1' }, 'u-1'],
    [{ $CleverTap_user_id: '  u-2  ' }, 'u-2'],
    [{ $CleverTap_user_id: 12345 }, '12345'],
  ])('exports %j as %s', (properties, identity) => {
    expect(classifyProfile('d', properties)).toEqual({ member: { identity, distinctId: 'd', profile: {} } });
  });

  it.each([
    [{}, 'missingId'],
    [{ $CleverTap_user_id: null }, 'missingId'],
    [{ $CleverTap_user_id: '' }, 'invalidId'],
    [{ $CleverTap_user_id: '   ' }, 'invalidId'],
    [{ $CleverTap_user_id: 'null' }, 'invalidId'],
    [{ $CleverTap_user_id: 'Undefined' }, 'invalidId'],
    [{ $CleverTap_user_id: { id: 1 } }, 'invalidId'],
    [{ $CleverTap_user_id: true }, 'invalidId'],
    [{ $CleverTap_user_id: 'x'.repeat(1025) }, 'invalidId'],
  ])('skips %j as %s', (properties, skip) => {
    expect(classifyProfile('d', properties)).toEqual({ skip });
  });

  it('sends Email, Phone and Name only in forms CleverTap accepts', () => {
    expect(profileFields({ $email: 'a@b.co', $phone: '+1 (415) 555-1234', $first_name: 'Ada', $last_name: 'L' })).toEqual({
      Email: 'a@b.co',
      Phone: '+14155551234',
      Name: 'Ada L',
    });
    expect(profileFields({ $email: 'not-an-email', $phone: '4155551234', $name: ' ' })).toEqual({});
  });
});

describe('brakeReason', () => {
  const base = { committedSize: 100, stagedSize: 90, removals: 10, threshold: 0.5 };
  it('lets ordinary churn through and never brakes a first run', () => {
    expect(brakeReason(base)).toBeUndefined();
    expect(brakeReason({ ...base, committedSize: 0, stagedSize: 0, removals: 0 })).toBeUndefined();
  });
  it('stops a mass removal above the threshold', () => {
    expect(brakeReason({ ...base, stagedSize: 40, removals: 60 })).toMatch(/remove 60 of 100 members \(60 %\)/);
  });
  it('stops a run that reads an empty cohort where the segment had members', () => {
    expect(brakeReason({ ...base, stagedSize: 0, removals: 100, threshold: 1 })).toMatch(/no members/);
  });
});
