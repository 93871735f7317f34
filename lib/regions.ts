/**
 * Every region and host of both services, in one list: the API clients, the stored-state schemas,
 * the region pickers' labels and the manifest's host permissions are all built from it, so a region
 * added here is added everywhere at once.
 *
 * CleverTap: the user reads the region from the prefix of their dashboard address; each region has
 * its own API host and an account only answers on its own. Europe is the default region and its
 * documented API host is the bare `api.clevertap.com`. South Korea (`sk1`) is not in the developer
 * docs' table but is on CleverTap's partner pages and in Segment's and RudderStack's destinations.
 * Mixpanel: a project lives on one data-residency cluster, whose host serves web app, Query and App API.
 */
export const CLEVERTAP_REGIONS = [
  { id: 'eu1', label: 'Europe', host: 'api.clevertap.com' },
  { id: 'in1', label: 'India', host: 'in1.api.clevertap.com' },
  { id: 'sg1', label: 'Singapore', host: 'sg1.api.clevertap.com' },
  { id: 'us1', label: 'United States', host: 'us1.api.clevertap.com' },
  { id: 'aps3', label: 'Indonesia', host: 'aps3.api.clevertap.com' },
  { id: 'mec1', label: 'Middle East (UAE)', host: 'mec1.api.clevertap.com' },
  { id: 'sk1', label: 'South Korea', host: 'sk1.api.clevertap.com' },
] as const;

export type CleverTapRegion = (typeof CLEVERTAP_REGIONS)[number]['id'];

export const CLEVERTAP_REGION_IDS = CLEVERTAP_REGIONS.map((region) => region.id) as [CleverTapRegion, ...CleverTapRegion[]];

export const DEFAULT_CLEVERTAP_REGION: CleverTapRegion = 'eu1';

export const MIXPANEL_REGIONS = [
  { id: 'us', label: 'US', host: 'mixpanel.com' },
  { id: 'eu', label: 'EU', host: 'eu.mixpanel.com' },
  { id: 'in', label: 'India', host: 'in.mixpanel.com' },
] as const;

export type MixpanelRegion = (typeof MIXPANEL_REGIONS)[number]['id'];

export const MIXPANEL_REGION_IDS = MIXPANEL_REGIONS.map((region) => region.id) as [MixpanelRegion, ...MixpanelRegion[]];

export const CLEVERTAP_API_HOSTS: readonly string[] = CLEVERTAP_REGIONS.map((region) => region.host);
export const MIXPANEL_HOSTS: readonly string[] = MIXPANEL_REGIONS.map((region) => region.host);
