import { checkIdentity } from '../../../lib/clevertap/identity';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../lib/http/errors';
import { StagingWindow, type EngagePage } from '../../../lib/mixpanel/client';
import { FIXTURE } from '../../emulators/mixpanel';
import { readAll, recordingGate, spyFetch, useMixpanelHub } from './harness';

const h = useMixpanelHub();
const PROJECT = FIXTURE.usProject.id;
const COHORT = 42;
const OUTPUT = ['$CleverTap_user_id', '$email'];

/** Members that have a profile, in cohort order: what include_all_users=false must return. */
function profiled(): string[] {
  const cohort = h.emulator.state.cohort(PROJECT, COHORT)!;
  return [...cohort.members].filter((id) => h.emulator.state.profile(PROJECT, id));
}

const ids = (pages: EngagePage[]) => pages.flatMap((page) => page.profiles.map((profile) => profile.distinctId));

describe('engagePages', () => {
  it.each([
    { maxPageSize: 1000, requested: 100, members: 1050 },
    { maxPageSize: 1000, requested: 7, members: 100 },
    { maxPageSize: 1000, requested: 1000, members: 2345 },
    { maxPageSize: 1000, requested: 250, members: 10 },
  ])('reads every page to the end ($members members, pages of $requested)', async ({ maxPageSize, requested, members }) => {
    h.reset({ maxPageSize });
    const seeded = h.emulator.seedCohort({ projectId: PROJECT, cohortId: COHORT, members });
    const pages = await readAll(h.client({}, { requestedPageSize: requested }).engagePages({ cohortId: COHORT, outputProperties: OUTPUT }));
    const expectedTotal = members - seeded.withoutProfile;
    expect(expectedTotal % requested).not.toBe(0);
    expect(pages.map((page) => page.page)).toEqual([...Array(Math.ceil(expectedTotal / requested)).keys()]);
    expect(pages.every((page) => page.pageSize === requested && page.total === expectedTotal)).toBe(true);
    expect(ids(pages)).toEqual(profiled());
    expect(new Set(pages.map((page) => page.sessionId)).size).toBe(1);
    expect(h.emulator.counters.sessionsStarted).toBe(1);
  });

  it('asks once more when the last estimated page is full, and stops at the empty page', async () => {
    h.emulator.seedCohort({ projectId: PROJECT, cohortId: COHORT, members: 300, withoutProfileShare: 0 });
    const pages = await readAll(h.client({}, { requestedPageSize: 100 }).engagePages({ cohortId: COHORT, outputProperties: OUTPUT }));
    expect(pages.map((page) => page.profiles.length)).toEqual([100, 100, 100, 0]);
    expect(ids(pages)).toEqual(profiled());
  });

  it('reads on when `total` only counts the page (the spec wording), until a short page', async () => {
    h.emulator.seedCohort({ projectId: PROJECT, cohortId: COHORT, members: 250, withoutProfileShare: 0 });
    const spy = spyFetch(h.hub.fetch, (_call, json) => {
      const body = json as { results: unknown[]; total: number };
      return { ...body, total: body.results.length };
    });
    const pages = await readAll(
      h.client({}, { fetch: spy.fetch, requestedPageSize: 100 }).engagePages({ cohortId: COHORT, outputProperties: OUTPUT }),
    );
    expect(ids(pages)).toEqual(profiled());
    expect(pages.map((page) => page.page)).toEqual([0, 1, 2]);
  });

  it('fetches later pages concurrently but yields them strictly in order', async () => {
    h.emulator.seedCohort({ projectId: PROJECT, cohortId: COHORT, members: 1150, withoutProfileShare: 0 });
    h.emulator.latencyMs.engage = 20;
    // Page 1 (the second engage request) is slow, so pages 2 and 3 finish before it.
    h.emulator.faults.add('/api/query/engage', { kind: 'delay', ms: 150 }, { skip: 1 });
    const finished: number[] = [];
    const spy = spyFetch(h.hub.fetch, (call, json) => {
      finished.push(Number(call.body.get('page') ?? 0));
      return json;
    });
    const { gate, log } = recordingGate();
    const pages = await readAll(
      h.client({}, { fetch: spy.fetch, requestedPageSize: 100, pageConcurrency: 3, gate }).engagePages({
        cohortId: COHORT,
        outputProperties: OUTPUT,
      }),
    );
    expect(pages.map((page) => page.page)).toEqual([...Array(12).keys()]);
    expect(ids(pages)).toEqual(profiled());
    expect(finished.indexOf(2)).toBeLessThan(finished.indexOf(1));
    expect(h.emulator.counters.peakConcurrency).toBeGreaterThan(1);
    expect(h.emulator.counters.peakConcurrency).toBeLessThanOrEqual(3);
    expect(log.kinds[0]).toBe('engage-first-page');
    expect(log.kinds.slice(1).every((kind) => kind === 'engage-next-page')).toBe(true);
    expect(log.open).toBe(0);
  });

  it('asks for the next pages before page 0 is handed over, so they load while it is staged', async () => {
    h.emulator.seedCohort({ projectId: PROJECT, cohortId: COHORT, members: 450, withoutProfileShare: 0 });
    const spy = spyFetch(h.hub.fetch);
    const asked = () => spy.calls.map((call) => Number(call.body.get('page') ?? 0)).sort();
    const pages = h.client({}, { fetch: spy.fetch, requestedPageSize: 100, pageConcurrency: 3 }).engagePages({
      cohortId: COHORT,
      outputProperties: OUTPUT,
    });
    const iterator = pages[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value?.page).toBe(0);
    // The consumer holds page 0; pages 1–3 are already on their way, and no more than the concurrency.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(asked()).toEqual([0, 1, 2, 3]);
    const rest: EngagePage[] = [];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest.push(next.value);
    expect(rest.map((page) => page.page)).toEqual([1, 2, 3, 4]);
  });

  it('counts pages the consumer still holds against the concurrency, and sends the next at each release', async () => {
    h.emulator.seedCohort({ projectId: PROJECT, cohortId: COHORT, members: 650, withoutProfileShare: 0 });
    const spy = spyFetch(h.hub.fetch);
    const asked = () => spy.calls.map((call) => Number(call.body.get('page') ?? 0)).sort();
    const window = new StagingWindow();
    const pages = h.client({}, { fetch: spy.fetch, requestedPageSize: 100, pageConcurrency: 3 }).engagePages({
      cohortId: COHORT,
      outputProperties: OUTPUT,
      window,
    });
    const iterator = pages[Symbol.asyncIterator]();
    const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
    expect((await iterator.next()).value?.page).toBe(0);
    // Page 0 is held (not yet durable): two of the three slots are asking.
    await settle();
    expect(asked()).toEqual([0, 1, 2]);
    expect(window.held).toBe(1);
    window.release();
    await settle();
    expect(asked()).toEqual([0, 1, 2, 3]);
    // Pages 1 and 2 held: page 3 alone is asking, and each release sends one more.
    expect((await iterator.next()).value?.page).toBe(1);
    expect((await iterator.next()).value?.page).toBe(2);
    await settle();
    expect(window.held).toBe(2);
    expect(asked()).toEqual([0, 1, 2, 3]);
    window.release();
    await settle();
    expect(asked()).toEqual([0, 1, 2, 3, 4]);
    window.release();
    const rest: number[] = [];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      rest.push(next.value.page);
      window.release();
    }
    expect(rest).toEqual([3, 4, 5, 6]);
    expect(h.emulator.counters.peakConcurrency).toBeLessThanOrEqual(3);
  });

  it('at a concurrency of 1, waits for the held page to be released before asking for the next', async () => {
    h.emulator.seedCohort({ projectId: PROJECT, cohortId: COHORT, members: 250, withoutProfileShare: 0 });
    const spy = spyFetch(h.hub.fetch);
    const window = new StagingWindow();
    const pages: EngagePage[] = [];
    for await (const page of h.client({}, { fetch: spy.fetch, requestedPageSize: 100, pageConcurrency: 1 }).engagePages({
      cohortId: COHORT,
      outputProperties: OUTPUT,
      window,
    })) {
      pages.push(page);
      // Nothing is asked for while this page is held; it is durable a moment later.
      const askedWhileHeld = spy.calls.length;
      setTimeout(() => {
        expect(spy.calls.length).toBe(askedWhileHeld);
        window.release();
      }, 20);
    }
    expect(pages.map((page) => page.page)).toEqual([0, 1, 2]);
    expect(ids(pages)).toEqual(profiled());
    expect(spy.calls).toHaveLength(3);
  });

  it('honours a server page_size smaller than the one asked for', async () => {
    h.reset({ maxPageSize: 50 });
    h.emulator.seedCohort({ projectId: PROJECT, cohortId: COHORT, members: 230 });
    const spy = spyFetch(h.hub.fetch);
    const pages = await readAll(
      h.client({}, { fetch: spy.fetch, requestedPageSize: 10_000 }).engagePages({ cohortId: COHORT, outputProperties: OUTPUT }),
    );
    expect(spy.calls.every((call) => call.body.get('page_size') === '10000')).toBe(true);
    expect(pages.every((page) => page.pageSize === 50)).toBe(true);
    expect(pages.length).toBe(Math.ceil(profiled().length / 50));
    expect(ids(pages)).toEqual(profiled());
  });

  it('sends the documented form on every page, repeating the filters', async () => {
    h.emulator.seedCohort({ projectId: PROJECT, cohortId: COHORT, members: 25, withoutProfileShare: 0 });
    const spy = spyFetch(h.hub.fetch);
    const pages = await readAll(
      h.client({}, { fetch: spy.fetch, requestedPageSize: 10 }).engagePages({ cohortId: COHORT, outputProperties: OUTPUT }),
    );
    expect(spy.calls).toHaveLength(3);
    for (const [index, call] of spy.calls.entries()) {
      expect(call.url.origin + call.url.pathname).toBe('https://mixpanel.com/api/query/engage');
      expect(call.url.searchParams.get('project_id')).toBe(String(PROJECT));
      expect(call.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
      expect(JSON.parse(call.body.get('filter_by_cohort')!)).toEqual({ id: COHORT });
      expect(call.body.get('include_all_users')).toBe('false');
      expect(JSON.parse(call.body.get('output_properties')!)).toEqual(OUTPUT);
      expect(call.body.get('page')).toBe(index === 0 ? null : String(index));
      expect(call.body.get('session_id')).toBe(index === 0 ? null : pages[0]!.sessionId);
    }
    // Only the asked-for properties come back.
    const properties = pages.flatMap((page) => page.profiles.map((profile) => Object.keys(profile.properties)));
    expect(properties.every((keys) => keys.every((key) => OUTPUT.includes(key)))).toBe(true);
  });

  it('drops distinct_ids without a profile (include_all_users=false)', async () => {
    const seeded = h.emulator.seedCohort({ projectId: PROJECT, cohortId: COHORT, members: 500, withoutProfileShare: 0.3 });
    expect(seeded.withoutProfile).toBeGreaterThan(100);
    const pages = await readAll(h.client({}, { requestedPageSize: 100 }).engagePages({ cohortId: COHORT, outputProperties: OUTPUT }));
    const read = ids(pages);
    expect(read).toHaveLength(500 - seeded.withoutProfile);
    expect(read.every((id) => h.emulator.state.profile(PROJECT, id))).toBe(true);
    // What the export needs is all there.
    const delivered = new Map(
      pages.flatMap((page) => page.profiles).flatMap((p) => {
        const check = checkIdentity(p.properties.$CleverTap_user_id);
        return check.ok ? [[p.distinctId, check.identity] as const] : [];
      }),
    );
    expect(delivered).toEqual(seeded.expected);
  });

  it('resumes from a checkpoint in the same session', async () => {
    h.emulator.seedCohort({ projectId: PROJECT, cohortId: COHORT, members: 1000, withoutProfileShare: 0 });
    const client = h.client({}, { requestedPageSize: 100 });
    const { gate, log } = recordingGate();
    const gated = h.client({}, { requestedPageSize: 100, gate, pageConcurrency: 3 });
    const firstRun: EngagePage[] = [];
    for await (const page of gated.engagePages({ cohortId: COHORT, outputProperties: OUTPUT })) {
      firstRun.push(page);
      if (page.page === 3) break; // the worker stops here
    }
    expect(log.open).toBe(0);
    // Membership changes after page 0 do not show up in the session.
    h.emulator.state.addMembers(PROJECT, COHORT, ['late-joiner']);
    h.emulator.state.setProfile(PROJECT, 'late-joiner', { $CleverTap_user_id: 'ct-late' });
    const last = firstRun.at(-1)!;
    const rest = await readAll(
      client.engagePages({
        cohortId: COHORT,
        outputProperties: OUTPUT,
        resume: { sessionId: last.sessionId, nextPage: last.page + 1, pageSize: last.pageSize, total: last.total },
      }),
    );
    expect(rest[0]!.page).toBe(4);
    expect([...ids(firstRun), ...ids(rest)]).toEqual(profiled().filter((id) => id !== 'late-joiner'));
    expect(h.emulator.counters.sessionsStarted).toBe(1);
  });

  it('reports an expired session as session-expired', async () => {
    h.emulator.seedCohort({ projectId: PROJECT, cohortId: COHORT, members: 500, withoutProfileShare: 0 });
    const { gate, log } = recordingGate();
    const read = async () => {
      for await (const page of h.client({}, { requestedPageSize: 100, gate }).engagePages({ cohortId: COHORT, outputProperties: OUTPUT })) {
        if (page.page === 0) h.emulator.advanceTime(h.emulator.limits.sessionTtlMs + 1);
      }
    };
    const error = await read().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'session-expired', status: 400, retryable: false });
    expect(log.open).toBe(0);

    const resumed = h.client().engagePages({
      cohortId: COHORT,
      outputProperties: OUTPUT,
      resume: { sessionId: 'no-such-session', nextPage: 2, pageSize: 100, total: 500 },
    });
    await expect(readAll(resumed)).rejects.toMatchObject({ kind: 'session-expired' });
  });

  it('keeps a 400 on page 0 a bad request (no session to lose)', async () => {
    await expect(readAll(h.client().engagePages({ cohortId: 999_999, outputProperties: OUTPUT }))).rejects.toMatchObject({
      kind: 'bad-request',
      status: 400,
      message: expect.stringContaining('Cohort 999999 was not found'),
    });
  });

  it('stops and hands back every gate slot when the signal aborts', async () => {
    h.emulator.seedCohort({ projectId: PROJECT, cohortId: COHORT, members: 1000, withoutProfileShare: 0 });
    h.emulator.latencyMs.engage = 30;
    const controller = new AbortController();
    const { gate, log } = recordingGate();
    const answered = new Set<number>();
    const spy = spyFetch(h.hub.fetch, (call, json) => {
      answered.add(Number(call.body.get('page') ?? 0));
      return json;
    });
    const seen: number[] = [];
    const read = async () => {
      for await (const page of h.client({}, { fetch: spy.fetch, requestedPageSize: 100, gate }).engagePages({
        cohortId: COHORT,
        outputProperties: OUTPUT,
        signal: controller.signal,
      })) {
        seen.push(page.page);
        if (page.page !== 1) continue;
        // Page 2 is already in when the user presses Stop: it must not be handed over after it.
        await vi.waitUntil(() => answered.has(2));
        controller.abort(new Error('user pressed Stop'));
      }
    };
    await expect(read()).rejects.toThrow('user pressed Stop');
    expect(seen).toEqual([0, 1]);
    expect(log.open).toBe(0);
  });

  it('normalises numeric distinct_ids to strings', async () => {
    h.emulator.faults.add('/api/query/engage', {
      kind: 'status',
      status: 200,
      body: JSON.stringify({
        page: 0,
        page_size: 1000,
        results: [
          { $distinct_id: 4, $properties: { $CleverTap_user_id: 'ct-4' } },
          { $distinct_id: 'abc', $properties: {} },
        ],
        session_id: '1234567890-EXAMPL',
        status: 'ok',
        total: 2,
      }),
    });
    const pages = await readAll(h.client().engagePages({ cohortId: COHORT, outputProperties: OUTPUT }));
    expect(pages[0]!.profiles).toEqual([
      { distinctId: '4', properties: { $CleverTap_user_id: 'ct-4' } },
      { distinctId: 'abc', properties: {} },
    ]);
  });
});
