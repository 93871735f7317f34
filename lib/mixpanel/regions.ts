/**
 * Mixpanel's data-residency clusters. A project lives on exactly one; its web app, Query API and
 * App API share that host, so the region can be read from the tab the user is on.
 */
export type MixpanelRegion = 'us' | 'eu' | 'in';

export interface MixpanelRegionInfo {
  label: string;
  host: string;
}

export const MIXPANEL_REGIONS: Readonly<Record<MixpanelRegion, MixpanelRegionInfo>> = {
  us: { label: 'US', host: 'mixpanel.com' },
  eu: { label: 'EU', host: 'eu.mixpanel.com' },
  in: { label: 'India', host: 'in.mixpanel.com' },
};

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
  return value === 'us' || value === 'eu' || value === 'in';
}
