/**
 * The words every UI (popup, options page, the in-page dialog and Integrations entry) uses for
 * stored values, in one place, in the wording of Mixpanel's cohort-export help article ("Select
 * either one-time sync or dynamic sync"; https://docs.mixpanel.com/docs/cohort-sync/integrations/onesignal,
 * of which CleverTap's docs carry a copy for CleverTap).
 */
import { CLEVERTAP_REGIONS, DEFAULT_CLEVERTAP_REGION as DEFAULT_REGION, MIXPANEL_REGIONS } from '../regions';
import type {
  CleverTapConnectionView,
  MixpanelConnectionView,
  RunOutcome,
  RunPhase,
  RunTrigger,
  SyncState,
} from '../messages';
import type { DeliveryMode } from '../settings';
import type { SyncType } from '../shapes';

export type CleverTapRegionId = CleverTapConnectionView['region'];
export type MixpanelRegionId = MixpanelConnectionView['region'];

/** In the order the form offers them (lib/regions.ts); Europe is CleverTap's default region. */
export const CLEVERTAP_REGION_OPTIONS: readonly { id: CleverTapRegionId; label: string }[] = CLEVERTAP_REGIONS;
export const DEFAULT_CLEVERTAP_REGION: CleverTapRegionId = DEFAULT_REGION;

export const MIXPANEL_REGION_OPTIONS: readonly { id: MixpanelRegionId; label: string }[] = MIXPANEL_REGIONS;

export function clevertapRegionLabel(region: CleverTapRegionId): string {
  return CLEVERTAP_REGION_OPTIONS.find((option) => option.id === region)?.label ?? region;
}

export function mixpanelRegionLabel(region: MixpanelRegionId): string {
  return MIXPANEL_REGION_OPTIONS.find((option) => option.id === region)?.label ?? region;
}

/** `?region=eu` (from the Mixpanel tab the user came from) to a data residency; US otherwise. */
export function mixpanelRegionFromQuery(search: string): MixpanelRegionId {
  const region = new URLSearchParams(search).get('region')?.trim().toLowerCase();
  return region === 'eu' || region === 'in' ? region : 'us';
}

export const STATUS_LABEL: Record<SyncState, string> = {
  scheduled: 'Scheduled',
  queued: 'Queued',
  running: 'Running',
  synced: 'Synced',
  paused: 'Paused',
  failed: 'Failed',
  'needs-review': 'Needs review',
};

/** The short word, for a tag or a choice beside the word "sync". */
export const SYNC_TYPE_LABEL: Record<SyncType, string> = {
  'one-time': 'One-time',
  dynamic: 'Dynamic',
};

/** The article's name for the kind of export: "One-time sync", "Dynamic sync". */
export function syncTypeName(type: SyncType): string {
  return `${SYNC_TYPE_LABEL[type]} sync`;
}

/** What a running sync is doing, as a label ("Sending to CleverTap"); in a sentence, lower-case the first letter. */
export const PHASE_LABEL: Record<RunPhase, string> = {
  reading: 'Reading the cohort from Mixpanel',
  reviewing: 'Checking the changes',
  delivering: 'Sending to CleverTap',
  committing: 'Finishing',
};

export const DELIVERY_MODE_OPTIONS: readonly { id: DeliveryMode; label: string; hint: string }[] = [
  { id: 'segment', label: 'Segment', hint: 'A CleverTap segment that holds exactly the cohort’s members.' },
  {
    id: 'property',
    label: 'Profile property',
    hint: 'Adds the cohort’s name to a multi-value property on each member’s profile; cost follows the change, not the cohort.',
  },
  { id: 'both', label: 'Segment and profile property', hint: 'Both of the above.' },
];

export const OUTCOME_LABEL: Record<RunOutcome, string> = {
  synced: 'Synced',
  failed: 'Failed',
  paused: 'Paused',
  discarded: 'Discarded',
};

export const TRIGGER_LABEL: Record<RunTrigger, string> = {
  start: 'Started',
  schedule: 'Scheduled',
  manual: 'Sync now',
};
