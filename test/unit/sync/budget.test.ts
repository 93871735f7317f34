import { beforeEach, describe, expect, it } from 'vitest';
import { memoryItem } from '../../../lib/storage/items';
import { BudgetExhaustedError, QueryBudget } from '../../../lib/sync/budget';

const HOUR = 3_600_000;
let clock = 0;
const now = () => clock;
let item = memoryItem<Record<string, unknown>>();

beforeEach(() => {
  item = memoryItem<Record<string, unknown>>();
  clock = 10 * HOUR;
});

describe('QueryBudget', () => {
  it('charges first pages and cohort lists, not the pages after the first', async () => {
    const budget = new QueryBudget(1, { hourly: 3, concurrent: 3 }, item, now);
    for (const kind of ['cohorts-list', 'engage-first-page', 'engage-next-page', 'engage-next-page'] as const) {
      (await budget.gate(kind))();
    }
    expect((await budget.usage()).used).toBe(2);
  });

  it('lets uncounted pages through without touching storage', async () => {
    const budget = new QueryBudget(1, { hourly: 3, concurrent: 3 }, item, now);
    (await budget.gate('engage-first-page'))();
    let calls = 0;
    const { getValue, setValue } = item;
    item.getValue = () => (calls++, getValue());
    item.setValue = (value) => (calls++, setValue(value));
    for (let page = 1; page < 10; page++) (await budget.gate('engage-next-page'))();
    expect(calls).toBe(0);
    (await budget.gate('engage-first-page'))();
    expect(calls).toBeGreaterThan(0);
  });

  it('refuses a query beyond the hourly share, saying when the next one frees up', async () => {
    const budget = new QueryBudget(1, { hourly: 2, concurrent: 3 }, item, now);
    (await budget.gate('engage-first-page'))();
    clock += 60_000;
    (await budget.gate('engage-first-page'))();
    const refused = await budget.gate('engage-first-page').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BudgetExhaustedError);
    expect((refused as BudgetExhaustedError).retryAt).toBe(10 * HOUR + HOUR);
    clock = 11 * HOUR + 1;
    (await budget.gate('engage-first-page'))();
  });

  it('keeps two projects’ budgets apart under one item, even when they write at once', async () => {
    const seven = new QueryBudget(7, { hourly: 5, concurrent: 5 }, item, now);
    const eight = new QueryBudget(8, { hourly: 5, concurrent: 5 }, item, now);
    await Promise.all([seven.gate('me'), eight.gate('me'), seven.gate('me')]);
    expect((await seven.usage()).used).toBe(2);
    expect((await eight.usage()).used).toBe(1);
  });

  it('is shared through storage: a new worker remembers the hour', async () => {
    (await new QueryBudget(7, { hourly: 1, concurrent: 1 }, item, now).gate('me'))();
    await expect(new QueryBudget(7, { hourly: 1, concurrent: 1 }, item, now).gate('me')).rejects.toBeInstanceOf(
      BudgetExhaustedError,
    );
    // Another project has its own budget.
    (await new QueryBudget(8, { hourly: 1, concurrent: 1 }, item, now).gate('me'))();
  });

  it('never lets more than the concurrent share run at once', async () => {
    const budget = new QueryBudget(1, { hourly: 50, concurrent: 2 }, item, now);
    const first = await budget.gate('engage-next-page');
    await budget.gate('engage-next-page');
    let thirdStarted = false;
    const third = budget.gate('engage-next-page').then((release) => {
      thirdStarted = true;
      return release;
    });
    // The third waits in the slot queue: nothing but a release lets it through.
    await expect.poll(() => budget.queued).toBe(1);
    expect(thirdStarted).toBe(false);
    first();
    (await third)();
    expect(thirdStarted).toBe(true);
  });

  it('learns from a 429: others’ queries count, and pagination counts when the hour is full early', async () => {
    const budget = new QueryBudget(1, { hourly: 50, concurrent: 3 }, item, now);
    (await budget.gate('engage-first-page'))();
    budget.onRateLimited({ hourly: { used: 60, limit: 60 }, concurrent: { used: 1, limit: 5 } });
    await expect.poll(async () => (await budget.usage()).used).toBe(60);
    await expect(budget.gate('engage-next-page')).rejects.toBeInstanceOf(BudgetExhaustedError);
  });
});
