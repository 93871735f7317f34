import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MISSING_IDENTITY_ERROR } from '../../emulators/clevertap/records';
import { account, instantRetry, profiles, startCleverTap } from './harness';

let ct: Awaited<ReturnType<typeof startCleverTap>>;

beforeAll(async () => {
  ct = await startCleverTap();
});
afterAll(() => ct.close());
beforeEach(() => {
  ct.emulator.reset();
  ct.emulator.latencyMs.upload = 0;
  ct.emulator.uploadConcurrencyLimit = 15;
});

const tooMany = { kind: 'status', status: 429, body: '{"status":"fail","error":"Too many concurrent requests","code":429}' } as const;

describe('uploadProfiles', () => {
  it('sends 2,500 records as 3 requests of at most 1000, and stores them', async () => {
    const sizes: number[] = [];
    const client = ct.client(
      {},
      {
        fetch: (input, init) => {
          sizes.push((JSON.parse(String(init?.body)) as { d: unknown[] }).d.length);
          return ct.hub.fetch(input, init);
        },
      },
    );
    const result = await client.uploadProfiles(profiles(2500));
    expect(result).toEqual({ processed: 2500, rejected: [], requests: 3 });
    expect(sizes.sort((a, b) => b - a)).toEqual([1000, 1000, 500]);
    expect(ct.emulator.stats().requests['/1/upload']).toBe(3);
    expect(ct.emulator.profiles()).toHaveLength(2500);
    expect(ct.emulator.profile('user-2500')?.properties).toEqual({ 'Mixpanel Cohorts': ['Power users'] });
  });

  it('keeps at most 15 batches in flight by default and never meets a 429', async () => {
    ct.emulator.latencyMs.upload = 20;
    const result = await ct.client().uploadProfiles(profiles(40_000).map(({ identity }) => ({ identity, profileData: {} })));
    expect(result.processed).toBe(40_000);
    expect(result.requests).toBe(40);
    const stats = ct.emulator.stats();
    expect(stats.peakConcurrentUploads).toBeLessThanOrEqual(15);
    expect(stats.peakConcurrentUploads).toBeGreaterThan(1);
    expect(stats.rateLimited).toBe(0);
  });

  it('rides out injected 429s (no Retry-After) with backoff', async () => {
    ct.emulator.faults.add('/1/upload', tooMany, { times: 3 });
    const result = await ct.client({}, { concurrency: 1 }).uploadProfiles(profiles(2000));
    expect(result).toMatchObject({ processed: 2000, rejected: [], requests: 5 });
    expect(ct.emulator.stats().rateLimited).toBe(3);
  });

  it('survives a real 429 storm when sending above the account limit', async () => {
    ct.emulator.uploadConcurrencyLimit = 2;
    ct.emulator.latencyMs.upload = 30;
    const patientRetry = { ...instantRetry, attempts: 100, sleep: () => new Promise<void>((resolve) => setTimeout(resolve, 5)) };
    const result = await ct
      .client({}, { concurrency: 8, retry: patientRetry })
      .uploadProfiles(profiles(8000).map(({ identity }) => ({ identity, profileData: { n: 1 } })));
    expect(result.processed).toBe(8000);
    const stats = ct.emulator.stats();
    expect(stats.rateLimited).toBeGreaterThan(0);
    expect(stats.peakConcurrentUploads).toBeLessThanOrEqual(2);
    expect(result.requests).toBe(8 + stats.rateLimited);
    expect(ct.emulator.profiles()).toHaveLength(8000);
  });

  it('maps partial `unprocessed` entries back to the right identities', async () => {
    const records = [
      { identity: 'alice', profileData: { Plan: 'gold' } },
      { identity: 'NULL', profileData: {} },
      { identity: 'bob', profileData: {} },
      { identity: ' ', profileData: {} },
    ];
    const result = await ct.client().uploadProfiles(records);
    expect(result.processed).toBe(2);
    expect(result.rejected).toEqual([
      { identity: 'NULL', code: 523, error: MISSING_IDENTITY_ERROR },
      { identity: ' ', code: 523, error: MISSING_IDENTITY_ERROR },
    ]);
    expect(ct.emulator.profile('alice')?.properties).toEqual({ Plan: 'gold' });
    expect(ct.emulator.profile('NULL')).toBeUndefined();
  });

  it('maps rejections across batches to positions within their own batch', async () => {
    const records = profiles(1500);
    records[1200] = { identity: 'undefined', profileData: {} };
    records[3] = { identity: 'nan', profileData: {} };
    const result = await ct.client().uploadProfiles(records);
    expect(result.processed).toBe(1498);
    expect(result.rejected.map((rejection) => rejection.identity).sort()).toEqual(['nan', 'undefined']);
  });

  it('reports an all-rejected batch (status "fail", processed 0) as rejections, not an exception', async () => {
    const result = await ct.client().uploadProfiles([
      { identity: 'none', profileData: {} },
      { identity: '-1', profileData: {} },
    ]);
    expect(result.processed).toBe(0);
    expect(result.rejected.map((rejection) => [rejection.identity, rejection.code])).toEqual([
      ['none', 523],
      ['-1', 523],
    ]);
  });

  it('names the region, and never the passcode, when credentials are rejected', async () => {
    const error = await ct.client({ passcode: 'wrong-passcode-123' }).uploadProfiles(profiles(3)).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ApiError', kind: 'auth', status: 401, retryable: false });
    const message = (error as Error).message;
    expect(message).toContain('CleverTap rejected the Project ID or Passcode (Europe)');
    expect(message).toContain('Settings → Project');
    expect(message).not.toContain('wrong-passcode-123');
    expect(message).not.toContain(account.passcode);

    const india = await ct.client({ region: 'in1' }).uploadProfiles(profiles(1)).catch((e: unknown) => e);
    expect(india).toMatchObject({ kind: 'auth' });
    expect((india as Error).message).toContain('(India)');
    expect((india as Error).message).not.toContain(account.passcode);
  });

  it('scrubs the passcode even from echoed server text', async () => {
    ct.emulator.faults.add('/1/upload', {
      kind: 'status',
      status: 400,
      body: JSON.stringify({ status: 'fail', error: `bad header ${account.passcode}`, code: 400 }),
    });
    const error = await ct.client().uploadProfiles(profiles(1)).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'bad-request', status: 400 });
    expect((error as Error).message).not.toContain(account.passcode);
  });

  it('maps 403 to permission and 400 to bad-request, without retrying', async () => {
    ct.emulator.faults.add('/1/upload', { kind: 'status', status: 403, body: '{"status":"fail","error":"Operation not allowed","code":403}' });
    await expect(ct.client().uploadProfiles(profiles(1))).rejects.toMatchObject({ kind: 'permission' });
    ct.emulator.faults.add('/1/upload', { kind: 'status', status: 400, body: '{"status":"fail","error":"Invalid parameter","code":400}' });
    await expect(ct.client().uploadProfiles(profiles(1))).rejects.toMatchObject({
      kind: 'bad-request',
      message: expect.stringContaining('Invalid parameter'),
    });
    expect(ct.emulator.stats().requests['/1/upload']).toBe(2);
  });

  it('treats a 200 whose body is a fail body as the error its code names', async () => {
    ct.emulator.faults.add('/1/upload', { kind: 'status', status: 200, body: '{"status":"fail","error":"Account ID is not valid","code":401}' });
    await expect(ct.client().uploadProfiles(profiles(1))).rejects.toMatchObject({ kind: 'auth' });
  });

  it('retries 5xx, resets and timeouts, then succeeds', async () => {
    ct.emulator.faults.add('/1/upload', { kind: 'status', status: 503, body: 'Try again later' });
    ct.emulator.faults.add('/1/upload', { kind: 'reset' });
    ct.emulator.faults.add('/1/upload', { kind: 'hang' });
    const result = await ct.client({}, { timeoutMs: 300 }).uploadProfiles(profiles(10));
    expect(result).toEqual({ processed: 10, rejected: [], requests: 4 });
  });

  it('gives up on a server that keeps failing with a retryable server error', async () => {
    ct.emulator.faults.add('/1/upload', { kind: 'status', status: 500 }, { times: 5 });
    await expect(ct.client().uploadProfiles(profiles(1))).rejects.toMatchObject({
      kind: 'server',
      retryable: true,
      message: expect.stringContaining('(Europe) had a server error (HTTP 500)'),
    });
  });

  it('reports a malformed body without retrying', async () => {
    ct.emulator.faults.add('/1/upload', { kind: 'malformed' });
    await expect(ct.client().uploadProfiles(profiles(1))).rejects.toMatchObject({
      kind: 'malformed',
      message: expect.stringContaining('Uploading profiles failed'),
    });
    ct.emulator.faults.add('/1/upload', { kind: 'status', status: 200, body: '{"status":"success","processed":"many"}' });
    await expect(ct.client().uploadProfiles(profiles(1))).rejects.toMatchObject({ kind: 'malformed' });
    expect(ct.emulator.stats().requests['/1/upload']).toBe(2);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped by user'));
    await expect(ct.client().uploadProfiles(profiles(10), { signal: controller.signal })).rejects.toThrow('stopped by user');
    expect(ct.emulator.stats().requests['/1/upload']).toBeUndefined();
  });

  it('counts every request through onRequest', async () => {
    const before = ct.requestsSeen();
    ct.emulator.faults.add('/1/upload', tooMany);
    await ct.client().uploadProfiles(profiles(1500));
    expect(ct.requestsSeen() - before).toBe(3);
  });
});

describe('uploadEvents', () => {
  it('raises events on the profiles and reports restricted ones', async () => {
    const result = await ct.client().uploadEvents([
      { identity: 'alice', evtName: 'Added to cohort', evtData: { Cohort: 'Power users' } },
      { identity: 'bob', evtName: 'Web Page Viewed', evtData: {} },
    ]);
    expect(result.processed).toBe(1);
    expect(result.rejected).toEqual([
      { identity: 'bob', code: 513, error: 'Event Name is incorrect. ErrorCode: 513 - Trying to raise a restricted system event.' },
    ]);
    expect(ct.emulator.events('alice')).toMatchObject([{ evtName: 'Added to cohort', evtData: { Cohort: 'Power users' } }]);
    expect(ct.emulator.events('bob')).toEqual([]);
  });
});
