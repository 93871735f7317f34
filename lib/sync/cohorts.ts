/**
 * The project's cohort list, cached so that opening menus never costs Mixpanel queries, and the
 * preview that tells how many members would be exported or skipped, and why.
 */
import { z } from 'zod';
import type { Cohort, MixpanelClient } from '../mixpanel/client';
import type { CohortPreview, CohortSummary } from '../messages';
import { CohortSummarySchema } from '../shapes';
import type { StoredItem } from '../storage/items';
import { NO_SKIPS } from '../storage/schema';
import { classifyProfile, OUTPUT_PROPERTIES } from './classify';

/** Cohort lists change rarely; a refresh is one click away. */
const COHORT_CACHE_MS = 10 * 60 * 1000;

const CacheSchema = z.object({
  projectId: z.number(),
  fetchedAt: z.number(),
  cohorts: z.array(CohortSummarySchema),
});

export async function saveCohortCache(
  cache: StoredItem<unknown>,
  projectId: number,
  cohorts: Cohort[],
  now: number,
): Promise<CohortSummary[]> {
  const summaries = cohorts.map(({ id, name, count, description }) => ({ id, name, count, description }));
  await cache.setValue({ projectId, fetchedAt: now, cohorts: summaries });
  return summaries;
}

export async function cachedCohorts(
  env: { storage: { cohortCache: StoredItem<unknown> }; now: () => number },
  projectId: number,
  fetchCohorts: () => Promise<Cohort[]>,
  refresh = false,
): Promise<{ cohorts: CohortSummary[]; fetchedAt: number }> {
  const now = env.now();
  const parsed = CacheSchema.safeParse(await env.storage.cohortCache.getValue());
  if (!refresh && parsed.success && parsed.data.projectId === projectId && now - parsed.data.fetchedAt < COHORT_CACHE_MS) {
    return { cohorts: parsed.data.cohorts, fetchedAt: parsed.data.fetchedAt };
  }
  return { cohorts: await saveCohortCache(env.storage.cohortCache, projectId, await fetchCohorts(), now), fetchedAt: now };
}

/** Reads the whole cohort once and counts outcomes exactly as a run would, without staging. */
export async function previewCohort(mixpanel: MixpanelClient, cohortId: number): Promise<CohortPreview> {
  const seen = new Set<string>();
  const skipped = { ...NO_SKIPS };
  let read = 0;
  for await (const page of mixpanel.engagePages({ cohortId, outputProperties: OUTPUT_PROPERTIES })) {
    read += page.profiles.length;
    for (const profile of page.profiles) {
      const outcome = classifyProfile(profile.distinctId, profile.properties);
      if ('skip' in outcome) skipped[outcome.skip]++;
      else if (seen.has(outcome.member.identity)) skipped.duplicateId++;
      else seen.add(outcome.member.identity);
    }
  }
  return { cohortId, read, exportable: seen.size, skipped };
}
