import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCleverTapEmulator } from '../../emulators/clevertap';
import { startHub } from '../../emulators/hub';
import { account, startCleverTap } from './harness';

let ct: Awaited<ReturnType<typeof startCleverTap>>;

beforeAll(async () => {
  ct = await startCleverTap();
});
afterAll(() => ct.close());
beforeEach(() => ct.emulator.reset());

const headers = (overrides: Record<string, string> = {}) => ({
  'X-CleverTap-Account-Id': account.accountId,
  'X-CleverTap-Passcode': account.passcode,
  'Content-Type': 'application/json',
  ...overrides,
});

const post = (path: string, body: unknown, extra: { host?: string; headers?: Record<string, string> } = {}) =>
  ct.hub.fetch(`https://${extra.host ?? 'api.clevertap.com'}${path}`, {
    method: 'POST',
    headers: headers(extra.headers),
    body: JSON.stringify(body),
  });

describe('CleverTap emulator', () => {
  it('answers 401 "Account ID is not valid" for an unknown account, a wrong passcode or another region', async () => {
    for (const response of await Promise.all([
      post('/1/upload', { d: [] }, { headers: { 'X-CleverTap-Account-Id': 'NOPE' } }),
      post('/1/upload', { d: [] }, { headers: { 'X-CleverTap-Passcode': 'wrong' } }),
      post('/1/upload', { d: [] }, { host: 'sg1.api.clevertap.com' }),
    ])) {
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/json;charset=utf-8');
      expect(await response.json()).toEqual({ status: 'fail', error: 'Account ID is not valid', code: 401 });
    }
  });

  it('refuses more than 1000 records in one request', async () => {
    const d = Array.from({ length: 1001 }, (_, i) => ({ type: 'profile', identity: `u${i}`, profileData: {} }));
    const response = await post('/1/upload', { d });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: 'fail', code: 400 });
    expect(ct.emulator.profiles()).toEqual([]);
  });

  it('answers the 16th concurrent upload with 429', async () => {
    // Long enough that all 16 are in flight together even on a loaded machine.
    ct.emulator.latencyMs.upload = 3000;
    try {
      const answers = await Promise.all(
        Array.from({ length: 16 }, (_, i) => post('/1/upload', { d: [{ type: 'profile', identity: `u${i}`, profileData: {} }] })),
      );
      const statuses = answers.map((response) => response.status).sort();
      expect(statuses.filter((status) => status === 429)).toHaveLength(1);
      const refused = answers.find((response) => response.status === 429)!;
      expect(await refused.json()).toEqual({ status: 'fail', error: 'Too many concurrent requests', code: 429 });
      expect(ct.emulator.stats()).toMatchObject({ peakConcurrentUploads: 15, rateLimited: 1 });
    } finally {
      ct.emulator.latencyMs.upload = 0;
    }
  });

  it('validates records with CleverTap wording and status success / partial / fail', async () => {
    const partial = await (
      await post('/1/upload', {
        d: [
          { type: 'profile', identity: 'ok', profileData: {} },
          { type: 'profile', profileData: {} },
          { type: 'profile', identity: 'ok2', ts: 0, profileData: {} },
          { type: 'thing', identity: 'ok3' },
        ],
      })
    ).json();
    expect(partial).toMatchObject({ status: 'partial', processed: 1 });
    expect(partial.unprocessed.map((entry: { code: number; error: string }) => [entry.code, entry.error.slice(-26)])).toEqual([
      [523, 'Skipped record number : 2'.padStart(26)],
      [525, 'Skipped record number : 3'.padStart(26)],
      [524, 'Skipped record number : 4'.padStart(26)],
    ]);
    expect(partial.unprocessed[0].record).toEqual({ type: 'profile', profileData: {} });
    const failed = await (await post('/1/upload', { d: [{ type: 'profile', identity: 'null', profileData: {} }] })).json();
    expect(failed).toMatchObject({ status: 'fail', processed: 0 });
  });

  it('can echo rejected records as JSON strings, as in 2017', async () => {
    const emulator = createCleverTapEmulator({ unprocessedRecordFormat: 'string' });
    const hub = await startHub([emulator]);
    try {
      const response = await hub.fetch('https://api.clevertap.com/1/upload', {
        method: 'POST',
        headers: headers(),
        body: JSON.stringify({ d: [{ type: 'profile', identity: '', profileData: {} }] }),
      });
      const body = await response.json();
      expect(typeof body.unprocessed[0].record).toBe('string');
    } finally {
      await hub.close();
    }
  });

  it('does not store anything on dryRun=1', async () => {
    const response = await post('/1/upload?dryRun=1', { d: [{ type: 'profile', identity: 'dry', profileData: { a: 1 } }] });
    expect(await response.json()).toEqual({ status: 'success', processed: 1, unprocessed: [] });
    expect(ct.emulator.profile('dry')).toBeUndefined();
  });

  it('applies $add / $remove / $set / $delete / $incr and promotes scalars', async () => {
    const upload = (profileData: Record<string, unknown>) => post('/1/upload', { d: [{ type: 'profile', identity: 'm', profileData }] });
    await upload({ Cohorts: { $add: ['A', 'B'] }, Tier: 'gold', Count: 1, Name: 'M' });
    await upload({ Cohorts: { $add: ['B', 'C'] }, Tier: { $add: ['silver'] }, Count: { $incr: 2 } });
    expect(ct.emulator.profile('m')?.properties).toEqual({ Cohorts: ['A', 'B', 'C'], Tier: ['gold', 'silver'], Count: 3, Name: 'M' });
    await upload({ Cohorts: { $remove: ['A', 'C'] }, Name: { $delete: 1 }, Count: { $decr: 1 } });
    await upload({ Tier: { $set: 'bronze' } });
    expect(ct.emulator.profile('m')?.properties).toEqual({ Cohorts: ['B'], Tier: 'bronze', Count: 2 });
    await upload({ Cohorts: { $add: Array.from({ length: 105 }, (_, i) => `c${i}`) } });
    const cohorts = ct.emulator.profile('m')?.properties['Cohorts'] as string[];
    expect(cohorts).toHaveLength(100);
    expect(cohorts[0]).toBe('c5');
  });

  it('checks the signature and expiry of pre-signed URLs and keeps duplicate names apart', async () => {
    const { presignedS3URL } = await (await post('/get_custom_list_segment_url', undefined)).json();
    const url = new URL(presignedS3URL);
    expect(url.host).toBe('clevertap-custom-lists.s3.amazonaws.com');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);

    const tampered = new URL(url);
    tampered.pathname = '/someone-else/file.csv';
    const refused = await ct.hub.fetch(tampered.href, { method: 'PUT', body: 'Type,Identity\n' });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('SignatureDoesNotMatch');

    ct.emulator.seedProfiles(['a']);
    expect((await ct.hub.fetch(url.href, { method: 'PUT', body: 'Type,Identity\ni,a\n' })).status).toBe(200);
    const complete = (replace: boolean) =>
      post('/upload_custom_list_segment_completed', {
        name: 'S',
        email: 'e@example.com',
        filename: 'f.csv',
        creator: 'me',
        url: url.href,
        replace,
      }).then((response) => response.json());
    expect(await complete(false)).toMatchObject({ status: 'success', 'Segment ID': expect.any(Number) });
    expect(await complete(false)).toEqual({ status: 'fail', error: 'duplicate_name', code: 409 });
    expect(await complete(true)).toMatchObject({ status: 'success' });
    expect(ct.emulator.segment('S')).toMatchObject({ members: ['a'], replaceCount: 1 });
  });

  it('refuses an expired pre-signed URL', async () => {
    let now = Date.UTC(2025, 0, 1);
    const emulator = createCleverTapEmulator({ now: () => now, presignedUrlTtlSeconds: 60 });
    const hub = await startHub([emulator]);
    try {
      const { presignedS3URL } = await (
        await hub.fetch('https://api.clevertap.com/get_custom_list_segment_url', { method: 'POST', headers: headers() })
      ).json();
      now += 61_000;
      const response = await hub.fetch(presignedS3URL, { method: 'PUT', body: 'Type,Identity\n' });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('Request has expired');
    } finally {
      await hub.close();
    }
  });

  it('keeps the last good segment when a file is malformed, and says so by email', async () => {
    ct.emulator.seedProfiles(['a', 'b']);
    const client = ct.client();
    await client.replaceCustomListSegment({ name: 'S', email: 'e@example.com', creator: 'me', identities: ['a', 'b'] });
    const { presignedS3URL } = await (await post('/get_custom_list_segment_url', undefined)).json();
    await ct.hub.fetch(presignedS3URL, { method: 'PUT', body: 'Identity\na\n' });
    const answer = await (
      await post('/upload_custom_list_segment_completed', {
        name: 'S',
        email: 'e@example.com',
        filename: 'f.csv',
        creator: 'me',
        url: presignedS3URL,
        replace: true,
      })
    ).json();
    expect(answer.status).toBe('success');
    expect(ct.emulator.segment('S')?.members).toEqual(['a', 'b']);
    expect(ct.emulator.emails().at(-1)).toMatchObject({ to: 'e@example.com', subject: 'File re-upload failed' });
  });

  it('answers /v1/connect for a partner', async () => {
    const response = await ct.hub.fetch('https://api.clevertap.com/v1/connect?partner=cohort-sync', { headers: headers() });
    expect(await response.json()).toEqual({ status: 'success' });
  });

  it('shows its state as JSON and as an escaped HTML page', async () => {
    ct.emulator.seedProfiles(['<script>alert(1)</script>']);
    await ct.client().replaceCustomListSegment({
      name: 'Cohort <b>&</b>',
      email: 'e@example.com',
      creator: 'me',
      identities: ['<script>alert(1)</script>'],
    });
    const state = await (await ct.hub.fetch('https://api.clevertap.com/__emulator/state')).json();
    expect(state.accounts[0].segments[0]).toMatchObject({ name: 'Cohort <b>&</b>', members: ['<script>alert(1)</script>'] });
    const page = await (await ct.hub.fetch('https://api.clevertap.com/__emulator/')).text();
    expect(page).toContain('Cohort &#60;b&#62;&#38;&#60;/b&#62;');
    expect(page).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(page).not.toContain('<script>');
  });
});
