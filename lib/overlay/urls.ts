/**
 * Which Mixpanel addresses the overlay works on, and what the address says about the project and
 * the cohort. Path grammar as Mixpanel's own client parses its links (mixpanel/mixpanel-headless,
 * src/mixpanel_headless/_internal/report_links.py):
 * `/project/{pid}/app/{app}#…` and `/project/{pid}/view/{wid}/app/{app}#…`.
 */
const MIXPANEL_WEB_HOSTS = ['mixpanel.com', 'eu.mixpanel.com', 'in.mixpanel.com'] as const;

/** Content-script match patterns: the app lives under /project/ on each data-residency host. */
export const CONTENT_SCRIPT_MATCHES = MIXPANEL_WEB_HOSTS.map((host) => `https://${host}/project/*`);

const PROJECT_PATH = /^\/project\/(\d{1,18})(?:\/|$)/;
const APP_SEGMENT = /^\/project\/\d+\/(?:view\/\d+\/)?app\/([a-z0-9-]+)/i;

function toUrl(url: string | URL): URL | null {
  try {
    return typeof url === 'string' ? new URL(url) : url;
  } catch {
    return null;
  }
}

/** True for a page of the Mixpanel web app inside a project, on any of the three hosts. */
export function isMixpanelProjectUrl(url: string | URL): boolean {
  const parsed = toUrl(url);
  if (!parsed || parsed.protocol !== 'https:') return false;
  if (!(MIXPANEL_WEB_HOSTS as readonly string[]).includes(parsed.hostname)) return false;
  return PROJECT_PATH.test(parsed.pathname);
}

/** The project id in `/project/{pid}/…`, or null when the address is not a project page. */
export function projectIdFromUrl(url: string | URL): number | null {
  const parsed = toUrl(url);
  if (!parsed || !isMixpanelProjectUrl(parsed)) return null;
  const id = Number(PROJECT_PATH.exec(parsed.pathname)?.[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** The app segment (`lexicon`, `users`, `insights`, …) or null. */
export function appFromUrl(url: string | URL): string | null {
  const parsed = toUrl(url);
  if (!parsed || !isMixpanelProjectUrl(parsed)) return null;
  return APP_SEGMENT.exec(parsed.pathname)?.[1]?.toLowerCase() ?? null;
}

/** `us` / `eu` / `in`, from the host. */
export function regionFromUrl(url: string | URL): 'us' | 'eu' | 'in' | null {
  const parsed = toUrl(url);
  if (!parsed) return null;
  if (parsed.hostname === 'mixpanel.com') return 'us';
  if (parsed.hostname === 'eu.mixpanel.com') return 'eu';
  if (parsed.hostname === 'in.mixpanel.com') return 'in';
  return null;
}

const COHORT_ID_PATTERNS = [
  /(?:^|[#?&/,;])cohort(?:_id|Id|-id)?=(\d{1,15})(?:$|[&#/,;])/,
  /(?:^|[#/?&])cohorts?\/(\d{1,15})(?:$|[/?#&])/,
  /(?:^|[#/?&])view-cohort\/(\d{1,15})(?:$|[/?#&])/,
];

/**
 * A cohort id carried by an address (a link in a cohort row, or the page's own URL):
 * `…#cohort_id=1001`, `…?cohortId=1001`, `…#cohorts/1001`, `…/cohorts/1001`.
 */
export function cohortIdFromUrl(url: string | URL): number | null {
  const parsed = toUrl(url);
  if (!parsed) return null;
  for (const part of [parsed.hash.slice(1), parsed.search.slice(1), parsed.pathname]) {
    const decoded = safeDecode(part);
    for (const pattern of COHORT_ID_PATTERNS) {
      const match = pattern.exec(decoded);
      if (match?.[1]) {
        const id = Number(match[1]);
        if (Number.isSafeInteger(id) && id > 0) return id;
      }
    }
  }
  return null;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Addresses that name Mixpanel's Integrations page or its successor, Destinations: the 2024 page
 * lives at `/project/{pid}/view/{wid}/app/integrations` (the browser status bar in the screenshot
 * images/create_pipeline1.png of Mixpanel's docs, https://github.com/mixpanel/docs); the 2026
 * Destinations address is not public, `/app/destinations` is the likely one. This is only
 * a hint for how long to wait for the list: the page is recognised by its content on any project
 * page (see integrations.ts). Sub-pages (`…/destinations/braze`, `…#syncs`) count.
 */
const DESTINATIONS_PATH = /^\/project\/\d{1,18}(?:\/view\/\d{1,18})?\/app\/(?:integrations|destinations)(?:\/|$)/;

export function isDestinationsUrl(url: string | URL): boolean {
  const parsed = toUrl(url);
  if (!parsed || !isMixpanelProjectUrl(parsed)) return false;
  return DESTINATIONS_PATH.test(parsed.pathname);
}
