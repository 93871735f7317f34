/**
 * Every host the extension talks to, and why. The manifest is built from this list and a test
 * checks the built manifest against it, so a new host is always a conscious change.
 */
import { CLEVERTAP_API_HOSTS, MIXPANEL_HOSTS } from './regions';

export { CLEVERTAP_API_HOSTS, MIXPANEL_HOSTS } from './regions';

/**
 * CleverTap hands out pre-signed S3 URLs for custom-list uploads and does not document their host.
 * The worker PUTs the CSV there, so it needs access to S3's hosts.
 */
const CUSTOM_LIST_UPLOAD_HOSTS = ['*.amazonaws.com'] as const;

export const HOST_PERMISSIONS = [
  ...MIXPANEL_HOSTS.map((host) => `https://${host}/*`),
  ...CLEVERTAP_API_HOSTS.map((host) => `https://${host}/*`),
  ...CUSTOM_LIST_UPLOAD_HOSTS.map((host) => `https://${host}/*`),
];
