/**
 * Both APIs together, as tests, benchmarks and the demo use them: the Mixpanel emulator with its
 * fixture projects and service accounts, and the CleverTap emulator with its default account.
 */
import { createCleverTapEmulator, DEFAULT_EMULATOR_ACCOUNT, type CleverTapEmulatorOptions } from './clevertap';
import { createMixpanelEmulator, FIXTURE, type MixpanelEmulatorSeed } from './mixpanel';

export interface EmulatorSetOptions {
  mixpanel?: MixpanelEmulatorSeed;
  clevertap?: CleverTapEmulatorOptions;
}

export function createEmulators(options: EmulatorSetOptions = {}) {
  const mixpanel = createMixpanelEmulator(options.mixpanel);
  const clevertap = createCleverTapEmulator(options.clevertap);
  return { mixpanel, clevertap, list: [mixpanel, clevertap] };
}

export type EmulatorSet = ReturnType<typeof createEmulators>;

/** The credentials that the emulators' default accounts accept. */
export const EMULATOR_CREDENTIALS = {
  clevertap: {
    accountId: DEFAULT_EMULATOR_ACCOUNT.accountId,
    passcode: DEFAULT_EMULATOR_ACCOUNT.passcode,
    region: DEFAULT_EMULATOR_ACCOUNT.region,
  },
  mixpanel: {
    username: FIXTURE.owner.username,
    secret: FIXTURE.owner.secret,
    projectId: FIXTURE.usProject.id,
    region: 'us' as const,
  },
};
