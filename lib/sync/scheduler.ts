/**
 * When syncs run: one repeating alarm per dynamic sync (`sync:<syncId>`), and the resume alarm
 * that wakes a worker stopped mid-run. Alarms may not survive a browser restart, so every start
 * of the worker calls `resumeAll`, which sets them again and says which runs to pick up.
 */
import type { ActiveRun } from '../storage/runs';
import type { Sync } from '../storage/schema';
import type { Alarms } from './environment';

const SYNC_ALARM_PREFIX = 'sync:';
/** Wakes a worker that was stopped mid-run; while runs are active it fires every 30 s. */
export const RESUME_ALARM = 'resume-runs';
const RESUME_EVERY_MINUTES = 0.5;

type AlarmTarget = { kind: 'sync'; syncId: string } | { kind: 'resume' } | undefined;

const syncAlarmName = (syncId: string) => SYNC_ALARM_PREFIX + syncId;

export function alarmTarget(name: string): AlarmTarget {
  if (name.startsWith(SYNC_ALARM_PREFIX)) return { kind: 'sync', syncId: name.slice(SYNC_ALARM_PREFIX.length) };
  return name === RESUME_ALARM ? { kind: 'resume' } : undefined;
}

/** Paused and waiting-for-review syncs neither run nor keep an alarm. */
export function isSchedulable(sync: Sync): boolean {
  return sync.status.state !== 'paused' && sync.status.state !== 'needs-review';
}

/** When a dynamic sync created now first runs: one period from now. */
function nextRunFromNow(now: number, periodMinutes: number): number {
  return now + periodMinutes * 60_000;
}

/**
 * The runs to resume after a worker start, oldest first: those of schedulable syncs that are not
 * waiting for the user's review.
 */
export function runsToResume(syncs: readonly Sync[], runs: readonly ActiveRun[]): string[] {
  const byId = new Map(syncs.map((sync) => [sync.id, sync]));
  return [...runs]
    .sort((a, b) => a.startedAt - b.startedAt)
    .filter((run) => {
      const sync = byId.get(run.syncId);
      return sync !== undefined && isSchedulable(sync) && run.phase !== 'reviewing';
    })
    .map((run) => run.syncId);
}

export class Scheduler {
  constructor(
    private readonly alarms: Alarms,
    private readonly now: () => number,
    private readonly periodMinutes: number,
  ) {}

  /**
   * Makes the sync's alarm match it: set for a schedulable dynamic sync, cleared otherwise.
   * Returns the next run's time when it had to create the alarm, for the sync's `nextRunAt`.
   */
  async schedule(sync: Sync): Promise<number | undefined> {
    const name = syncAlarmName(sync.id);
    if (sync.type !== 'dynamic' || !isSchedulable(sync)) {
      await this.alarms.clear(name);
      return undefined;
    }
    if (await this.alarms.get(name)) return undefined;
    await this.alarms.create(name, { delayInMinutes: this.periodMinutes, periodInMinutes: this.periodMinutes });
    return nextRunFromNow(this.now(), this.periodMinutes);
  }

  unschedule(syncId: string): Promise<void> {
    return this.alarms.clear(syncAlarmName(syncId));
  }

  /** A dynamic sync's next run: its alarm's time, or a period from now when the alarm is missing. */
  async nextRunAt(sync: Sync): Promise<number | undefined> {
    if (sync.type !== 'dynamic') return undefined;
    const alarm = await this.alarms.get(syncAlarmName(sync.id));
    return alarm ? alarm.scheduledTime : nextRunFromNow(this.now(), this.periodMinutes);
  }

  /** While runs are active: a worker stopped mid-run is woken within 30 s. */
  keepResuming(): Promise<void> {
    return this.alarms.create(RESUME_ALARM, { periodInMinutes: RESUME_EVERY_MINUTES });
  }

  stopResuming(): Promise<void> {
    return this.alarms.clear(RESUME_ALARM);
  }

  resumeAt(when: number): Promise<void> {
    return this.alarms.create(RESUME_ALARM, { when });
  }

  resumeIn(minutes: number): Promise<void> {
    return this.alarms.create(RESUME_ALARM, { delayInMinutes: minutes });
  }

  /** Sets every sync's alarm again (alarms may not survive a restart); returns the new `nextRunAt` per sync. */
  async resumeAll(syncs: readonly Sync[]): Promise<Map<string, number>> {
    const created = new Map<string, number>();
    for (const sync of syncs) {
      const nextRunAt = await this.schedule(sync);
      if (nextRunAt !== undefined) created.set(sync.id, nextRunAt);
    }
    return created;
  }
}
