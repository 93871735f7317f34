/**
 * Deterministic cohorts of any size: members with a valid `$CleverTap_user_id`, members without
 * one, members with an invalid one, and distinct_ids without a profile at all. One pass, no
 * per-member allocation beyond the profile itself, so a million members take about a second.
 */
import type { MixpanelState, Properties } from './state';

export const CLEVERTAP_ID = '$CleverTap_user_id';

/** Values a careful export must skip: a `$CleverTap_user_id` that is set but unusable as an identity. */
export const INVALID_CLEVERTAP_IDS: readonly unknown[] = [
  '',
  '   ',
  'null',
  'undefined',
  'x'.repeat(1025), // over CleverTap's 1024-character identity limit (120 in older docs)
  'NaN',
  true,
  { id: 'abc' },
];

export interface SeedCohortOptions {
  projectId: number;
  cohortId: number;
  name?: string;
  members: number;
  /** Shares of the members, each 0..1. */
  withoutProfileShare?: number;
  missingIdShare?: number;
  invalidIdShare?: number;
  seed?: number;
  /** distinct_id = prefix + index. */
  idPrefix?: string;
}

export interface SeededCohort {
  cohortId: number;
  members: number;
  withoutProfile: number;
  missingId: number;
  invalidId: number;
  valid: number;
  /** distinct_id → `$CleverTap_user_id` of every member a correct export delivers. */
  expected: Map<string, string>;
}

/** mulberry32: tiny, fast and good enough to shuffle test data reproducibly. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function seedCohort(state: MixpanelState, options: SeedCohortOptions): SeededCohort {
  const random = prng(options.seed ?? options.cohortId);
  const withoutProfile = options.withoutProfileShare ?? 0.05;
  const missing = withoutProfile + (options.missingIdShare ?? 0.1);
  const invalid = missing + (options.invalidIdShare ?? 0.05);
  const prefix = options.idPrefix ?? `c${options.cohortId}-user-`;
  const existing = state.cohort(options.projectId, options.cohortId);
  const cohort =
    existing ??
    state.addCohort(options.projectId, {
      id: options.cohortId,
      name: options.name ?? `Seeded cohort ${options.cohortId}`,
      description: `${options.members} seeded members`,
    });
  const profiles = state.profiles(options.projectId);
  const result: SeededCohort = {
    cohortId: options.cohortId,
    members: options.members,
    withoutProfile: 0,
    missingId: 0,
    invalidId: 0,
    valid: 0,
    expected: new Map(),
  };

  for (let index = 0; index < options.members; index++) {
    const distinctId = `${prefix}${index}`;
    cohort.members.add(distinctId);
    const roll = random();
    if (roll < withoutProfile) {
      profiles.delete(distinctId);
      result.withoutProfile++;
      continue;
    }
    const profile: Properties = { $email: `${distinctId}@example.com`, plan: index % 3 === 0 ? 'pro' : 'free' };
    if (roll < missing) {
      result.missingId++;
    } else if (roll < invalid) {
      profile[CLEVERTAP_ID] = INVALID_CLEVERTAP_IDS[index % INVALID_CLEVERTAP_IDS.length];
      result.invalidId++;
    } else {
      // Every tenth id is a number, as SDKs sometimes send them: exported as its string form.
      const numeric = index % 10 === 9;
      const cleverTapId = numeric ? String(options.cohortId * 10_000_000 + index) : `ct-${options.cohortId}-${index}`;
      profile[CLEVERTAP_ID] = numeric ? Number(cleverTapId) : `${index % 20 === 4 ? '  ' : ''}${cleverTapId}`;
      result.expected.set(distinctId, cleverTapId);
      result.valid++;
    }
    profiles.set(distinctId, profile);
  }
  return result;
}
