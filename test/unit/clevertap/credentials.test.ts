import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CleverTapClient } from '../../../lib/clevertap/client';
import { account, startCleverTap } from './harness';

const indiaAccount = { accountId: 'TEST-IN1-0002', passcode: 'india-passcode-0002', region: 'in1' as const };
let ct: Awaited<ReturnType<typeof startCleverTap>>;

beforeAll(async () => {
  ct = await startCleverTap({ accounts: [account, indiaAccount] });
});
afterAll(() => ct.close());
beforeEach(() => ct.emulator.reset());

describe('checkCredentials', () => {
  it('accepts good credentials with one dry-run request that writes nothing', async () => {
    expect(await ct.client().checkCredentials()).toEqual({ ok: true });
    expect(ct.emulator.stats().requests).toEqual({ '/1/upload': 1 });
    expect(ct.emulator.profiles()).toEqual([]);
  });

  it('reports bad credentials after asking every region, without the passcode', async () => {
    const result = await ct.client({ passcode: 'bad-passcode-42' }).checkCredentials();
    expect(result).toMatchObject({ ok: false, reason: 'bad-credentials' });
    expect(result.ok === false && result.message).toContain('(Europe)');
    expect(JSON.stringify(result)).not.toContain('bad-passcode-42');
    expect(ct.emulator.stats().requests['/1/upload']).toBe(7);
  });

  it('finds the region that knows the credentials', async () => {
    const result = await ct.client({ ...indiaAccount, region: 'eu1' }).checkCredentials();
    expect(result).toMatchObject({ ok: false, reason: 'wrong-region', answeredRegion: 'in1' });
    expect(result.ok === false && result.message).toMatch(/India.*not Europe/);
    expect(await ct.client(indiaAccount).checkCredentials()).toEqual({ ok: true });
  });

  it('reports a network failure as network', async () => {
    const client = new CleverTapClient(account, {
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    });
    expect(await client.checkCredentials()).toMatchObject({ ok: false, reason: 'network', message: expect.stringContaining('Europe') });
  });

  it('reports a CleverTap outage as network, to try later', async () => {
    ct.emulator.faults.add('/1/upload', { kind: 'status', status: 503 });
    expect(await ct.client().checkCredentials()).toMatchObject({ ok: false, reason: 'network', message: expect.stringContaining('503') });
  });
});

describe('checkCredentials when CleverTap judges the body before the credentials', () => {
  let strict: Awaited<ReturnType<typeof startCleverTap>>;
  beforeAll(async () => {
    strict = await startCleverTap({ accounts: [account, indiaAccount], modes: { bodyBeforeAuth: true } });
  });
  afterAll(() => strict.close());

  it('still accepts good credentials, and writes nothing', async () => {
    expect(await strict.client().checkCredentials()).toEqual({ ok: true });
    expect(strict.emulator.profiles()).toEqual([]);
  });

  it('still rejects a bad passcode instead of taking the 400 for a yes', async () => {
    expect(await strict.client({ passcode: 'bad-passcode-42' }).checkCredentials()).toMatchObject({ ok: false, reason: 'bad-credentials' });
  });

  it('still names the right region', async () => {
    const result = await strict.client({ ...indiaAccount, region: 'eu1' }).checkCredentials();
    expect(result).toMatchObject({ ok: false, reason: 'wrong-region', answeredRegion: 'in1' });
  });

  it('finds a South Korea (sk1) account from another region', async () => {
    const korea = { accountId: 'TEST-SK1-0003', passcode: 'korea-passcode-0003', region: 'sk1' as const };
    strict.emulator.addAccount(korea);
    const result = await strict.client({ ...korea, region: 'us1' }).checkCredentials();
    expect(result).toMatchObject({ ok: false, reason: 'wrong-region', answeredRegion: 'sk1', message: expect.stringContaining('South Korea') });
    expect(await strict.client(korea).checkCredentials()).toEqual({ ok: true });
  });
});
