import { describe, expect, it } from 'vitest';
import { newRun } from '../../../lib/storage/runs';
import { DEFAULT_SETTINGS, type Sync } from '../../../lib/storage/schema';
import { memoryItem } from '../../../lib/storage/items';
import { rejectedStore } from '../../../lib/sync/rejected';
import { recordOutcome } from '../../../lib/sync/rejected-record';
import { chooseSegmentName } from '../../../lib/sync/segment-names';
import { isStale } from '../../../lib/sync/stale';

const sync = (cohortId: number, cohortName: string, segmentName?: string): Sync => ({
  id: `1:${cohortId}`,
  projectId: 1,
  cohortId,
  cohortName,
  type: 'dynamic',
  createdAt: 0,
  status: { state: 'synced' },
  ...(segmentName ? { segmentName } : {}),
});

describe('chooseSegmentName', () => {
  it('takes prefix + name when free, adds the cohort id when taken, and the project when that is taken too', () => {
    const cohort = { cohortId: 7, cohortName: 'VIP', projectId: 2 };
    expect(chooseSegmentName(DEFAULT_SETTINGS, cohort, [])).toBe('Mixpanel: VIP');
    // A sync from before names were stored still holds its computed name.
    expect(chooseSegmentName(DEFAULT_SETTINGS, cohort, [sync(1, 'VIP')])).toBe('Mixpanel: VIP (cohort 7)');
    expect(chooseSegmentName(DEFAULT_SETTINGS, cohort, [sync(1, 'Other', 'Mixpanel: VIP'), sync(3, 'x', 'Mixpanel: VIP (cohort 7)')])).toBe(
      'Mixpanel: VIP (project 2, cohort 7)',
    );
  });
});

describe('isStale', () => {
  const read = { ...newRun('1:1', 'schedule', 0), phase: 'delivering' as const, readAt: 1_000 };
  const period = 15 * 60_000;
  it('is stale only past one period after the read, before the segment or events went out', () => {
    expect(isStale(read, 1_000 + period, period)).toBe(false);
    expect(isStale(read, 1_001 + period, period)).toBe(true);
    expect(isStale({ ...read, delivered: { profiles: [0] } }, 1_001 + period, period)).toBe(true);
    expect(isStale({ ...read, delivered: { segment: [0] } }, 1_001 + period, period)).toBe(false);
    expect(isStale({ ...read, delivered: { 'events-add': [0] } }, 1_001 + period, period)).toBe(false);
    expect(isStale({ ...read, phase: 'reviewing' }, 1_001 + period, period)).toBe(false);
  });
});

describe('recordOutcome', () => {
  it('counts one more failure for a refused identity and forgets an accepted one', () => {
    const sent = [{ identity: 'a', profileData: { Name: 'A' } }, { identity: 'b', profileData: {} }];
    const once = recordOutcome({}, sent, [{ identity: 'a', code: 555, error: 'no' }]);
    expect(once).toEqual({ a: { failures: 1, code: 555, error: 'no', profile: { Name: 'A' } } });
    const twice = recordOutcome(once, sent, [{ identity: 'a', code: 556, error: 'still no' }]);
    expect(twice.a).toMatchObject({ failures: 2, code: 556 });
    expect(recordOutcome(twice, sent, [])).toEqual({});
  });

  it('returns the record itself when the answer changes nothing', () => {
    const current = { c: { failures: 1, code: 555, error: 'no', profile: {} } };
    expect(recordOutcome(current, [{ identity: 'a', profileData: {} }], [])).toBe(current);
  });
});

describe('rejectedStore', () => {
  it('reads storage once and writes only when an answer changes the record', async () => {
    const item = memoryItem<unknown>();
    const calls = { get: 0, set: 0, remove: 0 };
    const counted = {
      getValue: () => (calls.get++, item.getValue()),
      setValue: (value: unknown) => (calls.set++, item.setValue(value)),
      removeValue: () => (calls.remove++, item.removeValue()),
    };
    const store = rejectedStore(counted);
    const sent = [{ identity: 'a', profileData: {} }, { identity: 'b', profileData: {} }];
    // Batches accepted in full, as most are: no write at all.
    await Promise.all([1, 2, 3].map(() => store.update((current) => recordOutcome(current, sent, []))));
    expect(calls).toEqual({ get: 1, set: 0, remove: 0 });
    await store.update((current) => recordOutcome(current, sent, [{ identity: 'b', code: 555, error: 'no' }]));
    expect(calls.set).toBe(1);
    expect(Object.keys(await store.read())).toEqual(['b']);
    expect(item.peek()).toMatchObject({ b: { failures: 1 } });
    // Accepted later: forgotten, and the empty record removed.
    await store.update((current) => recordOutcome(current, sent, []));
    expect(calls).toEqual({ get: 1, set: 1, remove: 1 });
    expect(item.peek()).toBeNull();
  });
});

