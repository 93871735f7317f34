import { describe, expect, it } from 'vitest';
import {
  appFromUrl,
  cohortIdFromUrl,
  CONTENT_SCRIPT_MATCHES,
  isDestinationsUrl,
  isMixpanelProjectUrl,
  projectIdFromUrl,
  regionFromUrl,
} from '../../../lib/overlay/urls';

// Refined GitHub style: every URL in one list, each predicate must accept its own and reject the rest.
const PROJECT_PAGES = [
  'https://mixpanel.com/project/3187764/view/3699044/app/users#T9bjQw9kLb7c',
  'https://mixpanel.com/project/3187764/view/3699044/app/lexicon#cohorts',
  'https://mixpanel.com/project/3366357/view/3872877/app/lexicon#transformations/abc',
  'https://mixpanel.com/project/3187764/app/insights#view/123',
  'https://eu.mixpanel.com/project/42/view/7/app/users#cohort_id=1003',
  'https://in.mixpanel.com/project/42/app/boards',
  'https://mixpanel.com/project/42',
  'https://mixpanel.com/project/42/',
  'https://mixpanel.com/project/3187764/view/3699044/app/profile#distinct_id=abc',
];

const NOT_PROJECT_PAGES = [
  'https://mixpanel.com/',
  'https://mixpanel.com/login/',
  'https://mixpanel.com/s/1AbCd',
  'https://mixpanel.com/report/3187764/insights',
  'https://mixpanel.com/api/query/cohorts/list',
  'https://mixpanel.com/projects/42',
  'https://mixpanel.com/project/abc/app/users',
  'https://mixpanel.com/project/',
  'http://mixpanel.com/project/42/app/users',
  'https://www.mixpanel.com/project/42/app/users',
  'https://docs.mixpanel.com/project/42/app/users',
  'https://mixpanel.com.evil.example/project/42/app/users',
  'https://evil.example/mixpanel.com/project/42',
  'https://eu.mixpanel.org/project/42',
  'https://api.clevertap.com/project/42',
  'not a url',
];

describe('isMixpanelProjectUrl', () => {
  it.each(PROJECT_PAGES)('accepts %s', (url) => expect(isMixpanelProjectUrl(url)).toBe(true));
  it.each(NOT_PROJECT_PAGES)('rejects %s', (url) => expect(isMixpanelProjectUrl(url)).toBe(false));
});

describe('projectIdFromUrl', () => {
  it('reads the project id', () => {
    expect(projectIdFromUrl(PROJECT_PAGES[0]!)).toBe(3187764);
    expect(projectIdFromUrl('https://eu.mixpanel.com/project/42/view/7/app/users')).toBe(42);
  });
  it.each(NOT_PROJECT_PAGES)('has none for %s', (url) => expect(projectIdFromUrl(url)).toBeNull());
});

describe('appFromUrl', () => {
  it.each([
    ['https://mixpanel.com/project/1/view/2/app/lexicon#cohorts', 'lexicon'],
    ['https://mixpanel.com/project/1/app/users', 'users'],
    ['https://mixpanel.com/project/1', null],
  ])('%s is %s', (url, app) => expect(appFromUrl(url)).toBe(app));
});

describe('cohortIdFromUrl', () => {
  it.each([
    ['https://mixpanel.com/project/1/view/2/app/users#cohort_id=1003', 1003],
    ['https://mixpanel.com/project/1/app/users?cohortId=77', 77],
    ['https://mixpanel.com/project/1/app/lexicon#cohorts/1001', 1001],
    ['https://mixpanel.com/project/1/app/users#view-cohort/12', 12],
    ['https://mixpanel.com/project/1/app/users#a=b&cohort=5&c=d', 5],
  ])('%s carries %i', (url, id) => expect(cohortIdFromUrl(url)).toBe(id));
  it.each([
    'https://mixpanel.com/project/1/view/2/app/lexicon#cohorts',
    'https://mixpanel.com/project/1/app/users#T9bjQw9kLb7c',
    'https://mixpanel.com/project/1/app/users#cohort_id=abc',
    'https://mixpanel.com/project/1/app/users#cohort_id=0',
    'https://mixpanel.com/project/1003/app/insights',
  ])('%s carries none', (url) => expect(cohortIdFromUrl(url)).toBeNull());
});

describe('content script matches', () => {
  it('covers the three data-residency hosts, under /project/ only', () => {
    expect(CONTENT_SCRIPT_MATCHES).toEqual([
      'https://mixpanel.com/project/*',
      'https://eu.mixpanel.com/project/*',
      'https://in.mixpanel.com/project/*',
    ]);
  });
  it('reads the region from the host', () => {
    expect(regionFromUrl('https://eu.mixpanel.com/project/1')).toBe('eu');
    expect(regionFromUrl('https://in.mixpanel.com/project/1')).toBe('in');
    expect(regionFromUrl('https://mixpanel.com/project/1')).toBe('us');
    expect(regionFromUrl('https://example.com/')).toBeNull();
  });
});

// The Integrations page (Settings → Integrations, 2024: /app/integrations, seen in a screenshot's status bar)
// and Destinations (Data → Destinations since July 2026; address not public, /app/destinations likely).
const DESTINATIONS_PAGES = [
  'https://mixpanel.com/project/2505341/view/3046593/app/integrations',
  'https://mixpanel.com/project/3187764/view/3699044/app/integrations/',
  'https://mixpanel.com/project/3187764/view/3699044/app/integrations?native=0#clevertap',
  'https://mixpanel.com/project/42/app/integrations',
  'https://eu.mixpanel.com/project/42/app/destinations',
  'https://eu.mixpanel.com/project/42/view/7/app/destinations',
  'https://in.mixpanel.com/project/42/view/7/app/destinations/braze',
  'https://in.mixpanel.com/project/42/app/destinations#syncs',
  'https://mixpanel.com/project/42/view/7/app/destinations#connected',
];

const NOT_DESTINATIONS_PAGES = [
  ...PROJECT_PAGES,
  ...NOT_PROJECT_PAGES,
  'https://mixpanel.com/project/42/app/integrationsx',
  'https://mixpanel.com/project/42/app/destination',
  'https://mixpanel.com/project/42/app/destinations-old',
  'https://mixpanel.com/project/42/view/app/destinations',
  'https://mixpanel.com/project/42/view/7/8/app/destinations',
  'https://mixpanel.com/project/42/app/lexicon#destinations',
  'https://mixpanel.com/project/42/app/insights?next=/app/destinations',
  'https://mixpanel.com/app/destinations',
  'https://mixpanel.com/project/abc/app/destinations',
  'http://mixpanel.com/project/42/app/destinations',
  'https://www.mixpanel.com/project/42/app/destinations',
  'https://docs.mixpanel.com/project/42/app/destinations',
  'https://mixpanel.com.evil.example/project/42/app/destinations',
  'https://evil.example/project/42/app/integrations',
];

describe('isDestinationsUrl', () => {
  it.each(DESTINATIONS_PAGES)('accepts %s', (url) => expect(isDestinationsUrl(url)).toBe(true));
  it.each(NOT_DESTINATIONS_PAGES)('rejects %s', (url) => expect(isDestinationsUrl(url)).toBe(false));
  it('is a project page, so the content script runs there', () => {
    for (const url of DESTINATIONS_PAGES) expect(isMixpanelProjectUrl(url)).toBe(true);
  });
});
