/** `page_size` goes in the query string as well as the body, so a server that reads only one still honours it. */
import { describe, expect, it } from 'vitest';
import { readAll, spyFetch, useMixpanelHub } from './harness';

const harness = useMixpanelHub();

describe('engage page_size', () => {
  it.each(['body-or-query', 'query-only'] as const)('is honoured when the server reads it from %s', async (pageSizeFrom) => {
    const emulator = harness.reset({ maxPageSize: 5000, modes: { pageSizeFrom } });
    emulator.seedCohort({ projectId: 1234567, cohortId: 31, members: 7000, seed: 3 });
    const spy = spyFetch(harness.hub.fetch);
    const pages = await readAll(harness.client({ workspaceId: 3448413 }, { fetch: spy.fetch, requestedPageSize: 3000 }).engagePages({ cohortId: 31, outputProperties: ['$CleverTap_user_id'] }));
    expect(pages.map((page) => page.pageSize)).toEqual([3000, 3000, 3000]);
    for (const call of spy.calls) {
      expect(call.url.searchParams.get('page_size')).toBe('3000');
      expect(call.body.get('page_size')).toBe('3000');
    }
  });
});

describe('a read ending short of page 0 total', () => {
  it('yields fewer rows than total when an expired session answers 200 [] (the engine must catch it)', async () => {
    const emulator = harness.reset({ maxPageSize: 100, modes: { expiredSession: 'empty-page' } });
    emulator.seedCohort({ projectId: 1234567, cohortId: 32, members: 300, withoutProfileShare: 0, seed: 4 });
    emulator.faults.add('/api/query/engage', { kind: 'hook', run: () => emulator.expireSessions() }, { skip: 1 });
    const pages = await readAll(harness.client({ workspaceId: 3448413 }).engagePages({ cohortId: 32, outputProperties: [] }));
    const rows = pages.reduce((sum, page) => sum + page.profiles.length, 0);
    expect(pages[0]!.total).toBe(300);
    expect(rows).toBeLessThan(300);
  });
});
