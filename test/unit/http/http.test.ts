import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from '../../../lib/http/errors';
import { fetchJson } from '../../../lib/http/fetch-json';
import { backoffDelay, withRetry, type RetryPolicy } from '../../../lib/http/retry';
import { forEachConcurrent } from '../../../lib/http/concurrency';
import { FaultPlan, applyFault, sendJson } from '../../emulators/faults';
import { startHub, type Hub } from '../../emulators/hub';

const faults = new FaultPlan();
let hub: Hub;

beforeAll(async () => {
  hub = await startHub([
    {
      hosts: ['mixpanel.com'],
      async handle(request, response) {
        const fault = faults.take(request);
        if (fault && (await applyFault(fault, response))) return;
        sendJson(response, 200, { host: request.host, answer: 42 });
      },
    },
  ]);
});
afterAll(() => hub.close());

const request = (timeoutMs = 2000) =>
  fetchJson({
    service: 'mixpanel',
    fetch: hub.fetch,
    url: 'https://mixpanel.com/api/thing',
    init: { method: 'GET' },
    schema: z.object({ host: z.string(), answer: z.number() }),
    timeoutMs,
    describeError: (status, body) => ({ message: `status ${status}: ${body}` }),
  });

const noWait: RetryPolicy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000, sleep: async () => {} };

describe('fetchJson against a live server', () => {
  it('parses a 2xx body and sees the production host', async () => {
    expect(await request()).toEqual({ host: 'mixpanel.com', answer: 42 });
  });

  it.each([
    [401, 'auth'],
    [403, 'permission'],
    [400, 'bad-request'],
    [429, 'rate-limit'],
    [503, 'server'],
  ] as const)('maps HTTP %i to %s', async (status, kind) => {
    faults.add('/api/thing', { kind: 'status', status, body: '{"error":"nope"}' });
    await expect(request()).rejects.toMatchObject({ kind, status, message: `status ${status}: {"error":"nope"}` });
  });

  it('reports a body that is not JSON, or not the contract, as malformed', async () => {
    faults.add('/api/thing', { kind: 'malformed' });
    await expect(request()).rejects.toMatchObject({ kind: 'malformed' });
    faults.add('/api/thing', { kind: 'status', status: 200, body: '{"host": 1}' });
    await expect(request()).rejects.toMatchObject({ kind: 'malformed', message: expect.stringContaining('host') });
  });

  it('reports a dropped connection as network and a silent server as timeout', async () => {
    faults.add('/api/thing', { kind: 'reset' });
    await expect(request()).rejects.toMatchObject({ kind: 'network', retryable: true });
    faults.add('/api/thing', { kind: 'hang' });
    await expect(request(200)).rejects.toMatchObject({ kind: 'timeout', retryable: true });
  });
});

describe('withRetry', () => {
  it('retries a 429 and a 5xx, then succeeds', async () => {
    faults.add('/api/thing', { kind: 'status', status: 429 });
    faults.add('/api/thing', { kind: 'status', status: 502 });
    const attempts: number[] = [];
    const result = await withRetry((attempt) => {
      attempts.push(attempt);
      return request();
    }, noWait);
    expect(result.answer).toBe(42);
    expect(attempts).toEqual([0, 1, 2]);
  });

  it('never retries an auth error', async () => {
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new ApiError('clevertap', 'auth', 'bad passcode', 401));
    };
    await expect(withRetry(failing, noWait)).rejects.toMatchObject({ kind: 'auth' });
    expect(calls).toBe(1);
  });

  it('gives up after the last attempt with the last error', async () => {
    faults.add('/api/thing', { kind: 'status', status: 500 }, { times: 4 });
    await expect(withRetry(() => request(), noWait)).rejects.toMatchObject({ kind: 'server' });
  });

  it('grows the delay exponentially up to the cap, with jitter in the upper half', () => {
    const policy = { attempts: 10, baseDelayMs: 1000, maxDelayMs: 8000 };
    expect(backoffDelay(0, { ...policy, random: () => 0 })).toBe(500);
    expect(backoffDelay(0, { ...policy, random: () => 1 })).toBe(1000);
    expect(backoffDelay(2, { ...policy, random: () => 1 })).toBe(4000);
    expect(backoffDelay(9, { ...policy, random: () => 1 })).toBe(8000);
  });
});

describe('forEachConcurrent', () => {
  it('never exceeds the limit and visits every item once', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachConcurrent([...Array(20).keys()], 3, async (item) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(item);
      inFlight--;
    });
    expect(peak).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('stops starting work after a failure and rethrows it', async () => {
    const started: number[] = [];
    await expect(
      forEachConcurrent([...Array(10).keys()], 2, async (item) => {
        started.push(item);
        if (item === 1) throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(started.length).toBeLessThan(10);
  });
});
