/** The Mixpanel emulator's own promises: what tests, benchmarks and the demo rely on. */
import { describe, expect, it } from 'vitest';
import { basicAuth } from '../../../lib/http/fetch-json';
import { FIXTURE, INVALID_CLEVERTAP_IDS, createMixpanelEmulator, seedCohort } from '../../emulators/mixpanel';
import { MixpanelState } from '../../emulators/mixpanel/state';
import { readAll, useMixpanelHub } from './harness';

const h = useMixpanelHub();
const PROJECT = FIXTURE.usProject.id;
const auth = basicAuth(FIXTURE.owner.username, FIXTURE.owner.secret);

function post(path: string, form: Record<string, string> = {}, headers: Record<string, string> = { authorization: auth }) {
  return h.hub.fetch(`https://mixpanel.com${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

describe('Mixpanel emulator', () => {
  it('requires project_id and authentication', async () => {
    const missing = await post('/api/query/cohorts/list');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: 'project_id is a required parameter.', status: 'error' });
    const anonymous = await post(`/api/query/cohorts/list?project_id=${PROJECT}`, {}, {});
    expect(anonymous.status).toBe(401);
    const wrong = await post(`/api/query/cohorts/list?project_id=${PROJECT}`, {}, { authorization: basicAuth(FIXTURE.owner.username, 'x') });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ status: 'error', error: expect.any(String) });
  });

  it('accepts plain-text Basic credentials, as Mixpanel says it does', async () => {
    const plain = await post(`/api/query/cohorts/list?project_id=${PROJECT}`, {}, {
      authorization: `Basic ${FIXTURE.owner.username}:${FIXTURE.owner.secret}`,
    });
    expect(plain.status).toBe(200);
  });

  it('leaves non-API paths to the pages fallback, else 404', async () => {
    const page = await h.hub.fetch('https://mixpanel.com/project/1/view/2/app/lexicon');
    expect(page.status).toBe(404);
    h.emulator.pages = async (request, response) => {
      if (!request.url.pathname.startsWith('/project/')) return false;
      response.writeHead(200, { 'content-type': 'text/html' }).end('<mp-app></mp-app>');
      return true;
    };
    expect(await (await h.hub.fetch('https://mixpanel.com/project/1/view/2/app/lexicon')).text()).toBe('<mp-app></mp-app>');
    expect((await h.hub.fetch('https://mixpanel.com/pricing')).status).toBe(404);
  });

  it('counts the first page of a session but not its pagination, unless told to', async () => {
    h.emulator.seedCohort({ projectId: PROJECT, cohortId: 5, members: 500, withoutProfileShare: 0 });
    await readAll(h.client({}, { requestedPageSize: 100 }).engagePages({ cohortId: 5, outputProperties: [] }));
    expect(h.emulator.queriesThisHour(PROJECT)).toBe(1);
    expect(h.emulator.counters.requestsByPath['/api/query/engage']).toBe(6);

    h.emulator.limits.countPagination = true;
    h.emulator.resetCounters();
    await readAll(h.client({}, { requestedPageSize: 100 }).engagePages({ cohortId: 5, outputProperties: [] }));
    expect(h.emulator.queriesThisHour(PROJECT)).toBe(6);
    expect(h.emulator.counters.queriesCounted).toBe(6);
  });

  it('changes membership and properties at run time', async () => {
    const { state } = h.emulator;
    state.addCohort(PROJECT, { id: 9, name: 'Runtime', members: ['a', 'b'] });
    state.setProfile(PROJECT, 'a', { $CleverTap_user_id: 'ct-a' });
    state.setProfile(PROJECT, 'b', { $CleverTap_user_id: 'ct-b' });
    state.removeMembers(PROJECT, 9, ['b']);
    state.addMembers(PROJECT, 9, ['c']);
    state.updateProperties(PROJECT, 'a', { $CleverTap_user_id: undefined, plan: 'pro' });
    const pages = await readAll(h.client().engagePages({ cohortId: 9, outputProperties: ['$CleverTap_user_id', 'plan'] }));
    // c has no profile and is dropped; a lost its id.
    expect(pages[0]!.profiles).toEqual([{ distinctId: 'a', properties: { plan: 'pro' } }]);
  });

  it('answers /api/app/me on the cluster of the account’s projects only', async () => {
    const us = await h.hub.fetch('https://mixpanel.com/api/app/me', { headers: { authorization: auth } });
    expect(us.status).toBe(200);
    const body = (await us.json()) as { status: string; results: { projects: Record<string, unknown> } };
    expect(body.status).toBe('ok');
    expect(Object.keys(body.results.projects)).toEqual([String(PROJECT)]);
  });
});

describe('seedCohort', () => {
  const fresh = () => {
    const state = new MixpanelState();
    state.addProject({ id: 1, region: 'us', name: 'Seed', organizationId: 1 });
    return state;
  };

  it('is deterministic and mixes every kind of member', () => {
    const a = seedCohort(fresh(), { projectId: 1, cohortId: 3, members: 20_000, seed: 7 });
    const b = seedCohort(fresh(), { projectId: 1, cohortId: 3, members: 20_000, seed: 7 });
    expect([...a.expected]).toEqual([...b.expected]);
    expect(a.withoutProfile + a.missingId + a.invalidId + a.valid).toBe(20_000);
    expect(a.withoutProfile / 20_000).toBeCloseTo(0.05, 1);
    expect(a.missingId / 20_000).toBeCloseTo(0.1, 1);
    expect(a.invalidId / 20_000).toBeCloseTo(0.05, 1);
    expect(a.expected.size).toBe(a.valid);
  });

  it('uses every kind of invalid id', () => {
    const state = fresh();
    seedCohort(state, { projectId: 1, cohortId: 3, members: 2_000, invalidIdShare: 0.5 });
    const seen = new Set([...state.profiles(1).values()].map((profile) => JSON.stringify(profile.$CleverTap_user_id)));
    for (const invalid of INVALID_CLEVERTAP_IDS) expect(seen).toContain(JSON.stringify(invalid));
  });

  it('builds a million members', () => {
    const emulator = createMixpanelEmulator();
    const seeded = emulator.seedCohort({ projectId: PROJECT, cohortId: 77, members: 1_000_000 });
    expect(emulator.state.cohort(PROJECT, 77)!.members.size).toBe(1_000_000);
    expect(seeded.valid).toBeGreaterThan(750_000);
  });
});
