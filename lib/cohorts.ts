/**
 * Which of the project's cohorts a page means: pure matching shared by the overlay (which reads
 * the page's cohort) and the export dialog (which resolves it against the cohort list).
 */
import type { CohortSummary } from './messages';

export interface CohortRef {
  /** Null when the page does not show the id: the name is then resolved through the cohort list. */
  id: number | null;
  name: string;
}

export type Resolution =
  | { kind: 'found'; cohort: CohortSummary }
  | { kind: 'ambiguous'; candidates: CohortSummary[] }
  | { kind: 'missing' };

const normalise = (name: string) => name.normalize('NFC').replace(/\s+/g, ' ').trim();

/** Matches a page's cohort to the project's cohort list: by id when known, else by exact name. */
export function resolveCohort(ref: CohortRef, cohorts: readonly CohortSummary[]): Resolution {
  if (ref.id !== null) {
    const byId = cohorts.find((cohort) => cohort.id === ref.id);
    return byId ? { kind: 'found', cohort: byId } : { kind: 'missing' };
  }
  const wanted = normalise(ref.name);
  const matches = cohorts.filter((cohort) => normalise(cohort.name) === wanted);
  if (matches.length === 1) return { kind: 'found', cohort: matches[0]! };
  if (matches.length > 1) return { kind: 'ambiguous', candidates: matches };
  return { kind: 'missing' };
}
