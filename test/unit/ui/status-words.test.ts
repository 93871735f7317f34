import { describe, expect, it } from 'vitest';
import { statusDetail, statusTitle, SYNC_TYPE_LABELS } from '../../../components/export-dialog/status';
import { PHASE_LABEL, STATUS_LABEL, SYNC_TYPE_LABEL, syncTypeName } from '../../../lib/ui/labels';
import { makeSync } from './fixtures';

describe('status words', () => {
  it('names the sync types as the article does, the dialog adding the period', () => {
    expect(syncTypeName('one-time')).toBe('One-time sync');
    expect(syncTypeName('dynamic')).toBe('Dynamic sync');
    expect(SYNC_TYPE_LABEL.dynamic).toBe('Dynamic');
    expect(SYNC_TYPE_LABELS).toEqual({ 'one-time': 'One-time sync', dynamic: 'Dynamic sync (every 15 minutes)' });
  });

  it('gives the dialog the same status and phase words as the popup', () => {
    for (const state of ['scheduled', 'synced'] as const) {
      expect(statusTitle(makeSync({ state }))).toBe(STATUS_LABEL[state]);
    }
    expect(statusTitle(makeSync({ state: 'needs-review', removals: 5, segmentSize: 10, reason: 'x' }))).toBe('Needs review');
    const running = makeSync({ state: 'running', phase: 'delivering', done: 300, total: 1200 });
    expect(statusDetail(running)).toBe(`Now sending to CleverTap (300 of 1,200).`);
    expect(PHASE_LABEL.delivering).toBe('Sending to CleverTap');
    expect(statusDetail(makeSync({ state: 'running', phase: 'reading', done: 0, total: 0 }))).toBe('Now reading the cohort from Mixpanel.');
  });
});
