/**
 * Which CleverTap segment a new sync owns. CleverTap keys a custom list by its name, and Mixpanel
 * cohort names are not unique: two cohorts called "Power users" must not overwrite each other's
 * segment, so the second gets its cohort id in the name. The name is stored on the sync, so a
 * cohort renamed in Mixpanel keeps its segment.
 */
import type { Settings, Sync } from '../storage/schema';
import { segmentName } from './deliver';

export function chooseSegmentName(
  settings: Settings,
  cohort: { cohortId: number; cohortName: string; projectId: number },
  others: readonly Sync[],
): string {
  const taken = new Set(others.map((sync) => sync.segmentName ?? segmentName(settings, sync.cohortName)));
  const plain = segmentName(settings, cohort.cohortName);
  if (!taken.has(plain)) return plain;
  const withCohort = `${plain} (cohort ${cohort.cohortId})`;
  if (!taken.has(withCohort)) return withCohort;
  return `${plain} (project ${cohort.projectId}, cohort ${cohort.cohortId})`;
}
