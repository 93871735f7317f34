/**
 * Connecting a Mixpanel service account against every /me shape the public evidence allows (no
 * public sample shows a per-project role; MixpanelModes in test/emulators/mixpanel): the project
 * role as a string, as an object or absent; the organisation role as a string, an object or absent;
 * the project's service-account list readable by admins, by everyone, or not at all.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectMixpanel } from '../../../lib/sync/connections';
import { FIXTURE, type MixpanelModes } from '../../emulators/mixpanel';
import { startEngine, type Engine } from './harness';

let engine: Engine;
afterEach(() => engine?.close());

const project = FIXTURE.usProject.id;

async function connectAs(account: { username: string; secret: string }, modes: Partial<MixpanelModes>) {
  engine = await startEngine({ mixpanel: { modes } });
  return connectMixpanel({ ...account, projectId: project, region: 'us' }, engine.env);
}

describe('connecting a Mixpanel service account', () => {
  it('connects a project Admin whose /me sends the project role as an object ({"name": "Admin"})', async () => {
    const result = await connectAs(FIXTURE.projectAdmin, { meProjectRole: 'object', serviceAccountList: 'absent' });
    expect(result).toMatchObject({ connected: true, connection: { adminConfirmed: true, projectId: project } });
  });

  it('connects a project Admin whose /me sends the project role as a string', async () => {
    const result = await connectAs(FIXTURE.projectAdmin, { meProjectRole: 'string', serviceAccountList: 'absent' });
    expect(result).toMatchObject({ connected: true, connection: { adminConfirmed: true } });
  });

  it('confirms a project Admin that /me gives no project role through the project service-account list', async () => {
    const result = await connectAs(FIXTURE.projectAdmin, { meProjectRole: 'absent', serviceAccountList: 'admins' });
    expect(result).toMatchObject({ connected: true, connection: { adminConfirmed: true } });
    expect(engine.mixpanel.counters.requestsByPath[`/api/app/projects/${project}/service-accounts`]).toBe(1);
  });

  it('connects an organisation admin whose organisation role comes as an object', async () => {
    const result = await connectAs(FIXTURE.owner, { meOrganizationRole: 'object', serviceAccountList: 'absent' });
    expect(result).toMatchObject({ connected: true, connection: { adminConfirmed: true } });
  });

  it('connects, saying plainly that Admin could not be confirmed, when no signal settles it', async () => {
    const result = await connectAs(FIXTURE.projectAdmin, {
      meProjectRole: 'absent',
      meOrganizationRole: 'absent',
      serviceAccountList: 'absent',
    });
    expect(result).toMatchObject({ connected: true, connection: { adminConfirmed: false } });
    expect((await engine.state()).connections.mixpanel?.adminConfirmed).toBe(false);
  });

  it('refuses a role known to be below Admin from /me, naming it', async () => {
    const result = await connectAs(FIXTURE.analyst, { meProjectRole: 'object' });
    expect(result).toMatchObject({ connected: false, reason: 'not-admin', message: expect.stringContaining('“Analyst”') });
    expect((await engine.state()).connections.mixpanel).toBeNull();
  });

  it('refuses a role known to be below Admin from the project service-account list, naming it', async () => {
    const result = await connectAs(FIXTURE.consumer, { meProjectRole: 'absent', serviceAccountList: 'members' });
    expect(result).toMatchObject({ connected: false, reason: 'not-admin', message: expect.stringContaining('“Consumer”') });
  });

  it('does not refuse an account whose role nothing reveals (the list is closed to it)', async () => {
    const result = await connectAs(FIXTURE.analyst, { meProjectRole: 'absent', serviceAccountList: 'admins' });
    expect(result).toMatchObject({ connected: true, connection: { adminConfirmed: false } });
  });

  it('asks /me without workspace users', async () => {
    engine = await startEngine();
    const urls: string[] = [];
    const env = { ...engine.env, fetch: ((input, init) => (urls.push(String(input)), engine.hub.fetch(input, init))) as typeof fetch };
    await connectMixpanel({ ...FIXTURE.owner, projectId: project, region: 'us' }, env);
    expect(urls.find((url) => url.includes('/api/app/me'))).toBe('https://mixpanel.com/api/app/me?include_workspace_users=false');
  });
});

describe('permissions as an admin signal', () => {
  it('confirms Admin from admin-only permission names when /me lists them', async () => {
    const result = await connectAs(FIXTURE.projectAdmin, { mePermissions: 'by-role', serviceAccountList: 'absent' });
    expect(result).toMatchObject({ connected: true, connection: { adminConfirmed: true } });
  });
});
