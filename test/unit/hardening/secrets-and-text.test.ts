/**
 * Secrets never leave the background, and hostile text (HTML, formulas, RTL, control characters,
 * 10,000 characters) travels as data: exact in the segment, neutralised in CSV downloads.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { readCsvRecords } from '../../emulators/clevertap/contract';
import { browserStorage } from '../../../lib/background/storage-items';
import { listHistory } from '../../../lib/storage/runs';
import { syncIdFor } from '../../../lib/storage/schema';
import { runChangesCsv } from '../../../lib/sync/history';
import { createRouter } from '../../../entrypoints/background/router';
import { EMULATOR_CREDENTIALS } from '../../emulators';
import { PROJECT_ID, startEngine, type Engine } from '../sync/harness';

let engine: Engine;
afterEach(() => engine?.close());

const HOSTILE_IDS = [
  '=HYPERLINK("http://evil.example","click")',
  '+1+1',
  '-2+3',
  '@SUM(A1:A9)',
  'a,b',
  'say "hi"',
  'line\nbreak',
  '\u202eRTL-override',
  'שלום-עולם',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'bell\u0007char',
  'x'.repeat(1000),
];
const LONG_NAME = `<b onmouseover=alert(1)>=cmd|' /C calc'!A0 \u202e${'n'.repeat(10_000 - 44)}`;

async function ready() {
  fakeBrowser.reset();
  // Every storage area is searched for secrets below: the engine keeps its state in the browser's.
  engine = await startEngine({ storage: browserStorage });
  await engine.connect();
  await engine.settings({ notificationEmail: 'admin@example.com' });
  engine.mixpanel.state.addCohort(PROJECT_ID, { id: 66, name: LONG_NAME });
  HOSTILE_IDS.forEach((identity, index) => {
    engine.mixpanel.state.setProfile(PROJECT_ID, `${identity}#${index}`, { $CleverTap_user_id: identity, $name: identity });
  });
  engine.mixpanel.state.addMembers(PROJECT_ID, 66, HOSTILE_IDS.map((identity, index) => `${identity}#${index}`));
  return engine;
}

describe('hostile text', () => {
  it('lands exactly in the segment and is neutralised in the CSV download', async () => {
    const { service, settle, sync, segmentMembers } = await ready();
    expect(LONG_NAME).toHaveLength(10_000);
    await service.start(66, LONG_NAME, 'one-time');
    await settle();
    const done = await sync(syncIdFor(PROJECT_ID, 66));
    expect(done.status).toEqual({ state: 'synced' });
    expect(segmentMembers(`Mixpanel: ${LONG_NAME}`)).toEqual([...HOSTILE_IDS].sort());

    const { csv, filename } = await runChangesCsv(done.lastRun!.runId);
    expect(filename).toMatch(/^cohort-sync-[\w-]+\.csv$/);
    const [header, ...rows] = readCsvRecords(csv).filter((row) => row.length > 1);
    expect(header).toEqual(['distinct_id', 'clevertap_identity', 'operation']);
    expect(rows).toHaveLength(HOSTILE_IDS.length);
    for (const row of rows) {
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    const identities = rows.map((row) => row[1]!.replace(/^'(?=[=+\-@\t\r])/, '')).sort();
    expect(identities).toEqual([...HOSTILE_IDS].sort());
  });
});

describe('secrets', () => {
  it('appear in no storage area, history, CSV, notification, reply or log line', async () => {
    const logs = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => vi.spyOn(console, level).mockImplementation(() => {}));
    const { service, settle, clevertap, notifications } = await ready();
    const route = createRouter(service, engine.env, 1);
    const page = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html') };
    const tab = { id: fakeBrowser.runtime.id, url: 'https://mixpanel.com/project/1', tab: { id: 3 } as never, frameId: 0 };
    const wrong = 'WRONG-passcode-31337';

    await service.start(66, LONG_NAME, 'dynamic');
    await settle();
    // A failing run (passcode rejected mid-sync) and a failed reconnect, with the secret in flight.
    clevertap.faults.add('/1/upload', { kind: 'status', status: 401, body: `{"status":"fail","error":"Account ID is not valid ${EMULATOR_CREDENTIALS.clevertap.passcode}","code":401}` }, { times: 10 });
    engine.mixpanel.state.setProfile(PROJECT_ID, 'late', { $CleverTap_user_id: 'late' });
    engine.mixpanel.state.addMembers(PROJECT_ID, 66, ['late']);
    await service.syncNow(syncIdFor(PROJECT_ID, 66));
    await settle();
    const replies = [
      await route({ type: 'clevertap.connect', ...EMULATOR_CREDENTIALS.clevertap, passcode: wrong }, page),
      await route({ type: 'mixpanel.connect', ...EMULATOR_CREDENTIALS.mixpanel, secret: wrong }, page),
      await route({ type: 'state.get' }, tab),
      await route({ type: 'state.get' }, page),
      await route({ type: 'history.get', syncId: syncIdFor(PROJECT_ID, 66) }, page),
    ];
    const history = await listHistory(syncIdFor(PROJECT_ID, 66));
    const csvs = await Promise.all(history.map((run) => runChangesCsv(run.runId)));
    const areas = await Promise.all([fakeBrowser.storage.local.get(null), fakeBrowser.storage.sync.get(null), fakeBrowser.storage.session.get(null)]);
    const dump = JSON.stringify({ areas, history, csvs, notifications, replies, logs: logs.map((spy) => spy.mock.calls) });

    expect((await engine.sync(syncIdFor(PROJECT_ID, 66))).status).toMatchObject({ state: 'paused', reason: expect.stringContaining('Passcode rejected') });
    expect(notifications.length).toBeGreaterThan(0);
    for (const secret of [EMULATOR_CREDENTIALS.clevertap.passcode, EMULATOR_CREDENTIALS.mixpanel.secret, wrong]) {
      expect(dump).not.toContain(secret);
    }
    // The content script reads storage.local by default: the app state there holds no secret field.
    expect(JSON.stringify(areas[0])).not.toMatch(/"(passcode|secret)":/i);
  });
});
