import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { hostAccessMessage, hostOf } from '../../../lib/host-access';
import { browserStorage } from '../../../lib/background/storage-items';
import { syncIdFor } from '../../../lib/storage/schema';
import { createRouter } from '../../../entrypoints/background/router';
import { EMULATOR_CREDENTIALS } from '../../emulators';
import { seedCohort } from '../../emulators/mixpanel';
import { PROJECT_ID, sorted, startEngine, type Engine } from './harness';

let engine: Engine;
afterEach(() => engine?.close());

const WITHHELD = ['https://api.clevertap.com/*', 'https://*.amazonaws.com/*'];

describe('host access the browser withholds (Firefox lets users withdraw it)', () => {
  it('names the hosts and what to do', () => {
    expect(hostOf('https://*.amazonaws.com/*')).toBe('*.amazonaws.com');
    expect(hostAccessMessage(WITHHELD)).toBe(
      'The browser does not let Cohort Sync reach api.clevertap.com, *.amazonaws.com. ' +
        'Open Cohort Sync’s settings and press “Allow access”, then resume the sync.',
    );
  });

  it('pauses a run with that reason and sends nothing; once access is back, Resume syncs exactly', async () => {
    engine = await startEngine();
    const { mixpanel, clevertap, service, settle, sync, segmentMembers, notifications, env } = engine;
    await engine.connect();
    await engine.settings({ notificationEmail: 'admin@example.com' });
    const seeded = seedCohort(mixpanel.state, { projectId: PROJECT_ID, cohortId: 801, name: 'Withheld', members: 300 });
    let missing = WITHHELD;
    env.missingHostAccess = async () => missing;

    await service.start(801, 'Withheld', 'one-time');
    await settle();
    const syncId = syncIdFor(PROJECT_ID, 801);
    expect((await sync(syncId)).status).toEqual({ state: 'paused', reason: hostAccessMessage(WITHHELD) });
    expect(notifications.at(-1)).toEqual({ title: 'Sync paused: Withheld', message: hostAccessMessage(WITHHELD) });
    expect(clevertap.segment('Mixpanel: Withheld')).toBeUndefined();

    missing = [];
    await service.resume(syncId);
    await settle();
    expect((await sync(syncId)).status).toEqual({ state: 'synced' });
    expect(segmentMembers('Mixpanel: Withheld')).toEqual(sorted(seeded.expected.values()));
  });

  it('a dynamic sync paused for access has its 15-minute alarm again after Resume', async () => {
    engine = await startEngine();
    const { mixpanel, service, settle, sync, env } = engine;
    await engine.connect();
    await engine.settings({ notificationEmail: 'admin@example.com' });
    seedCohort(mixpanel.state, { projectId: PROJECT_ID, cohortId: 802, name: 'Every 15', members: 50 });
    await service.start(802, 'Every 15', 'dynamic');
    await settle();
    const syncId = syncIdFor(PROJECT_ID, 802);
    env.missingHostAccess = async () => WITHHELD;
    await service.onAlarm(`sync:${syncId}`);
    await settle();
    expect((await sync(syncId)).status.state).toBe('paused');

    env.missingHostAccess = async () => [];
    await service.resume(syncId);
    await settle();
    expect((await sync(syncId)).status).toEqual({ state: 'synced' });
    expect(await env.alarms.get(`sync:${syncId}`)).toMatchObject({ periodInMinutes: 15 });
  });

  it('refuses to connect without access, with the same reason instead of "could not reach"', async () => {
    fakeBrowser.reset();
    // The router reads the browser's storage: the engine shares it.
    engine = await startEngine({ storage: browserStorage });
    engine.env.missingHostAccess = async () => WITHHELD;
    const route = createRouter(engine.service, engine.env, Date.now());
    const sender = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html') };
    const reply = await route({ type: 'clevertap.connect', ...EMULATOR_CREDENTIALS.clevertap }, sender);
    expect(reply).toEqual({ ok: false, error: hostAccessMessage(WITHHELD) });
  });
});
