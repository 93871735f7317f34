/** One hub for a test file; each test gets a fresh emulator behind it. */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { MixpanelClient, type MixpanelClientOptions, type MixpanelCredentials, type QueryKind } from '../../../lib/mixpanel/client';
import type { RetryPolicy } from '../../../lib/http/retry';
import { startHub, type Hub } from '../../emulators/hub';
import { FIXTURE, createMixpanelEmulator, type MixpanelEmulator, type MixpanelEmulatorSeed } from '../../emulators/mixpanel';

export const noWait: RetryPolicy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {} };

export interface Harness {
  hub: Hub;
  emulator: MixpanelEmulator;
  /** Replaces the emulator for the rest of the test. */
  reset(seed?: MixpanelEmulatorSeed): MixpanelEmulator;
  client(credentials?: Partial<MixpanelCredentials>, options?: MixpanelClientOptions): MixpanelClient;
}

export function useMixpanelHub(): Harness {
  const harness = {} as Harness;
  let current = createMixpanelEmulator();
  beforeAll(async () => {
    harness.hub = await startHub([
      { hosts: current.hosts, handle: (request, response) => current.handle(request, response) },
    ]);
  });
  afterAll(() => harness.hub.close());
  harness.reset = (seed) => {
    current = createMixpanelEmulator(seed);
    harness.emulator = current;
    return current;
  };
  beforeEach(() => {
    harness.reset();
  });
  harness.client = (credentials = {}, options = {}) =>
    new MixpanelClient(
      {
        region: 'us',
        username: FIXTURE.owner.username,
        secret: FIXTURE.owner.secret,
        projectId: FIXTURE.usProject.id,
        ...credentials,
      },
      { fetch: harness.hub.fetch, retry: noWait, timeoutMs: 5000, ...options },
    );
  return harness;
}

export async function readAll<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

/** A gate that records what passed and checks every slot is handed back. */
export function recordingGate() {
  const log = { kinds: [] as QueryKind[], open: 0, peakOpen: 0, released: 0 };
  const gate = async (kind: QueryKind) => {
    log.kinds.push(kind);
    log.open++;
    log.peakOpen = Math.max(log.peakOpen, log.open);
    let done = false;
    return () => {
      if (done) throw new Error('released twice');
      done = true;
      log.open--;
      log.released++;
    };
  };
  return { gate, log };
}

export interface RecordedCall {
  url: URL;
  body: URLSearchParams;
  headers: Headers;
}

/** Wraps a fetch to record each request (and optionally rewrite the answer). */
export function spyFetch(base: typeof fetch, rewrite?: (call: RecordedCall, json: unknown) => unknown) {
  const calls: RecordedCall[] = [];
  const fetchSpy: typeof fetch = async (input, init) => {
    const call = {
      url: new URL(String(input)),
      body: new URLSearchParams(typeof init?.body === 'string' ? init.body : ''),
      headers: new Headers(init?.headers),
    };
    calls.push(call);
    const response = await base(input, init);
    if (!rewrite || !response.ok) return response;
    const json: unknown = await response.json();
    return new Response(JSON.stringify(rewrite(call, json)), { status: response.status, headers: response.headers });
  };
  return { fetch: fetchSpy, calls };
}
