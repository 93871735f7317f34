/**
 * Mixpanel's Query API limits, per project: at most `concurrentLimit` queries running and
 * `hourlyLimit` counted queries over a sliding hour ("A maximum of 5 concurrent queries and 60
 * queries per hour", https://docs.mixpanel.com/reference/rate-limits).
 */
const HOUR_MS = 3_600_000;

export interface LimitConfig {
  hourlyLimit: number;
  concurrentLimit: number;
}

export type Admission =
  | { ok: true; release: () => void }
  | { ok: false; concurrent: number; hourly: number };

export class QueryLimiter {
  private readonly running = new Map<number, number>();
  private readonly counted = new Map<number, number[]>();
  peakConcurrency = 0;
  readonly peakByProject = new Map<number, number>();
  queriesCounted = 0;

  constructor(
    readonly config: LimitConfig,
    private readonly now: () => number,
  ) {}

  /** `counts`: whether this request uses one of the hour's queries (all requests use a concurrency slot). */
  admit(projectId: number, counts: boolean): Admission {
    const running = this.running.get(projectId) ?? 0;
    const hourly = this.hourly(projectId);
    if (running >= this.config.concurrentLimit || (counts && hourly.length >= this.config.hourlyLimit)) {
      // Mixpanel's figures include the refused query itself ("61/60").
      return { ok: false, concurrent: running + 1, hourly: hourly.length + (counts ? 1 : 0) };
    }
    if (counts) {
      hourly.push(this.now());
      this.queriesCounted++;
    }
    this.running.set(projectId, running + 1);
    this.peakConcurrency = Math.max(this.peakConcurrency, running + 1);
    this.peakByProject.set(projectId, Math.max(this.peakByProject.get(projectId) ?? 0, running + 1));
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.running.set(projectId, (this.running.get(projectId) ?? 1) - 1);
      },
    };
  }

  /** Counted queries of the last hour. */
  usedThisHour(projectId: number): number {
    return this.hourly(projectId).length;
  }

  runningNow(projectId: number): number {
    return this.running.get(projectId) ?? 0;
  }

  /** Forgets the hour's history and the peaks (not what is running). */
  reset(): void {
    this.counted.clear();
    this.peakConcurrency = 0;
    this.peakByProject.clear();
    this.queriesCounted = 0;
  }

  private hourly(projectId: number): number[] {
    const since = this.now() - HOUR_MS;
    const kept = (this.counted.get(projectId) ?? []).filter((at) => at > since);
    this.counted.set(projectId, kept);
    return kept;
  }
}
