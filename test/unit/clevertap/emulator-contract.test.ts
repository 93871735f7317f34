/**
 * The emulators hold their own copy of the contract (so a client mistake cannot hide behind a shared
 * one): these tests pin that copy
 * to the public sources, and check that no emulator borrows the clients' schemas, identity rule,
 * CSV parser or region table.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { account, startCleverTap } from './harness';

let ct: Awaited<ReturnType<typeof startCleverTap>>;
beforeAll(async () => {
  ct = await startCleverTap({ modes: { bodyBeforeAuth: false } });
});
afterAll(() => ct.close());

const post = (path: string, body: unknown, host = 'api.clevertap.com', passcode = account.passcode) =>
  ct.hub.fetch(`https://${host}${path}`, {
    method: 'POST',
    headers: { 'X-CleverTap-Account-Id': account.accountId, 'X-CleverTap-Passcode': passcode, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

describe("the CleverTap emulator's own contract", () => {
  it('answers on the South Korea host as on the other six', () => {
    expect(ct.emulator.hosts).toEqual(expect.arrayContaining([
      'api.clevertap.com', 'in1.api.clevertap.com', 'sg1.api.clevertap.com', 'us1.api.clevertap.com',
      'aps3.api.clevertap.com', 'mec1.api.clevertap.com', 'sk1.api.clevertap.com',
    ]));
  });

  it('refuses an event without a name with code 509 "Event name mandatory"', async () => {
    const answer = await (await post('/1/upload', { d: [{ type: 'event', identity: 'e-1', evtName: '', evtData: {} }] })).json();
    expect(answer).toMatchObject({ status: 'fail', processed: 0, unprocessed: [{ code: 509 }] });
  });

  it('checks every step-3 field by itself', async () => {
    const answer = await post('/upload_custom_list_segment_completed', { name: 'X', email: '', filename: 'f.csv', creator: 'c', url: 'https://x', replace: true });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: 'Invalid or missing parameter: email' });
  });

  it('in body-before-auth mode, answers an empty upload 400 whatever the passcode', async () => {
    ct.emulator.modes.bodyBeforeAuth = true;
    try {
      expect((await post('/1/upload', { d: [] }, 'api.clevertap.com', 'wrong')).status).toBe(400);
      expect((await post('/1/upload', { d: [{ type: 'profile', identity: 'x', profileData: { Name: 'X' } }] }, 'api.clevertap.com', 'wrong')).status).toBe(401);
    } finally {
      ct.emulator.modes.bodyBeforeAuth = false;
    }
  });
});

describe('emulator independence', () => {
  const root = join(__dirname, '../../emulators');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
    });

  it('no emulator imports the clients’ schemas, identity rule, CSV parser or regions', () => {
    const offenders = files(root)
      .filter((path) => /from '(\.\.\/)+lib\/(clevertap|mixpanel|regions)/.test(readFileSync(path, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
