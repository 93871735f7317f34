// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ENTRY_LABEL,
  findDestinationsList,
  insertEntry,
  isDestinationsList,
  isPartnerRowList,
  listItems,
  startIntegrations,
  type EntryContext,
} from '../../../lib/overlay/integrations';
import { FIXTURE_PROJECT_ID } from '../../fixtures/mixpanel/cohorts';
import { BASE, deepAll, openFixture, userClick, waitFor, win } from './helpers';

const INTEGRATIONS = `${BASE}/integrations`;
const DESTINATIONS = `${BASE}/destinations`;

interface Mounted {
  host: HTMLElement;
  context: EntryContext;
  signal: AbortSignal;
}

let controller: AbortController;
let mounted: Mounted[];
let navigation: EventTarget;
let watcher: ReturnType<typeof startIntegrations>;

function start() {
  controller = new AbortController();
  mounted = [];
  navigation = new EventTarget();
  watcher = startIntegrations({
    document,
    signal: controller.signal,
    navigation,
    mount: (host, context, signal) => {
      host.append(document.createTextNode('CleverTap (ours)'));
      mounted.push({ host, context, signal });
    },
  });
}

const entries = () => deepAll('[data-cohort-sync="integration"]');
const itemNames = (list: Element) =>
  listItems(list).map((item) =>
    item.hasAttribute('data-cohort-sync')
      ? 'ours'
      : (item.querySelector('.integration-name')?.textContent ?? item.getAttribute('name') ?? item.querySelector('[name]')?.getAttribute('name')),
  );

/** Client-side navigation the way the app does it: pushState, then the app re-renders. */
function navigate(url: string) {
  win().history.pushState(null, '', url);
  win().dispatchEvent(new (win().PopStateEvent)('popstate'));
  navigation.dispatchEvent(new Event('currententrychange'));
}

afterEach(() => controller?.abort());

describe('the 2024 Integrations page (late, plain div rows in sections, Mixpanel’s CleverTap expanded)', () => {
  beforeEach(async () => {
    await openFixture(INTEGRATIONS);
    start();
  });

  it('waits for the list, then adds one entry right after Mixpanel’s own CleverTap, and stops observing', async () => {
    expect(watcher.phase).toBe('searching');
    await waitFor(() => entries().length === 1);
    expect(watcher.phase).toBe('placed');
    const list = findDestinationsList(document)!;
    expect(list.className).toBe('integrations-list');
    expect(itemNames(list)).toEqual(['Airship', 'Braze', 'CleverTap', 'ours', 'Customer.io', 'Iterable', 'OneSignal']);
    const [entry] = entries();
    expect(entry!.tagName).toBe('DIV');
    expect(entry!.getAttribute('aria-label')).toBe(ENTRY_LABEL);
    expect(entry!.className).toBe('integration-row'); // its neighbours' classes
    expect(mounted).toHaveLength(1);
    expect(mounted[0]!.context).toEqual({ projectId: FIXTURE_PROJECT_ID, region: 'us' });
    // Mixpanel's own CleverTap is still there, untouched, and its table of synced cohorts
    // (names that begin with partners' names) got nothing.
    expect(deepAll('.integration-name').filter((name) => name.textContent === 'CleverTap')).toHaveLength(1);
    expect(deepAll('table.synced-cohorts [data-cohort-sync]')).toHaveLength(0);
  });

  it('removes everything when the content script goes (extension reload)', async () => {
    await waitFor(() => entries().length === 1);
    controller.abort();
    expect(entries()).toHaveLength(0);
    expect(mounted[0]!.signal.aborted).toBe(true);
    expect(watcher.phase).toBe('idle');
  });

  it('puts the entry in alphabetical order when Mixpanel lists no CleverTap of its own', async () => {
    controller.abort();
    await openFixture(`${INTEGRATIONS}?native=0`);
    start();
    await waitFor(() => entries().length === 1);
    expect(itemNames(findDestinationsList(document)!)).toEqual(['Airship', 'Braze', 'ours', 'Customer.io', 'Iterable', 'OneSignal']);
  });
});

describe('the 2026 Destinations page (two shadow roots deep, late; tabs re-render the list)', () => {
  beforeEach(async () => {
    await openFixture(`https://eu.mixpanel.com/project/42/view/7/app/destinations`);
    start();
  });

  it('puts the entry back once when the list is re-rendered, and never twice', async () => {
    await waitFor(() => entries().length === 1);
    expect(mounted[0]!.context).toEqual({ projectId: 42, region: 'eu' });
    expect(entries()[0]!.tagName).toBe('LI');
    for (const tab of ['Connected', 'Available', 'Connected', 'Available']) {
      const button = deepAll('[role="tab"]').find((candidate) => candidate.textContent === tab)!;
      const before = mounted.length;
      userClick(button);
      await waitFor(() => mounted.length === before + 1 && entries().length === 1);
      expect(mounted[before - 1]!.signal.aborted).toBe(true);
      expect(entries()).toHaveLength(1);
    }
    expect(mounted.filter((entry) => !entry.signal.aborted)).toHaveLength(1);
    expect(watcher.inserted).toBe(5);
  });
});

describe('client-side navigation', () => {
  it('is idle elsewhere, appears on arrival, goes on departure', async () => {
    await openFixture(`${BASE}/insights`);
    start();
    expect(watcher.phase).toBe('idle');
    navigate(DESTINATIONS);
    const app = document.querySelector('mp-app') as HTMLElement & { render(): void };
    app.render();
    await waitFor(() => entries().length === 1);
    expect(watcher.phase).toBe('placed');
    navigate(`${BASE}/insights`);
    app.render();
    expect(entries()).toHaveLength(0);
    // The page is found by its content: the entry goes with the list, whatever the address says.
    await waitFor(() => watcher.phase === 'idle');
    expect(mounted[0]!.signal.aborted).toBe(true);
    navigate(INTEGRATIONS);
    app.render();
    await waitFor(() => entries().length === 1);
    expect(mounted.filter((entry) => !entry.signal.aborted)).toHaveLength(1);
  });

  it('places the entry once on arrival, and none of the later looks adds a second one', async () => {
    await openFixture(`${BASE}/insights`);
    start();
    vi.useFakeTimers();
    try {
      navigate(DESTINATIONS);
      (document.querySelector('mp-app') as HTMLElement & { render(): void }).render();
      // Past the late list (listDelay), every scheduled look (the last at 4 s) and a tab click's look.
      await vi.advanceTimersByTimeAsync(2_000);
      expect(entries()).toHaveLength(1);
      userClick(deepAll('[role="tab"]').find((candidate) => candidate.textContent === 'Available')!);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    expect(entries()).toHaveLength(1);
    expect(watcher.inserted).toBe(2);
    expect(mounted.filter((entry) => !entry.signal.aborted)).toHaveLength(1);
  });

  it('finds the Destinations page by its content at an address that does not name it', async () => {
    await openFixture(`${BASE}/settings?page=destinations#project/${FIXTURE_PROJECT_ID}`);
    start();
    expect(watcher.phase).toBe('idle');
    await waitFor(() => entries().length === 1, 6000);
    expect(entries()[0]!.tagName).toBe('LI');
  });

  it('notices navigation through popstate alone (no Navigation API)', async () => {
    await openFixture(`${BASE}/insights`);
    controller = new AbortController();
    mounted = [];
    startIntegrations({
      document,
      signal: controller.signal,
      navigation: null,
      mount: (host, context, signal) => mounted.push({ host, context, signal }),
    });
    win().history.pushState(null, '', INTEGRATIONS);
    (document.querySelector('mp-app') as HTMLElement & { render(): void }).render();
    win().dispatchEvent(new (win().PopStateEvent)('popstate'));
    await waitFor(() => entries().length === 1);
  });
});

describe('recognising the list', () => {
  const html = (markup: string) => {
    document.body.innerHTML = markup;
    return document.body.firstElementChild!;
  };

  it('accepts a labelled list or table, or one named after partners', () => {
    expect(isDestinationsList(html('<ul aria-label="Available destinations"><li>Something</li></ul>'))).toBe(true);
    expect(isDestinationsList(html('<div><h2 id="t">Integrations</h2><div role="list" aria-labelledby="t"><div role="listitem">X</div></div></div>').querySelector('[role="list"]')!)).toBe(true);
    expect(isDestinationsList(html('<ul><li>Braze</li><li>OneSignal</li><li>Other</li></ul>'))).toBe(true);
    expect(
      isDestinationsList(
        html('<table aria-label="Destinations"><thead><tr><th>Name</th></tr></thead><tbody><tr><td>Braze</td></tr></tbody></table>'),
      ),
    ).toBe(true);
  });

  it('rejects navigation, menus, empty lists and unrelated lists', () => {
    expect(isDestinationsList(html('<nav><ul><li>Braze</li><li>Iterable</li></ul></nav>').querySelector('ul')!)).toBe(false);
    expect(isDestinationsList(html('<div role="menu"><ul><li>Braze</li><li>Iterable</li></ul></div>').querySelector('ul')!)).toBe(false);
    expect(isDestinationsList(html('<ul aria-label="Destinations"></ul>'))).toBe(false);
    expect(isDestinationsList(html('<ul><li>Braze</li><li>Power users</li></ul>'))).toBe(false);
    expect(isDestinationsList(html('<div role="table" aria-label="Cohorts"><div role="row"><div role="cell">Braze</div></div></div>'))).toBe(false);
  });

  it('accepts the 2024 page’s plain div rows, never a table of synced cohorts named after partners', () => {
    const rows = html(
      '<div><div class="r"><span>Braze</span><div>Export Mixpanel Cohorts to Braze.</div><button>Connect</button></div>' +
        '<div class="r"><span>CleverTap</span><span>BETA</span><button>View Settings</button></div></div>',
    );
    expect(isPartnerRowList(rows)).toBe(true);
    const synced = html(
      '<table><tr><th>Name</th><th>Syncing Type</th></tr><tr><td>Braze External ID Test #2</td><td>Recurring</td></tr><tr><td>Segment lookalikes</td><td>One-time</td></tr></table>',
    );
    expect(isDestinationsList(synced)).toBe(false);
    expect(isPartnerRowList(synced.querySelector('tbody') ?? synced)).toBe(false);
    const cohorts = html(
      '<div class="mp-table"><div class="mp-table-row"><a>Braze External ID Test #2</a><button>…</button></div><div class="mp-table-row"><a>Segment lookalikes</a><button>…</button></div></div>',
    );
    expect(isPartnerRowList(cohorts)).toBe(false);
  });

  it('adds a row to a table, and replaces an older instance’s entry instead of adding a second', () => {
    const table = html(
      '<table aria-label="Destinations"><tbody><tr class="r"><td>Braze</td><td>On</td></tr><tr class="r"><td>Iterable</td><td>Off</td></tr></tbody></table>',
    );
    const first = insertEntry(table, 'old');
    expect(first.slot.tagName).toBe('TR');
    expect(first.host.tagName).toBe('TD');
    expect((first.host as HTMLTableCellElement).colSpan).toBe(2);
    expect(listItems(table).map((row) => row.textContent)).toEqual(['BrazeOn', '', 'IterableOff']);
    expect(insertEntry(table, 'old').added).toBe(false);
    const second = insertEntry(table, 'new');
    expect(second.added).toBe(true);
    expect(table.querySelectorAll('[data-cohort-sync="integration"]')).toHaveLength(1);
  });
});
