/**
 * The shapes of everything the extension keeps, as zod schemas: parsed on every read, so state
 * written by an older version or tampered with never flows on unchecked.
 * Nothing here holds a secret: passcode and service-account secret live in lib/storage/secrets.ts.
 */
import { z } from 'zod';
import { SettingsSchema } from '../settings';
import { CLEVERTAP_REGION_IDS, MIXPANEL_REGION_IDS } from '../regions';
import { RejectionSchema, SYNC_TYPES } from '../shapes';

export const CLEVERTAP_REGIONS = CLEVERTAP_REGION_IDS;
export const MIXPANEL_REGIONS = MIXPANEL_REGION_IDS;

const CleverTapConnectionSchema = z.object({
  accountId: z.string().min(1),
  region: z.enum(CLEVERTAP_REGIONS),
  connectedAt: z.number(),
});
export type CleverTapConnection = z.infer<typeof CleverTapConnectionSchema>;

const MixpanelConnectionSchema = z.object({
  username: z.string().min(1),
  projectId: z.number().int().positive(),
  region: z.enum(MIXPANEL_REGIONS),
  workspaceId: z.number().int().positive().optional(),
  projectName: z.string().optional(),
  /** False when no signal Mixpanel gives settled whether the account is an Admin (it connected anyway). */
  adminConfirmed: z.boolean().optional(),
  connectedAt: z.number(),
});
export type MixpanelConnection = z.infer<typeof MixpanelConnectionSchema>;

const ConnectionsSchema = z.object({
  clevertap: CleverTapConnectionSchema.nullable(),
  mixpanel: MixpanelConnectionSchema.nullable(),
});
export type Connections = z.infer<typeof ConnectionsSchema>;
export const NO_CONNECTIONS: Connections = { clevertap: null, mixpanel: null };

// Settings cross the boundary (settings.save): declared once in lib/settings.ts, kept as they are.
export { DEFAULT_SETTINGS, DELIVERY_MODES, SettingsSchema, type DeliveryMode, type Settings } from '../settings';

const SkipCountsSchema = z.object({
  /** No `$CleverTap_user_id` on the profile. */
  missingId: z.number(),
  /** Empty, blank, not text, too long, or a value CleverTap forbids. */
  invalidId: z.number(),
  /** Another profile in the cohort already carries this id. */
  duplicateId: z.number(),
});
export type SkipCounts = z.infer<typeof SkipCountsSchema>;
export const NO_SKIPS: SkipCounts = { missingId: 0, invalidId: 0, duplicateId: 0 };

export const RunCountsSchema = z.object({
  read: z.number(),
  exported: z.number(),
  skipped: SkipCountsSchema,
  added: z.number(),
  removed: z.number(),
  rejected: z.number(),
});
export type RunCounts = z.infer<typeof RunCountsSchema>;

const RUN_OUTCOMES = ['synced', 'failed', 'paused', 'discarded'] as const;

export const RunSummarySchema = z.object({
  runId: z.string(),
  syncId: z.string(),
  trigger: z.enum(['start', 'schedule', 'manual']),
  startedAt: z.number(),
  finishedAt: z.number(),
  outcome: z.enum(RUN_OUTCOMES),
  reason: z.string().optional(),
  counts: RunCountsSchema,
  mixpanelQueries: z.number(),
  clevertapRequests: z.number(),
  /** Rejected by CleverTap, with its reason and how many runs in a row it failed; capped, `counts.rejected` has the full number. */
  rejections: z.array(RejectionSchema),
  segmentId: z.number().optional(),
  /** The custom list was uploaded, or left alone because the membership did not change. */
  segment: z.enum(['replaced', 'unchanged']).optional(),
  segmentName: z.string().optional(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

/** The last run as the app state keeps it: its rejections stay in the history (`history.get`). */
const LastRunSchema = RunSummarySchema.omit({ rejections: true });
export type LastRun = z.infer<typeof LastRunSchema>;

/** Drops what the app state does not keep of a finished run. */
export function lastRunOf(summary: RunSummary): LastRun {
  const { rejections: _rejections, ...rest } = summary;
  return rest;
}

export type RunPhase = 'reading' | 'reviewing' | 'delivering' | 'committing';

const SyncStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('scheduled') }),
  // Its progress lives under its own key (lib/storage/progress.ts): a tick never rewrites the state.
  z.object({ state: z.literal('running') }),
  z.object({ state: z.literal('synced') }),
  z.object({ state: z.literal('paused'), reason: z.string() }),
  z.object({ state: z.literal('failed'), reason: z.string() }),
  z.object({
    state: z.literal('needs-review'),
    reason: z.string(),
    removals: z.number(),
    segmentSize: z.number(),
  }),
]);
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

const SyncSchema = z.object({
  /** `<projectId>:<cohortId>`: a cohort has at most one sync per project. */
  id: z.string(),
  projectId: z.number(),
  cohortId: z.number(),
  cohortName: z.string(),
  type: z.enum(SYNC_TYPES),
  createdAt: z.number(),
  status: SyncStatusSchema,
  lastRun: LastRunSchema.optional(),
  /** Dynamic syncs only: when the alarm fires next. */
  nextRunAt: z.number().optional(),
  /** Set when the schedule cannot keep up with the query budget, with the time a run can next start. */
  behindUntil: z.number().optional(),
  /** The CleverTap segment this sync owns, chosen when it was created: a renamed cohort keeps it. */
  segmentName: z.string().optional(),
});
export type Sync = z.infer<typeof SyncSchema>;

export const syncIdFor = (projectId: number, cohortId: number) => `${projectId}:${cohortId}`;

/** What every page sees: the single source of truth the background keeps in storage.local. */
export const AppStateSchema = z.object({
  connections: ConnectionsSchema,
  settings: SettingsSchema,
  syncs: z.array(SyncSchema),
});
export type AppState = z.infer<typeof AppStateSchema>;
