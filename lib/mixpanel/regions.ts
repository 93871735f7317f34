/**
 * Mixpanel's data-residency clusters. A project lives on exactly one; its web app, Query API and
 * App API share that host, so the region can be read from the tab the user is on.
 */
import { MIXPANEL_REGIONS as REGION_LIST, type MixpanelRegion } from '../regions';

export type { MixpanelRegion } from '../regions';

export interface MixpanelRegionInfo {
  label: string;
  host: string;
}

/** lib/regions.ts's list, keyed by region. */
export const MIXPANEL_REGIONS: Readonly<Record<MixpanelRegion, MixpanelRegionInfo>> = Object.fromEntries(
  REGION_LIST.map(({ id, label, host }) => [id, { label, host }]),
) as Record<MixpanelRegion, MixpanelRegionInfo>;

