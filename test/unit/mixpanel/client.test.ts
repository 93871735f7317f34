import { describe, expect, it } from 'vitest';
import { ApiError, type QueryLoad } from '../../../lib/http/errors';
import { basicAuth } from '../../../lib/http/fetch-json';
import { projectRole, selectWorkspaceId } from '../../../lib/mixpanel/me';
import { FIXTURE } from '../../emulators/mixpanel';
import { noWait, readAll, recordingGate, spyFetch, useMixpanelHub } from './harness';

const h = useMixpanelHub();
const { usProject, euProject, owner, analyst, consumer } = FIXTURE;
const once = { ...noWait, attempts: 1 };

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

function expectNoSecret(error: ApiError, username: string, secret: string) {
  expect(error.message).not.toContain(secret);
  expect(error.message).not.toContain(basicAuth(username, secret).slice(6));
}

describe('listCohorts', () => {
  it('maps the bare array', async () => {
    h.emulator.state.addMembers(usProject.id, 1000, ['a', 'b', 'c']);
    expect(await h.client().listCohorts()).toEqual([
      {
        id: 1000,
        name: 'Cohort One',
        count: 3,
        description: 'This cohort is visible, has an id = 1000.',
        created: '2019-03-19 23:49:51',
        visible: true,
      },
      {
        id: 2000,
        name: 'Cohort Two',
        count: 0,
        description: "This cohort isn't visible, has an id = 2000.",
        created: '2019-04-02 23:22:01',
        visible: false,
      },
    ]);
  });

  it('sends POST with project_id, and workspace_id when configured', async () => {
    const spy = spyFetch(h.hub.fetch);
    await h.client({}, { fetch: spy.fetch }).listCohorts();
    await h.client({ workspaceId: 3448413 }, { fetch: spy.fetch }).listCohorts();
    expect(spy.calls.map((call) => call.url.href)).toEqual([
      `https://mixpanel.com/api/query/cohorts/list?project_id=${usProject.id}`,
      `https://mixpanel.com/api/query/cohorts/list?project_id=${usProject.id}&workspace_id=3448413`,
    ]);
    expect(spy.calls[0]!.headers.get('authorization')).toBe(basicAuth(owner.username, owner.secret));
  });

  it('is refused without workspace_id when the project requires it, and with a foreign one', async () => {
    h.emulator.state.projects.get(usProject.id)!.requireWorkspaceId = true;
    const missing = await failure(h.client().listCohorts());
    expect(missing).toMatchObject({ kind: 'bad-request', status: 400, retryable: false });
    expect(missing.message).toContain('workspace_id');
    await expect(h.client({ workspaceId: 3448413 }).listCohorts()).resolves.toHaveLength(2);
    await expect(h.client({ workspaceId: 1 }).listCohorts()).rejects.toMatchObject({ kind: 'bad-request' });
  });
});

describe('errors', () => {
  it('401: wrong secret, told what to check, secret never shown, not retried', async () => {
    const spy = spyFetch(h.hub.fetch);
    const error = await failure(h.client({ secret: 'wrong-secret' }, { fetch: spy.fetch }).listCohorts());
    expect(error).toMatchObject({ kind: 'auth', status: 401, service: 'mixpanel' });
    expect(error.message).toContain('Mixpanel rejected the service account: check its username and secret');
    expect(error.message).toContain(`project ${usProject.id}`);
    expectNoSecret(error, owner.username, 'wrong-secret');
    expect(spy.calls).toHaveLength(1);
  });

  it('403: a Consumer may not query; an Analyst may', async () => {
    const error = await failure(h.client(consumer).listCohorts());
    expect(error).toMatchObject({ kind: 'permission', status: 403 });
    expect(error.message).toContain('Analyst role or higher');
    expectNoSecret(error, consumer.username, consumer.secret);
    await expect(h.client(analyst).listCohorts()).resolves.toHaveLength(2);
  });

  it('401 for a project the account does not belong to', async () => {
    h.emulator.state.setRole(analyst.username, usProject.id, undefined);
    await expect(h.client(analyst).listCohorts()).rejects.toMatchObject({ kind: 'auth' });
  });

  it('malformed bodies: not JSON, or not the contract', async () => {
    h.emulator.faults.add('/api/query/cohorts/list', { kind: 'malformed' });
    await expect(h.client().listCohorts()).rejects.toMatchObject({ kind: 'malformed' });
    h.emulator.faults.add('/api/query/cohorts/list', { kind: 'status', status: 200, body: '{"results": []}' });
    await expect(h.client().listCohorts()).rejects.toMatchObject({ kind: 'malformed' });
  });

  it('a reset connection is retried, and reported as network when it persists', async () => {
    h.emulator.faults.add('/api/query/cohorts/list', { kind: 'reset' });
    await expect(h.client().listCohorts()).resolves.toHaveLength(2);
    h.emulator.faults.add('/api/query/cohorts/list', { kind: 'reset' });
    await expect(h.client({}, { retry: once }).listCohorts()).rejects.toMatchObject({ kind: 'network', retryable: true });
  });

  it('5xx is retried with the gate passed on every attempt', async () => {
    h.emulator.faults.add('/api/query/cohorts/list', { kind: 'status', status: 502, body: 'Bad Gateway', contentType: 'text/html' }, { times: 2 });
    const { gate, log } = recordingGate();
    await expect(h.client({}, { gate }).listCohorts()).resolves.toHaveLength(2);
    expect(log.kinds).toEqual(['cohorts-list', 'cohorts-list', 'cohorts-list']);
    expect(log.released).toBe(3);
    h.emulator.faults.add('/api/query/cohorts/list', { kind: 'status', status: 503, body: '' });
    const error = await failure(h.client({}, { retry: once }).listCohorts());
    expect(error).toMatchObject({ kind: 'server', status: 503 });
  });

  it('a timeout is reported as such', async () => {
    h.emulator.faults.add('/api/query/cohorts/list', { kind: 'hang' });
    await expect(h.client({}, { retry: once, timeoutMs: 200 }).listCohorts()).rejects.toMatchObject({ kind: 'timeout' });
  });
});

describe('rate limits', () => {
  const body429 = JSON.stringify({
    request: '/api/query/engage?project_id=1234567',
    error:
      'Query rate limit exceeded for project_id: 1234567. 2/5 queries running concurrently and 61/60 queries running in the last hour. For more information, please consult our documentation at https://help.mixpanel.com/',
  });

  it('a 429 is retried; the gate sees every attempt and onRateLimited the figures', async () => {
    h.emulator.seedCohort({ projectId: usProject.id, cohortId: 7, members: 20 });
    h.emulator.faults.add('/api/query/engage', { kind: 'status', status: 429, body: body429 });
    const { gate, log } = recordingGate();
    const loads: QueryLoad[] = [];
    const pages = await readAll(
      h.client({}, { gate, onRateLimited: (load) => loads.push(load) }).engagePages({ cohortId: 7, outputProperties: [] }),
    );
    expect(pages).toHaveLength(1);
    expect(log.kinds).toEqual(['engage-first-page', 'engage-first-page']);
    expect(log.open).toBe(0);
    expect(loads).toEqual([{ concurrent: { used: 2, limit: 5 }, hourly: { used: 61, limit: 60 } }]);
  });

  it("the emulator's own hourly limit: 429 with figures, in the message and on the error", async () => {
    h.reset({ hourlyLimit: 2 });
    const client = h.client({}, { retry: once });
    await client.listCohorts();
    await client.listCohorts();
    const error = await failure(client.listCohorts());
    expect(error).toMatchObject({
      kind: 'rate-limit',
      status: 429,
      retryable: true,
      load: { concurrent: { used: 1, limit: 5 }, hourly: { used: 3, limit: 2 } },
    });
    expect(error.message).toContain('3/2 in the last hour');
    expect(h.emulator.counters.rateLimited).toBe(1);
    // The hour slides.
    h.emulator.advanceTime(3_600_001);
    await expect(client.listCohorts()).resolves.toHaveLength(2);
  });

  it('more pages in flight than the concurrency limit: 429s are retried and the read completes', async () => {
    h.reset({ concurrentLimit: 2 });
    h.emulator.seedCohort({ projectId: usProject.id, cohortId: 7, members: 1000, withoutProfileShare: 0 });
    h.emulator.latencyMs.engage = 20;
    const loads: QueryLoad[] = [];
    const pages = await readAll(
      h.client({}, { requestedPageSize: 100, pageConcurrency: 4, retry: { ...noWait, attempts: 50 }, onRateLimited: (load) => loads.push(load) })
        .engagePages({ cohortId: 7, outputProperties: [] }),
    );
    expect(pages.flatMap((page) => page.profiles)).toHaveLength(1000);
    expect(h.emulator.counters.peakConcurrency).toBe(2);
    expect(h.emulator.counters.rateLimited).toBeGreaterThan(0);
    expect(loads.every((load) => load.concurrent?.used === 3 && load.concurrent.limit === 2)).toBe(true);
  });
});

describe('regions', () => {
  it('an EU project is read on eu.mixpanel.com', async () => {
    h.emulator.state.addCohort(euProject.id, { id: 55, name: 'EU buyers', members: ['x'] });
    h.emulator.state.setProfile(euProject.id, 'x', { $CleverTap_user_id: 'ct-x' });
    const spy = spyFetch(h.hub.fetch);
    const client = h.client({ region: 'eu', projectId: euProject.id }, { fetch: spy.fetch });
    expect(await client.listCohorts()).toMatchObject([{ id: 55, count: 1 }]);
    const pages = await readAll(client.engagePages({ cohortId: 55, outputProperties: ['$CleverTap_user_id'] }));
    expect(pages[0]!.profiles).toEqual([{ distinctId: 'x', properties: { $CleverTap_user_id: 'ct-x' } }]);
    expect(spy.calls.every((call) => call.url.host === 'eu.mixpanel.com')).toBe(true);
  });

  it('the wrong region is an auth error that names the region', async () => {
    const error = await failure(h.client({ region: 'us', projectId: euProject.id }).listCohorts());
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect(error.message).toContain('US region (mixpanel.com)');
    await expect(h.client({ ...analyst, region: 'in' }).me()).rejects.toMatchObject({ kind: 'auth' });
  });
});

describe('me', () => {
  it('maps projects, organisation role and data views', async () => {
    const me = await h.client().me();
    expect(me.projects.map((project) => project.id).sort()).toEqual([usProject.id]);
    expect(me.projects[0]).toMatchObject({
      name: 'Acme Production',
      organizationId: 100,
      hasWorkspaces: true,
      permissions: expect.arrayContaining(['view_base_reports']),
    });
    expect(me.organizations).toEqual([{ id: 100, name: 'Acme', role: 'admin', permissions: [] }]);
    expect(me.workspaces.map((workspace) => [workspace.id, workspace.isGlobal])).toEqual([
      [3448413, true],
      [3448414, false],
    ]);
    expect(selectWorkspaceId(me, usProject.id)).toBe(3448413);
    expect(projectRole(me, usProject.id)).toEqual({
      role: undefined,
      organizationRole: 'admin',
      permissions: expect.arrayContaining(['view_base_reports']),
      canQuery: true,
      isAdmin: true,
    });
    expect(projectRole(me, euProject.id)).toBeUndefined();
  });

  it('sees only the projects of its own cluster', async () => {
    const me = await h.client({ region: 'eu', projectId: euProject.id }).me();
    expect(me.projects.map((project) => project.id)).toEqual([euProject.id]);
    expect(selectWorkspaceId(me, euProject.id)).toBeUndefined();
  });

  it('an analyst is not an admin', async () => {
    const me = await h.client(analyst).me();
    expect(projectRole(me, usProject.id)).toMatchObject({ organizationRole: 'member', canQuery: true, isAdmin: false });
  });

  it('a wrong secret is a 401 with guidance', async () => {
    await expect(h.client({ secret: 'nope' }).me()).rejects.toMatchObject({ kind: 'auth' });
  });
});
