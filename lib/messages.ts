/**
 * The contract between the background and every page: each message a page or the content script
 * may send, as zod schemas (the background parses each one and checks who sent it, see SENDERS),
 * what the background answers to each, and the views pages receive. The views are declared here,
 * not taken from lib/storage: what is kept and what is shown change for different reasons, and the
 * background maps one to the other (entrypoints/background/views.ts).
 */
import { z } from 'zod';
import { CLEVERTAP_REGION_IDS, MIXPANEL_REGION_IDS, type CleverTapRegion, type MixpanelRegion } from './regions';
import { SettingsSchema, type Settings } from './settings';
import { SYNC_TYPES, type CohortSummary, type Rejection, type SyncType } from './shapes';

const syncId = z.string().regex(/^\d+:\d+$/).max(40);
const cohortId = z.number().int().positive();

/** The options page's sections a page may ask to open it at. */
export const OPTIONS_SECTIONS = ['connections', 'settings', 'syncs'] as const;
export type OptionsSection = (typeof OPTIONS_SECTIONS)[number];

export const MessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ping') }),
  z.strictObject({ type: z.literal('state.get') }),
  z.strictObject({ type: z.literal('cohorts.list'), refresh: z.boolean().optional() }),
  z.strictObject({ type: z.literal('cohort.preview'), cohortId }),
  z.strictObject({
    type: z.literal('sync.start'),
    cohortId,
    cohortName: z.string().min(1).max(10_000),
    syncType: z.enum(SYNC_TYPES),
  }),
  z.strictObject({ type: z.literal('sync.now'), syncId }),
  z.strictObject({ type: z.literal('sync.pause'), syncId }),
  z.strictObject({ type: z.literal('sync.resume'), syncId }),
  z.strictObject({ type: z.literal('sync.stop'), syncId }),
  z.strictObject({ type: z.literal('sync.review'), syncId, decision: z.enum(['confirm', 'discard']) }),
  z.strictObject({ type: z.literal('history.get'), syncId }),
  z.strictObject({ type: z.literal('history.csv'), runId: z.string().max(100) }),
  z.strictObject({
    type: z.literal('clevertap.connect'),
    accountId: z.string().trim().min(1).max(100),
    passcode: z.string().min(1).max(200),
    region: z.enum(CLEVERTAP_REGION_IDS),
  }),
  z.strictObject({ type: z.literal('clevertap.disconnect') }),
  z.strictObject({
    type: z.literal('mixpanel.connect'),
    username: z.string().trim().min(1).max(200),
    secret: z.string().min(1).max(200),
    projectId: z.number().int().positive(),
    region: z.enum(MIXPANEL_REGION_IDS),
  }),
  z.strictObject({ type: z.literal('mixpanel.disconnect') }),
  z.strictObject({ type: z.literal('settings.save'), settings: SettingsSchema }),
  z.strictObject({ type: z.literal('options.open'), section: z.enum(OPTIONS_SECTIONS).optional() }),
]);
export type Message = z.infer<typeof MessageSchema>;
export type MessageType = Message['type'];
/** The message of one type, e.g. `MessageOf<'sync.start'>`. */
export type MessageOf<T extends MessageType> = Extract<Message, { type: T }>;

export type SenderKind = 'extension-page' | 'mixpanel-tab';

/**
 * Who may send what. The content script runs inside Mixpanel's pages, which we do not control:
 * it may read state, start and steer syncs, but never send or touch a credential, read history or
 * change settings. Credentials are typed only in extension pages (the options page, or the Connect
 * page framed into Mixpanel, which is an extension page, not the tab).
 */
export const SENDERS: Record<MessageType, readonly SenderKind[]> = {
  ping: ['extension-page', 'mixpanel-tab'],
  'state.get': ['extension-page', 'mixpanel-tab'],
  'cohorts.list': ['extension-page', 'mixpanel-tab'],
  'cohort.preview': ['extension-page', 'mixpanel-tab'],
  'sync.start': ['extension-page', 'mixpanel-tab'],
  'sync.now': ['extension-page', 'mixpanel-tab'],
  'sync.pause': ['extension-page', 'mixpanel-tab'],
  'sync.resume': ['extension-page', 'mixpanel-tab'],
  'sync.stop': ['extension-page', 'mixpanel-tab'],
  'sync.review': ['extension-page'],
  'history.get': ['extension-page'],
  'history.csv': ['extension-page'],
  'clevertap.connect': ['extension-page'],
  'clevertap.disconnect': ['extension-page', 'mixpanel-tab'],
  'mixpanel.connect': ['extension-page'],
  'mixpanel.disconnect': ['extension-page'],
  'settings.save': ['extension-page'],
  'options.open': ['extension-page', 'mixpanel-tab'],
};

/** Every answer has this envelope, so a caller can tell a refusal from a result. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

// ── Views: what pages receive ──

export interface CleverTapConnectionView {
  accountId: string;
  region: CleverTapRegion;
  connectedAt: number;
}

export interface MixpanelConnectionView {
  username: string;
  projectId: number;
  region: MixpanelRegion;
  workspaceId?: number;
  projectName?: string;
  /** False when no signal Mixpanel gives settled whether the account is an Admin (it connected anyway). */
  adminConfirmed?: boolean;
  connectedAt: number;
}

/** The connections, never their secrets. */
export interface ConnectionsView {
  clevertap: CleverTapConnectionView | null;
  mixpanel: MixpanelConnectionView | null;
}

export interface SkipCounts {
  /** No `$CleverTap_user_id` on the profile. */
  missingId: number;
  /** Empty, blank, not text, too long, or a value CleverTap forbids. */
  invalidId: number;
  /** Another profile in the cohort already carries this id. */
  duplicateId: number;
}

export interface RunCounts {
  read: number;
  exported: number;
  skipped: SkipCounts;
  added: number;
  removed: number;
  rejected: number;
}

export type RunOutcome = 'synced' | 'failed' | 'paused' | 'discarded';
export type RunTrigger = 'start' | 'schedule' | 'manual';

/** One finished run, as the sync's "last run" (no rejections: those are in the history). */
export interface RunSummaryView {
  runId: string;
  syncId: string;
  trigger: RunTrigger;
  startedAt: number;
  finishedAt: number;
  outcome: RunOutcome;
  reason?: string;
  counts: RunCounts;
  mixpanelQueries: number;
  clevertapRequests: number;
  segmentId?: number;
  /** The custom list was uploaded, or left alone because the membership did not change. */
  segment?: 'replaced' | 'unchanged';
  segmentName?: string;
}

/** A record CleverTap refused, as the history shows it (the shape is lib/shapes.ts's, shared with the engine). */
export type RejectionView = Rejection;

/** One run in the history, with the records CleverTap rejected (capped; `counts.rejected` has the full number). */
export interface RunRecordView extends RunSummaryView {
  rejections: RejectionView[];
}

export type RunPhase = 'reading' | 'reviewing' | 'delivering' | 'committing';

export type SyncStatusView =
  | { state: 'scheduled' }
  /** Waiting for another sync's run to finish; `place` 1 is next. */
  | { state: 'queued'; place: number; etaAt?: number }
  /** `etaAt`: epoch ms when the run is expected to finish. */
  | { state: 'running'; phase: RunPhase; done: number; total: number; etaAt?: number }
  | { state: 'synced' }
  | { state: 'paused'; reason: string }
  | { state: 'failed'; reason: string }
  | { state: 'needs-review'; reason: string; removals: number; segmentSize: number };
export type SyncState = SyncStatusView['state'];

export interface SyncView {
  /** `<projectId>:<cohortId>`: a cohort has at most one sync per project. */
  id: string;
  projectId: number;
  cohortId: number;
  cohortName: string;
  type: SyncType;
  createdAt: number;
  status: SyncStatusView;
  lastRun?: RunSummaryView;
  /** Dynamic syncs only: when the next run is due. */
  nextRunAt?: number;
  /** Set when the schedule cannot keep up with the query budget, with the time a run can next start. */
  behindUntil?: number;
  /** The CleverTap segment this sync owns. */
  segmentName?: string;
}

export const syncIdFor = (projectId: number, cohortId: number) => `${projectId}:${cohortId}`;

/** Everything a page shows: connections (no secrets), settings and syncs with their progress. */
export interface StateView {
  connections: ConnectionsView;
  settings: Settings;
  syncs: SyncView[];
}

/**
 * Pages follow the state through a port of this name (lib/state-client.ts): the background sends
 * the current view when it connects and a new one after every change.
 */
export const STATE_PORT = 'state';
export interface StatePortMessage {
  type: 'state';
  view: StateView;
}

export type { CohortSummary };

export interface CohortPreview {
  cohortId: number;
  /** Profiles read from Mixpanel (identified users only). */
  read: number;
  /** Profiles that carry a valid `$CleverTap_user_id` and would be exported. */
  exportable: number;
  skipped: SkipCounts;
}

export type CleverTapConnectResult =
  | { connected: true; connection: CleverTapConnectionView }
  | {
      connected: false;
      reason: 'bad-credentials' | 'wrong-region' | 'network';
      message: string;
      answeredRegion?: CleverTapRegion;
    };

export type MixpanelConnectResult =
  | { connected: true; connection: MixpanelConnectionView }
  | {
      connected: false;
      reason: 'bad-credentials' | 'no-project' | 'not-admin' | 'cannot-list-cohorts' | 'network';
      message: string;
    };

/** What the background answers to each message (inside `Reply`). */
export interface Replies {
  ping: { startedAt: number };
  'state.get': StateView;
  'cohorts.list': { cohorts: CohortSummary[]; fetchedAt: number };
  'cohort.preview': CohortPreview;
  'sync.start': SyncView;
  'sync.now': SyncView;
  'sync.pause': SyncView;
  'sync.resume': SyncView;
  'sync.stop': null;
  'sync.review': SyncView;
  'history.get': RunRecordView[];
  'history.csv': { filename: string; csv: string };
  'clevertap.connect': CleverTapConnectResult;
  'clevertap.disconnect': null;
  'mixpanel.connect': MixpanelConnectResult;
  'mixpanel.disconnect': null;
  'settings.save': Settings;
  'options.open': null;
}

/**
 * Messages an extension page sends to the Mixpanel tab's content script (`tabs.sendMessage`):
 * `overlay.report` asks for the last cohort "…" click's page report (structure only, no data).
 */
export const TabMessageSchema = z.discriminatedUnion('type', [z.strictObject({ type: z.literal('overlay.report') })]);
export type TabMessage = z.infer<typeof TabMessageSchema>;

export interface TabReplies {
  'overlay.report': { report: { at: number; page: string; missed: boolean; text: string } | null };
}
