/** The scheduler: per-sync alarms, the resume alarm, next-run times, and what to resume. */
import { describe, expect, it } from 'vitest';
import { newRun } from '../../../lib/storage/runs';
import type { Sync } from '../../../lib/storage/schema';
import { MemoryAlarms } from '../../../lib/sync/memory-environment';
import { alarmTarget, RESUME_ALARM, runsToResume, Scheduler } from '../../../lib/sync/scheduler';

const NOW = 1_000_000;
const sync = (id: string, extra: Partial<Sync> = {}): Sync => ({
  id,
  projectId: 1,
  cohortId: 2,
  cohortName: 'C',
  type: 'dynamic',
  createdAt: 0,
  status: { state: 'synced' },
  ...extra,
});

function scheduler() {
  const alarms = new MemoryAlarms(() => NOW);
  return { alarms, scheduler: new Scheduler(alarms, () => NOW, 15) };
}

describe('the scheduler', () => {
  it('sets a dynamic sync’s alarm every 15 minutes once, and says when it first fires', async () => {
    const { alarms, scheduler: subject } = scheduler();
    expect(await subject.schedule(sync('1:2'))).toBe(NOW + 15 * 60_000);
    expect(await alarms.get('sync:1:2')).toEqual({ name: 'sync:1:2', scheduledTime: NOW + 15 * 60_000, periodInMinutes: 15 });
    // Already set: left as it is.
    expect(await subject.schedule(sync('1:2'))).toBeUndefined();
    expect(await subject.nextRunAt(sync('1:2'))).toBe(NOW + 15 * 60_000);
  });

  it('clears the alarm of a one-time, paused or reviewing sync', async () => {
    const { alarms, scheduler: subject } = scheduler();
    for (const extra of [{ type: 'one-time' as const }, { status: { state: 'paused' as const, reason: 'x' } }, { status: { state: 'needs-review' as const, reason: 'x', removals: 1, segmentSize: 2 } }]) {
      await subject.schedule(sync('1:2'));
      expect(await subject.schedule(sync('1:2', extra))).toBeUndefined();
      expect(await alarms.get('sync:1:2')).toBeUndefined();
    }
    expect(await subject.nextRunAt(sync('1:2', { type: 'one-time' }))).toBeUndefined();
  });

  it('a missing alarm is made again on resumeAll, and the next run counted from now', async () => {
    const { alarms, scheduler: subject } = scheduler();
    const created = await subject.resumeAll([sync('1:2'), sync('1:3', { type: 'one-time' })]);
    expect(created).toEqual(new Map([['1:2', NOW + 15 * 60_000]]));
    expect(alarms.all().map((alarm) => alarm.name)).toEqual(['sync:1:2']);
  });

  it('keeps a resume alarm while runs are active, and aims it at a time when asked', async () => {
    const { alarms, scheduler: subject } = scheduler();
    await subject.keepResuming();
    expect(await alarms.get(RESUME_ALARM)).toMatchObject({ periodInMinutes: 0.5 });
    await subject.resumeAt(NOW + 5);
    expect(await alarms.get(RESUME_ALARM)).toEqual({ name: RESUME_ALARM, scheduledTime: NOW + 5 });
    await subject.resumeIn(5);
    expect(await alarms.get(RESUME_ALARM)).toEqual({ name: RESUME_ALARM, scheduledTime: NOW + 5 * 60_000 });
    await subject.stopResuming();
    expect(await alarms.get(RESUME_ALARM)).toBeUndefined();
  });

  it('tells alarms apart', () => {
    expect(alarmTarget('sync:1:2')).toEqual({ kind: 'sync', syncId: '1:2' });
    expect(alarmTarget(RESUME_ALARM)).toEqual({ kind: 'resume' });
    expect(alarmTarget('something-else')).toBeUndefined();
  });

  it('resumes interrupted runs oldest first, skipping paused syncs, reviews and runs without a sync', () => {
    const runs = [
      newRun('1:3', 'schedule', 300),
      newRun('1:2', 'schedule', 100),
      { ...newRun('1:4', 'manual', 50), phase: 'reviewing' as const },
      newRun('1:5', 'manual', 10),
      newRun('9:9', 'manual', 1),
    ];
    const syncs = [sync('1:2'), sync('1:3'), sync('1:4'), sync('1:5', { status: { state: 'paused', reason: 'x' } })];
    expect(runsToResume(syncs, runs)).toEqual(['1:2', '1:3']);
  });
});
