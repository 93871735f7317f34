/**
 * Shapes that cross a boundary (API client → engine → storage → pages), declared once. Pure data:
 * this module imports nothing of the project, so the clients, storage and the in-page code may all
 * use it without reaching each other.
 */
import { z } from 'zod';

/** One-time: a single export. Dynamic: an export every 15 minutes, each overwriting the last. */
export const SYNC_TYPES = ['one-time', 'dynamic'] as const;
export type SyncType = (typeof SYNC_TYPES)[number];

/** A record CleverTap refused, with its reason. */
export const RejectionSchema = z.object({
  /** The rejected record's identity; empty only when CleverTap's answer names no record at all. */
  identity: z.string(),
  code: z.number(),
  error: z.string(),
  /** Runs in a row in which CleverTap refused this identity (set by the engine, never by CleverTap). */
  failures: z.number().optional(),
});
export type Rejection = z.infer<typeof RejectionSchema>;

/** A cohort as the pages list it and the cohort cache keeps it. */
export const CohortSummarySchema = z.object({
  id: z.number(),
  name: z.string(),
  /** Members as Mixpanel counts them. */
  count: z.number(),
  description: z.string(),
});
export type CohortSummary = z.infer<typeof CohortSummarySchema>;
