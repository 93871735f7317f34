import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { S3_FILE_PATH } from '../../emulators/clevertap';
import { startCleverTap } from './harness';

let ct: Awaited<ReturnType<typeof startCleverTap>>;

beforeAll(async () => {
  ct = await startCleverTap();
});
afterAll(() => ct.close());
beforeEach(() => {
  ct.emulator.reset();
  ct.emulator.seedProfiles(['alice', 'bob', 'carol', 'dave', 'x,y "z"']);
});

const list = (identities: Iterable<string>, name = 'Mixpanel: Power users') => ({
  name,
  email: 'admin@example.com',
  creator: 'Cohort Sync',
  identities,
});

describe('replaceCustomListSegment', () => {
  it('creates a segment equal to the identities CleverTap knows, via the S3 host, without CleverTap headers there', async () => {
    const calls: { host: string; method: string; headers: Headers }[] = [];
    const client = ct.client(
      {},
      {
        fetch: (input, init) => {
          calls.push({ host: new URL(String(input)).host, method: init?.method ?? 'GET', headers: new Headers(init?.headers) });
          return ct.hub.fetch(input, init);
        },
      },
    );
    const result = await client.replaceCustomListSegment(list(['alice', 'bob', 'carol', 'x,y "z"', 'ghost']));
    expect(result).toEqual({ segmentId: expect.any(Number), requests: 3, rows: 5 });

    const segment = ct.emulator.segment('Mixpanel: Power users');
    expect(segment).toMatchObject({
      id: result.segmentId,
      members: ['alice', 'bob', 'carol', 'x,y "z"'],
      unmatched: ['ghost'],
      email: 'admin@example.com',
      creator: 'Cohort Sync',
      replaceCount: 0,
    });

    expect(calls.map((call) => [call.method, call.host])).toEqual([
      ['POST', 'api.clevertap.com'],
      ['PUT', ct.emulator.customListHost],
      ['POST', 'api.clevertap.com'],
    ]);
    const put = calls[1]!;
    expect(put.headers.get('x-clevertap-passcode')).toBeNull();
    expect(put.headers.get('x-clevertap-account-id')).toBeNull();
    const [file] = ct.emulator.files();
    expect(file?.host).toBe('clevertap-custom-lists.s3.amazonaws.com');
    expect(file?.text.split('\n')[0]).toBe('Type,Identity');
    expect(file?.problems).toEqual([]);
    expect(ct.emulator.stats().requests).toMatchObject({
      '/get_custom_list_segment_url': 1,
      [S3_FILE_PATH]: 1,
      '/upload_custom_list_segment_completed': 1,
    });
  });

  it('runs the caller\'s check alongside steps 1 and 2, and completes only after it', async () => {
    const order: string[] = [];
    let release!: () => void;
    const check = new Promise<void>((resolve) => (release = resolve));
    const client = ct.client(
      {},
      {
        fetch: async (input, init) => {
          const step = init?.method === 'PUT' ? 'PUT file' : new URL(String(input)).pathname;
          order.push(step);
          const answer = await ct.hub.fetch(input, init);
          // The check is let go once step 2 is answered: step 3 must still wait for it.
          if (step === 'PUT file') {
            order.push('check settles');
            release();
          }
          return answer;
        },
      },
    );
    await client.replaceCustomListSegment(list(['alice']), {
      beforeComplete: async () => {
        order.push('check starts');
        await check;
      },
    });
    // Step 1 goes out at once (its URL names nothing in the file), the check beside it.
    expect(order).toEqual([
      '/get_custom_list_segment_url',
      'check starts',
      'PUT file',
      'check settles',
      '/upload_custom_list_segment_completed',
    ]);
  });

  it('sends no step 3 when the caller\'s check fails, and leaves the segment as it was', async () => {
    await ct.client().replaceCustomListSegment(list(['alice', 'bob']));
    const refusal = new Error('profiles not visible yet');
    await expect(
      ct.client().replaceCustomListSegment(list(['carol']), { beforeComplete: () => Promise.reject(refusal) }),
    ).rejects.toBe(refusal);
    expect(ct.emulator.segment('Mixpanel: Power users')?.members).toEqual(['alice', 'bob']);
    expect(ct.emulator.stats().requests['/upload_custom_list_segment_completed']).toBe(1);
  });

  it('replaces the members on the next export, keeping the segment id', async () => {
    const first = await ct.client().replaceCustomListSegment(list(['alice', 'bob', 'carol']));
    const second = await ct.client().replaceCustomListSegment(list(new Set(['bob'])));
    expect(second.segmentId).toBe(first.segmentId);
    expect(ct.emulator.segment('Mixpanel: Power users')).toMatchObject({ members: ['bob'], replaceCount: 1 });
    expect(ct.emulator.segments()).toHaveLength(1);
  });

  it('retries "URL not generated, Please come back later" in either shape', async () => {
    ct.emulator.failNextCustomListUrl({ shape: 'json' });
    ct.emulator.failNextCustomListUrl({ shape: 'text' });
    const result = await ct.client().replaceCustomListSegment(list(['dave']));
    expect(result.requests).toBe(5);
    expect(ct.emulator.segment('Mixpanel: Power users')?.members).toEqual(['dave']);
  });

  it('gives up on step 1 with a retryable error that names the step', async () => {
    ct.emulator.failNextCustomListUrl({ times: 5 });
    await expect(ct.client().replaceCustomListSegment(list(['dave']))).rejects.toMatchObject({
      kind: 'server',
      retryable: true,
      message: expect.stringMatching(/step 1 of 3.*URL not generated, Please come back later/),
    });
    expect(ct.emulator.stats().requests['/get_custom_list_segment_url']).toBe(5);
  });

  it('surfaces a failed file upload as step 2, naming the storage host', async () => {
    ct.emulator.faults.add(/\.csv$/, {
      kind: 'status',
      status: 403,
      contentType: 'application/xml',
      body: '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
    });
    await expect(ct.client().replaceCustomListSegment(list(['dave']))).rejects.toMatchObject({
      kind: 'permission',
      message: expect.stringMatching(/step 2 of 3.*clevertap-custom-lists\.s3\.amazonaws\.com.*AccessDenied: Request has expired/),
    });
    expect(ct.emulator.segments()).toEqual([]);
    expect(ct.emulator.stats().requests['/upload_custom_list_segment_completed']).toBeUndefined();
  });

  it('retries a storage 5xx on step 2', async () => {
    ct.emulator.faults.add(/\.csv$/, { kind: 'status', status: 503 });
    const result = await ct.client().replaceCustomListSegment(list(['alice']));
    expect(result.requests).toBe(4);
    expect(ct.emulator.segment('Mixpanel: Power users')?.members).toEqual(['alice']);
  });

  it('surfaces a failed completion as step 3', async () => {
    ct.emulator.faults.add('/upload_custom_list_segment_completed', {
      kind: 'status',
      status: 200,
      body: '{"status":"fail","error":"duplicate_name","code":409}',
    });
    await expect(ct.client().replaceCustomListSegment(list(['alice']))).rejects.toMatchObject({
      kind: 'bad-request',
      message: expect.stringMatching(/step 3 of 3.*duplicate_name/),
    });
    ct.emulator.faults.add('/upload_custom_list_segment_completed', { kind: 'malformed' });
    await expect(ct.client().replaceCustomListSegment(list(['alice']))).rejects.toMatchObject({
      kind: 'malformed',
      message: expect.stringContaining('step 3 of 3'),
    });
    ct.emulator.faults.add('/upload_custom_list_segment_completed', { kind: 'reset' }, { times: 5 });
    await expect(ct.client().replaceCustomListSegment(list(['alice']))).rejects.toMatchObject({
      kind: 'network',
      message: expect.stringContaining('step 3 of 3'),
    });
  });

  it('rejects bad credentials on step 1 without retrying', async () => {
    await expect(ct.client({ passcode: 'nope-nope' }).replaceCustomListSegment(list(['alice']))).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringContaining('(Europe)'),
    });
    expect(ct.emulator.stats().requests['/get_custom_list_segment_url']).toBe(1);
  });

  it('writes an empty list as a header-only file, emptying the segment', async () => {
    await ct.client().replaceCustomListSegment(list(['alice']));
    const result = await ct.client().replaceCustomListSegment(list([]));
    expect(result.rows).toBe(0);
    expect(ct.emulator.segment('Mixpanel: Power users')?.members).toEqual([]);
  });
});
