/**
 * Every message a page or the content script may send to the background, as zod schemas.
 * The background parses each one and checks who sent it (see SENDERS) before acting.
 */
import { z } from 'zod';
import {
  CLEVERTAP_REGIONS,
  MIXPANEL_REGIONS,
  SettingsSchema,
  SYNC_TYPES,
  type CleverTapConnection,
  type MixpanelConnection,
  type RunSummary,
  type Settings,
  type SkipCounts,
} from './storage/schema';
import type { AppStateView, SyncView } from './storage/progress';

const syncId = z.string().regex(/^\d+:\d+$/).max(40);
const cohortId = z.number().int().positive();

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
    region: z.enum(CLEVERTAP_REGIONS),
  }),
  z.strictObject({ type: z.literal('clevertap.disconnect') }),
  z.strictObject({
    type: z.literal('mixpanel.connect'),
    username: z.string().trim().min(1).max(200),
    secret: z.string().min(1).max(200),
    projectId: z.number().int().positive(),
    region: z.enum(MIXPANEL_REGIONS),
  }),
  z.strictObject({ type: z.literal('mixpanel.disconnect') }),
  z.strictObject({ type: z.literal('settings.save'), settings: SettingsSchema }),
  z.strictObject({ type: z.literal('options.open'), section: z.enum(['connections', 'settings', 'syncs']).optional() }),
]);
export type Message = z.infer<typeof MessageSchema>;
export type MessageType = Message['type'];

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

export interface CohortSummary {
  id: number;
  name: string;
  count: number;
  description: string;
}

export interface CohortPreview {
  cohortId: number;
  /** Profiles read from Mixpanel (identified users only). */
  read: number;
  /** Profiles that carry a valid `$CleverTap_user_id` and would be exported. */
  exportable: number;
  skipped: SkipCounts;
}

export type CleverTapConnectResult =
  | { connected: true; connection: CleverTapConnection }
  | {
      connected: false;
      reason: 'bad-credentials' | 'wrong-region' | 'network';
      message: string;
      answeredRegion?: CleverTapConnection['region'];
    };

export type MixpanelConnectResult =
  | { connected: true; connection: MixpanelConnection }
  | {
      connected: false;
      reason: 'bad-credentials' | 'no-project' | 'not-admin' | 'cannot-list-cohorts' | 'network';
      message: string;
    };

/** What the background answers to each message (inside `Reply`). */
export interface Replies {
  ping: { startedAt: number };
  'state.get': AppStateView;
  'cohorts.list': { cohorts: CohortSummary[]; fetchedAt: number };
  'cohort.preview': CohortPreview;
  'sync.start': SyncView;
  'sync.now': SyncView;
  'sync.pause': SyncView;
  'sync.resume': SyncView;
  'sync.stop': null;
  'sync.review': SyncView;
  'history.get': RunSummary[];
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
