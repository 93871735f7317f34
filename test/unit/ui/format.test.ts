import { describe, expect, it } from 'vitest';
import {
  describeSkips,
  formatAgo,
  formatCount,
  formatDuration,
  formatEta,
  formatPercent,
  formatProgress,
  formatRelative,
  totalSkipped,
} from '../../../lib/ui/format';
import { mixpanelRegionFromQuery } from '../../../lib/ui/labels';

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);
const MIN = 60_000;

describe('formatRelative', () => {
  it.each([
    [NOW - 10_000, 'just now'],
    [NOW + 10_000, 'in less than a minute'],
    [NOW - 12 * MIN, '12 min ago'],
    [NOW + 4 * MIN, 'in 4 min'],
    [NOW - 3 * 60 * MIN, '3 h ago'],
    [NOW + 90 * MIN, 'in 2 h'],
    [NOW - 2 * 24 * 60 * MIN, '2 d ago'],
  ])('%i → %s', (at, expected) => {
    expect(formatRelative(at, NOW)).toBe(expected);
  });

  it('gives a date beyond a week', () => {
    expect(formatRelative(NOW - 30 * 24 * 60 * MIN, NOW, 'en-GB')).toMatch(/16 May 2025/);
  });
});

describe('formatEta', () => {
  it.each([
    [NOW - 1000, 'finishing'],
    [NOW + 20_000, 'less than a minute left'],
    [NOW + 3 * MIN, 'about 3 min left'],
    [NOW + 125 * MIN, 'about 2 h 5 min left'],
    [NOW + 120 * MIN, 'about 2 h left'],
  ])('%i → %s', (etaAt, expected) => {
    expect(formatEta(etaAt, NOW)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    [850, '850 ms'],
    [12_300, '12 s'],
    [184_000, '3 min 4 s'],
    [120_000, '2 min'],
    [62 * MIN, '1 h 2 min'],
    [-5, '0 ms'],
  ])('%i → %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe('numbers', () => {
  it('formats counts, progress and percentages', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatProgress(4200, 10000)).toBe('4,200 of 10,000');
    expect(formatPercent(0.5)).toBe('50 %');
    expect(formatPercent(0.6194)).toBe('61.9 %');
  });

  it('sums and describes skips by reason', () => {
    const skipped = { missingId: 12, invalidId: 1, duplicateId: 0 };
    expect(totalSkipped(skipped)).toBe(13);
    expect(describeSkips(skipped)).toBe('12 without $CleverTap_user_id, 1 with an invalid id');
    expect(describeSkips({ missingId: 0, invalidId: 0, duplicateId: 0 })).toBe('none');
  });
});

describe('mixpanelRegionFromQuery', () => {
  it('honours ?region= and defaults to US', () => {
    expect(mixpanelRegionFromQuery('?region=eu')).toBe('eu');
    expect(mixpanelRegionFromQuery('?region=IN')).toBe('in');
    expect(mixpanelRegionFromQuery('?region=mars')).toBe('us');
    expect(mixpanelRegionFromQuery('')).toBe('us');
  });
});

describe('formatAgo', () => {
  it('never says "in …" for a past event stamped after the last clock tick', () => {
    expect(formatAgo(NOW + 2000, NOW)).toBe('just now');
    expect(formatAgo(NOW - 5 * MIN, NOW)).toBe('5 min ago');
  });
});
