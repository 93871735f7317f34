/**
 * The Mixpanel query budget of a project, shared by every sync of that project and persisted so
 * a restarted worker remembers what the last hour used. Mixpanel allows 60 queries an hour and 5 at
 * once per project, shared with everyone else querying it; we keep to a configurable share.
 *
 * Pages after the first of an engage session are not counted by default (Mixpanel support says
 * they do not count); a 429 that says the hour is used up while our own count has room proves
 * otherwise, and from then on they are counted.
 */
import { z } from 'zod';
import type { QueryLoad } from '../http/errors';
import type { QueryKind } from '../mixpanel/client';
import type { StoredItem } from '../storage/items';

const HOUR = 60 * 60 * 1000;

const BudgetStateSchema = z.object({
  /** When each counted query started, within the last hour. */
  counted: z.array(z.number()),
  countPagination: z.boolean(),
});
type BudgetState = z.infer<typeof BudgetStateSchema>;

export class BudgetExhaustedError extends Error {
  override readonly name = 'BudgetExhaustedError';
  constructor(readonly retryAt: number) {
    super(`Mixpanel's hourly query budget for this project is used up until ${new Date(retryAt).toLocaleTimeString()}.`);
  }
}

interface BudgetLimits {
  hourly: number;
  concurrent: number;
}

export class QueryBudget {
  private inFlight = 0;
  private waiting: (() => void)[] = [];
  /** Whether pages after the first count, as this budget last read or wrote it. */
  private paginationCounts?: Promise<boolean>;
  constructor(
    readonly projectId: number,
    private limits: BudgetLimits,
    /** Every project's budget, under one item: its writes are serialised per item, not per budget. */
    private readonly item: StoredItem<Record<string, unknown>>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queries waiting for a concurrency slot. */
  get queued(): number {
    return this.waiting.length;
  }

  setLimits(limits: BudgetLimits): void {
    this.limits = limits;
    this.wakeWaiters();
  }

  /** Plugs into MixpanelClient's `gate`: waits for a concurrency slot and charges the hour. */
  gate = async (kind: QueryKind): Promise<() => void> => {
    await this.acquireSlot();
    try {
      await this.charge(kind);
    } catch (error) {
      this.releaseSlot();
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.releaseSlot();
    };
  };

  /** Plugs into MixpanelClient's `onRateLimited`: Mixpanel's own figures correct our model. */
  onRateLimited = (load: QueryLoad): void => {
    const hourly = load.hourly;
    if (!hourly) return;
    void this.updateState((state) => {
      const ours = this.recent(state).length;
      const exhausted = hourly.used >= hourly.limit;
      // Others use the project too: count their queries as if they were ours, for the hour.
      const phantom = Math.max(0, hourly.used - ours);
      const counted = [...this.recent(state), ...Array<number>(phantom).fill(this.now())];
      const countPagination = state.countPagination || (exhausted && ours < this.limits.hourly);
      return { counted, countPagination };
    });
  };

  /** Queries counted in the last hour, and when the oldest of them stops counting. */
  async usage(): Promise<{ used: number; freesAt?: number }> {
    const recent = this.recent(await this.load());
    return { used: recent.length, freesAt: recent[0] === undefined ? undefined : recent[0] + HOUR };
  }

  private async charge(kind: QueryKind): Promise<void> {
    // An uncounted page touches no storage: a read-modify-write for each would queue a read's pages
    // one behind another, hundreds of milliseconds apart while a run keeps storage busy.
    if (kind === 'engage-next-page' && !(await this.countsPagination())) return;
    await this.updateState((state) => {
      if (kind === 'engage-next-page' && !state.countPagination) return state;
      const counted = this.recent(state);
      if (counted.length >= this.limits.hourly) {
        throw new BudgetExhaustedError(counted[counted.length - this.limits.hourly]! + HOUR);
      }
      return { ...state, counted: [...counted, this.now()] };
    });
  }

  private countsPagination(): Promise<boolean> {
    if (!this.paginationCounts) {
      const loaded = this.load().then((state) => state.countPagination);
      this.paginationCounts = loaded;
      loaded.catch(() => {
        if (this.paginationCounts === loaded) this.paginationCounts = undefined;
      });
    }
    return this.paginationCounts;
  }

  private recent(state: BudgetState): number[] {
    const since = this.now() - HOUR;
    return state.counted.filter((at) => at > since).sort((a, b) => a - b);
  }

  private async acquireSlot(): Promise<void> {
    while (this.inFlight >= this.limits.concurrent) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.inFlight++;
  }

  private releaseSlot(): void {
    this.inFlight--;
    this.wakeWaiters();
  }

  private wakeWaiters(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }

  private updateState(change: (state: BudgetState) => BudgetState): Promise<void> {
    const next = (writeChains.get(this.item) ?? Promise.resolve()).then(async () => {
      const all = (await this.item.getValue()) ?? {};
      const updated = change(parseBudget(all[String(this.projectId)]));
      await this.item.setValue({ ...all, [String(this.projectId)]: updated });
      this.paginationCounts = Promise.resolve(updated.countPagination);
    });
    writeChains.set(this.item, next.catch(() => undefined));
    return next;
  }

  private async load(): Promise<BudgetState> {
    const all = (await this.item.getValue()) ?? {};
    return parseBudget(all[String(this.projectId)]);
  }
}

function parseBudget(raw: unknown): BudgetState {
  const parsed = BudgetStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : { counted: [], countPagination: false };
}

/** Read-modify-writes of one item, in order: two projects' budgets never overwrite each other. */
const writeChains = new WeakMap<object, Promise<unknown>>();
const budgets = new WeakMap<object, Map<number, QueryBudget>>();

/** One budget object per project and store, so every sync of a project shares its slots. */
export function budgetFor(
  projectId: number,
  limits: BudgetLimits,
  item: StoredItem<Record<string, unknown>>,
  now: () => number,
): QueryBudget {
  let byProject = budgets.get(item);
  if (!byProject) budgets.set(item, (byProject = new Map()));
  let budget = byProject.get(projectId);
  if (!budget) {
    budget = new QueryBudget(projectId, limits, item, now);
    byProject.set(projectId, budget);
  } else {
    budget.setLimits(limits);
  }
  return budget;
}
