import {
  CleverTapClient,
  type CleverTapClientOptions,
  type CleverTapCredentials,
  type ProfileRecord,
} from '../../../lib/clevertap/client';
import type { RetryPolicy } from '../../../lib/http/retry';
import { createCleverTapEmulator, DEFAULT_EMULATOR_ACCOUNT, type CleverTapEmulatorOptions } from '../../emulators/clevertap';
import { startHub, type Hub } from '../../emulators/hub';

/** Retries without waiting for real time. */
export const instantRetry: RetryPolicy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000, sleep: async () => {} };

export const account = DEFAULT_EMULATOR_ACCOUNT;

export async function startCleverTap(options: CleverTapEmulatorOptions = {}) {
  const emulator = createCleverTapEmulator(options);
  const hub: Hub = await startHub([emulator]);
  let requests = 0;
  const client = (overrides: Partial<CleverTapCredentials> = {}, clientOptions: CleverTapClientOptions = {}) =>
    new CleverTapClient(
      { ...account, ...overrides },
      { fetch: hub.fetch, retry: instantRetry, onRequest: () => requests++, ...clientOptions },
    );
  return {
    emulator,
    hub,
    client,
    requestsSeen: () => requests,
    close: () => hub.close(),
  };
}

export function profiles(count: number, prefix = 'user-'): ProfileRecord[] {
  return Array.from({ length: count }, (_, index) => ({
    identity: `${prefix}${index + 1}`,
    profileData: { 'Mixpanel Cohorts': { $add: ['Power users'] } },
  }));
}
