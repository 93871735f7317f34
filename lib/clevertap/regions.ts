/** CleverTap's regions as the client uses them; the list itself lives in lib/regions.ts. */
import { CLEVERTAP_REGIONS, type CleverTapRegion } from '../regions';

export { CLEVERTAP_REGIONS, DEFAULT_CLEVERTAP_REGION, type CleverTapRegion } from '../regions';

export type CleverTapRegionInfo = (typeof CLEVERTAP_REGIONS)[number];

function regionInfo(region: CleverTapRegion): CleverTapRegionInfo {
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

