/**
 * The real engine under plain Node: no fake browser and no extension API anywhere in its imports
 * (test/unit/sync/fences.test.ts checks that), storage and alarms in memory, fake-indexeddb as the
 * IndexedDB it is given, and the real API clients over HTTP against both emulators.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { listHistory } from '../../../lib/storage/runs';
import { syncIdFor } from '../../../lib/storage/schema';
import { connectCleverTap, connectMixpanel } from '../../../lib/sync/connections';
import { memoryEnvironment, type MemoryEnvironment } from '../../../lib/sync/memory-environment';
import { SyncService } from '../../../lib/sync/service';
import { createEmulators, EMULATOR_CREDENTIALS, type EmulatorSetOptions } from '../../emulators';
import { startHub, type Hub } from '../../emulators/hub';
import { seedCohort } from '../../emulators/mixpanel';

const PROJECT_ID = EMULATOR_CREDENTIALS.mixpanel.projectId;
let hub: Hub | undefined;
afterEach(() => hub?.close());

async function nodeEngine(options?: EmulatorSetOptions) {
  const emulators = createEmulators(options);
  hub = await startHub(emulators.list);
  const env: MemoryEnvironment = memoryEnvironment({
    fetch: hub.fetch,
    indexedDB: new IDBFactory(),
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
  });
  const service = new SyncService(env);
  expect(await connectCleverTap(EMULATOR_CREDENTIALS.clevertap, env)).toMatchObject({ connected: true });
  expect(await connectMixpanel(EMULATOR_CREDENTIALS.mixpanel, env)).toMatchObject({ connected: true });
  await env.storage.appState.update((state) => ({ ...state, settings: { ...state.settings, notificationEmail: 'admin@example.com' } }));
  const sync = async (id: string) => (await env.storage.appState.read()).syncs.find((candidate) => candidate.id === id)!;
  const segment = (name: string) => [...(emulators.clevertap.segment(name)?.members ?? [])].sort();
  return { ...emulators, env, service, sync, segment };
}

describe('the engine under plain Node', () => {
  it('runs a one-time sync: the CleverTap segment holds exactly the valid members', async () => {
    const { mixpanel, env, service, sync, segment } = await nodeEngine();
    const seeded = seedCohort(mixpanel.state, { projectId: PROJECT_ID, cohortId: 41, name: 'Node once', members: 1800 });
    const id = syncIdFor(PROJECT_ID, 41);
    await service.start(41, 'Node once', 'one-time');
    await service.idle();

    const done = await sync(id);
    expect(done.status).toEqual({ state: 'synced' });
    expect(segment('Mixpanel: Node once')).toEqual([...seeded.expected.values()].sort());
    expect(done.lastRun?.counts).toMatchObject({ exported: seeded.valid, added: seeded.valid, removed: 0 });
    expect(await listHistory(id)).toHaveLength(1);
    // A one-time sync keeps no alarm; its progress record went with the run.
    expect(env.alarms.all().map((alarm) => alarm.name)).not.toContain(`sync:${id}`);
    expect(await env.storage.progress.list()).toEqual([]);
    expect(env.badges.at(-1)).toEqual({ text: '' });
  });

  it('re-runs a dynamic sync on its alarm: joiners in, leavers out, exactly', async () => {
    const { mixpanel, env, service, sync, segment } = await nodeEngine();
    const seeded = seedCohort(mixpanel.state, { projectId: PROJECT_ID, cohortId: 42, name: 'Node dynamic', members: 900 });
    const id = syncIdFor(PROJECT_ID, 42);
    await service.start(42, 'Node dynamic', 'dynamic');
    await service.idle();
    const alarm = await env.alarms.get(`sync:${id}`);
    expect(alarm).toMatchObject({ periodInMinutes: 15 });
    expect((await sync(id)).nextRunAt).toBe(alarm!.scheduledTime);

    const leavers = [...seeded.expected.keys()].slice(0, 40);
    mixpanel.state.removeMembers(PROJECT_ID, 42, leavers);
    mixpanel.state.setProfile(PROJECT_ID, 'node-joiner', { $CleverTap_user_id: 'ct-node-joiner' });
    mixpanel.state.addMembers(PROJECT_ID, 42, ['node-joiner']);
    await service.onAlarm(alarm!.name);
    await service.idle();

    const expected = new Set(seeded.expected.values());
    for (const leaver of leavers) expected.delete(seeded.expected.get(leaver)!);
    expected.add('ct-node-joiner');
    expect(segment('Mixpanel: Node dynamic')).toEqual([...expected].sort());
    expect((await sync(id)).lastRun).toMatchObject({ trigger: 'schedule', counts: { added: 1, removed: 40 } });
    expect((await listHistory(id)).map((run) => run.trigger)).toEqual(['schedule', 'start']);
  });

  it('shows a sync queued behind another its place, and keeps it Running when started again mid-run', async () => {
    const { mixpanel, env, service, sync, segment } = await nodeEngine();
    const first = seedCohort(mixpanel.state, { projectId: PROJECT_ID, cohortId: 43, name: 'First', members: 3000 });
    const second = seedCohort(mixpanel.state, { projectId: PROJECT_ID, cohortId: 44, name: 'Second', members: 200 });
    const firstId = syncIdFor(PROJECT_ID, 43);
    const secondId = syncIdFor(PROJECT_ID, 44);
    const seen: string[] = [];
    const put = env.storage.progress.put;
    env.storage.progress.put = async (record) => {
      seen.push(record.kind === 'queued' ? `${record.syncId} queued ${record.place}` : `${record.syncId} ${record.kind}`);
      return put(record);
    };

    await service.start(43, 'First', 'one-time');
    await service.start(44, 'Second', 'one-time');
    await expect.poll(async () => (await sync(firstId)).status.state).toBe('running');
    // Starting the running sync again does not make it look scheduled while its run goes on.
    const again = await service.start(43, 'First', 'one-time');
    expect(again.status.state).toBe('running');
    expect((await sync(firstId)).status).toEqual({ state: 'running' });
    await service.idle();

    expect(seen).toContain(`${secondId} queued 1`);
    expect(seen.indexOf(`${secondId} queued 1`)).toBeLessThan(seen.indexOf(`${secondId} running`));
    expect(await env.storage.progress.list()).toEqual([]);
    expect(segment('Mixpanel: First')).toEqual([...first.expected.values()].sort());
    expect(segment('Mixpanel: Second')).toEqual([...second.expected.values()].sort());
  });

  it('writes progress under its own key: no app state write while the run ticks', async () => {
    const { mixpanel, env, service, segment } = await nodeEngine({ mixpanel: { maxPageSize: 100 } });
    const seeded = seedCohort(mixpanel.state, { projectId: PROJECT_ID, cohortId: 45, name: 'Ticks', members: 2000 });
    const log: string[] = [];
    const { update } = env.storage.appState;
    env.storage.appState.update = (change) => (log.push('state'), update(change));
    const { put } = env.storage.progress;
    env.storage.progress.put = (record) => (log.push(record.kind), put(record));
    await service.start(45, 'Ticks', 'one-time');
    await service.idle();

    const during = log.slice(log.indexOf('running'), log.lastIndexOf('running') + 1);
    expect(during.filter((entry) => entry === 'running').length).toBeGreaterThanOrEqual(15);
    expect(during).not.toContain('state');
    expect(segment('Mixpanel: Ticks')).toEqual([...seeded.expected.values()].sort());
  });
});
