/** Retry-After from either service: no retry goes out before it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../lib/http/errors';
import { MAX_RETRY_AFTER_MS, type RetryPolicy } from '../../../lib/http/retry';
import { startHub, type Hub } from '../../emulators/hub';
import { createCleverTapEmulator, DEFAULT_EMULATOR_ACCOUNT } from '../../emulators/clevertap';
import { createMixpanelEmulator, FIXTURE } from '../../emulators/mixpanel';
import { CleverTapClient } from '../../../lib/clevertap/client';
import { MixpanelClient } from '../../../lib/mixpanel/client';

const mixpanel = createMixpanelEmulator();
const clevertap = createCleverTapEmulator();
let hub: Hub;
beforeAll(async () => {
  hub = await startHub([mixpanel, clevertap]);
});
afterAll(() => hub.close());

function recordingPolicy() {
  const waits: number[] = [];
  const policy: RetryPolicy = { attempts: 3, baseDelayMs: 10, maxDelayMs: 20, sleep: async (ms) => void waits.push(ms) };
  return { policy, waits };
}

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('Mixpanel: a 429 with Retry-After waits that long before the next try', async () => {
    mixpanel.faults.add('/api/query/cohorts/list', { kind: 'status', status: 429, body: '{"error":"busy"}', headers: { 'retry-after': '42' } });
    const { policy, waits } = recordingPolicy();
    const client = new MixpanelClient({ ...FIXTURE.owner, region: 'us', projectId: FIXTURE.usProject.id, workspaceId: 3448413 }, { fetch: hub.fetch, retry: policy });
    await client.listCohorts();
    expect(waits).toEqual([42_000]);
  });

  it('CleverTap: a 429 with Retry-After on an upload and on step 1 of a custom list waits that long', async () => {
    clevertap.faults.add('/1/upload', { kind: 'status', status: 429, body: '{"status":"fail","error":"busy","code":429}', headers: { 'retry-after': '3' } });
    clevertap.faults.add('/get_custom_list_segment_url', { kind: 'status', status: 429, body: 'busy', headers: { 'retry-after': '5' } });
    const { policy, waits } = recordingPolicy();
    const client = new CleverTapClient(DEFAULT_EMULATOR_ACCOUNT, { fetch: hub.fetch, retry: policy });
    await client.uploadProfiles([{ identity: 'ra-1', profileData: { Name: 'A' } }]);
    await client.replaceCustomListSegment({ name: 'RA', email: 'a@example.com', creator: 'test', identities: ['ra-1'] });
    expect(waits).toEqual([3000, 5000]);
  });

  it('a Retry-After longer than the in-place limit fails now, carrying the delay for the later retry', async () => {
    const seconds = String(MAX_RETRY_AFTER_MS / 1000 + 60);
    mixpanel.faults.add('/api/query/cohorts/list', { kind: 'status', status: 429, body: '{"error":"busy"}', headers: { 'retry-after': seconds } });
    const { policy, waits } = recordingPolicy();
    const client = new MixpanelClient({ ...FIXTURE.owner, region: 'us', projectId: FIXTURE.usProject.id, workspaceId: 3448413 }, { fetch: hub.fetch, retry: policy });
    await expect(client.listCohorts()).rejects.toMatchObject({ kind: 'rate-limit', retryAfterMs: Number(seconds) * 1000 });
    expect(waits).toEqual([]);
  });
});
