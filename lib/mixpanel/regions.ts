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

/** The region whose host this is; undefined for hosts that are not a Mixpanel web/API cluster. */
export function regionFromHost(host: string): MixpanelRegion | undefined {
  const bare = host.trim().toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  if (bare === 'eu.mixpanel.com') return 'eu';
  if (bare === 'in.mixpanel.com') return 'in';
  // mixpanel.org is an alias of the US web app (reference §6.1).
  if (bare === 'mixpanel.com' || bare === 'www.mixpanel.com' || bare === 'mixpanel.org') return 'us';
  return undefined;
}

export function isMixpanelRegion(value: unknown): value is MixpanelRegion {
  return REGION_LIST.some((region) => region.id === value);
}
