/**
 * CleverTap data centres. The user reads the region from the prefix of their dashboard address
 * (eu1, in1, sg1, us1, aps3, mec1); each region has its own API host and an account only answers
 * on its own region's host. Europe is CleverTap's default region and its documented API host is the
 * bare `api.clevertap.com` (reference §1.4; `eu1.api.clevertap.com` also exists but is not listed in
 * the developer docs nor in lib/permissions.ts).
 */
export type CleverTapRegion = 'eu1' | 'in1' | 'sg1' | 'us1' | 'aps3' | 'mec1';

export interface CleverTapRegionInfo {
  id: CleverTapRegion;
  label: string;
  /** API host, without scheme. */
  host: string;
}

/** In the order the UI offers them. */
export const CLEVERTAP_REGIONS: readonly CleverTapRegionInfo[] = [
  { id: 'eu1', label: 'Europe', host: 'api.clevertap.com' },
  { id: 'in1', label: 'India', host: 'in1.api.clevertap.com' },
  { id: 'sg1', label: 'Singapore', host: 'sg1.api.clevertap.com' },
  { id: 'us1', label: 'United States', host: 'us1.api.clevertap.com' },
  { id: 'aps3', label: 'Indonesia', host: 'aps3.api.clevertap.com' },
  { id: 'mec1', label: 'Middle East (UAE)', host: 'mec1.api.clevertap.com' },
];

export const CLEVERTAP_REGION_IDS = CLEVERTAP_REGIONS.map((region) => region.id) as [
  CleverTapRegion,
  ...CleverTapRegion[],
];

export const DEFAULT_CLEVERTAP_REGION: CleverTapRegion = 'eu1';

export function regionInfo(region: CleverTapRegion): CleverTapRegionInfo {
  const info = CLEVERTAP_REGIONS.find((candidate) => candidate.id === region);
  if (!info) throw new Error(`Unknown CleverTap region: ${String(region)}`);
  return info;
}

export function regionHost(region: CleverTapRegion): string {
  return regionInfo(region).host;
}

export function regionLabel(region: CleverTapRegion): string {
  return regionInfo(region).label;
}

export function isCleverTapRegion(value: unknown): value is CleverTapRegion {
  return CLEVERTAP_REGIONS.some((region) => region.id === value);
}

/** The region whose API host is `host`, if any. */
export function regionForHost(host: string): CleverTapRegion | undefined {
  return CLEVERTAP_REGIONS.find((region) => region.host === host.toLowerCase())?.id;
}
