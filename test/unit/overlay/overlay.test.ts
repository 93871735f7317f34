// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startOverlay, type ExportRequest } from '../../../lib/overlay/overlay';
import { BASE, deepAll, menuLabels, openFixture, rowButton, userClick, waitFor, win } from './helpers';

let controller: AbortController;
let requests: ExportRequest[];
let overlay: ReturnType<typeof startOverlay>;

function start(armMs = 300) {
  controller = new AbortController();
  requests = [];
  overlay = startOverlay({ document, signal: controller.signal, onExport: (request) => requests.push(request), armMs });
}

const openMenus = () => deepAll('[role="menu"]').filter((menu) => !(menu as HTMLElement).hidden);
const ownItems = (kind: string) => deepAll(`[data-cohort-sync="${kind}"]`);

beforeEach(() => vi.useRealTimers());
afterEach(() => controller?.abort());

describe('Lexicon cohorts table (menus in a portal at the end of body)', () => {
  beforeEach(async () => {
    await openFixture(`${BASE}/lexicon#cohorts`);
    start();
  });

  it('adds "CleverTap" to the native "Export to…" sub-menu and reports the cohort by id', async () => {
    userClick(rowButton('Trial ending this week')); // id 1003, not on the page: identified by name
    const [menu] = openMenus();
    expect(menu!.parentElement!.parentElement).toBe(document.body);
    expect(menuLabels(menu!)).toEqual(['Share', 'Export to…', 'Duplicate', 'Delete']);
    const exportItem = deepAll('[aria-haspopup="menu"]', menu!)[0]!;
    userClick(exportItem);
    await Promise.resolve();
    const submenu = openMenus().find((candidate) => candidate !== menu)!;
    expect(menuLabels(submenu)).toEqual(['Braze', 'Iterable (Marketing)', 'CleverTap (Cohort Sync)']);
    const item = ownItems('clevertap')[0]!;
    expect(item.getAttribute('role')).toBe('menuitem');
    expect(item.className).toBe('i-a81x'); // a clone of the native item: same look
    userClick(item);
    await waitFor(() => requests.length === 1);
    expect(requests[0]!.cohort).toEqual({ id: null, name: 'Trial ending this week' });
    expect(requests[0]!.projectId).toBe(3187764);
    expect(openMenus()).toHaveLength(0);
  });

  it('reads the id from the row link when the page shows one', async () => {
    userClick(rowButton('مستخدمون نشطون')); // id 1004, linked
    userClick(deepAll('[aria-haspopup="menu"]', openMenus()[0]!)[0]!);
    await Promise.resolve();
    userClick(ownItems('clevertap')[0]!);
    await waitFor(() => requests.length === 1);
    expect(requests[0]!.cohort).toEqual({ id: 1004, name: 'مستخدمون نشطون' });
  });

  it('never adds the item twice, however often the menu opens', async () => {
    for (let round = 0; round < 10; round += 1) {
      userClick(rowButton('Power users'));
      userClick(deepAll('[aria-haspopup="menu"]', openMenus()[0]!)[0]!);
      await Promise.resolve();
      expect(ownItems('clevertap')).toHaveLength(1);
      document.dispatchEvent(new (win().KeyboardEvent)('keydown', { key: 'Escape', bubbles: true }));
      expect(openMenus()).toHaveLength(0);
    }
  });

  it('keeps a name with HTML as text', async () => {
    userClick(rowButton('<b>VIP</b> & "friends"'));
    userClick(deepAll('[aria-haspopup="menu"]', openMenus()[0]!)[0]!);
    await Promise.resolve();
    userClick(ownItems('clevertap')[0]!);
    await waitFor(() => requests.length === 1);
    expect(requests[0]!.cohort.name).toBe('<b>VIP</b> & "friends"');
    expect(deepAll('b')).toHaveLength(0);
  });

  it('costs nothing while idle: no observer until a cohort menu is opened, none after it closes', async () => {
    expect(overlay.armed).toBe(false);
    userClick(rowButton('Power users'));
    expect(overlay.armed).toBe(true);
    document.dispatchEvent(new (win().KeyboardEvent)('keydown', { key: 'Escape', bubbles: true }));
    await waitFor(() => !overlay.armed, 2000);
  });

  it('cleans up when the content script is invalidated', async () => {
    userClick(rowButton('Power users'));
    userClick(deepAll('[aria-haspopup="menu"]', openMenus()[0]!)[0]!);
    await Promise.resolve();
    expect(ownItems('clevertap')).toHaveLength(1);
    controller.abort();
    expect(ownItems('clevertap')).toHaveLength(0);
    expect(overlay.armed).toBe(false);
    document.dispatchEvent(new (win().KeyboardEvent)('keydown', { key: 'Escape', bubbles: true }));
    userClick(rowButton('Power users'));
    userClick(deepAll('[aria-haspopup="menu"]', openMenus()[0]!)[0]!);
    await Promise.resolve();
    expect(ownItems('clevertap')).toHaveLength(0);
  });
});

describe('a menu that appears 500 ms after the click', () => {
  it('is decorated when it appears', async () => {
    await openFixture(`${BASE}/lexicon?menuDelay=500#cohorts`);
    start(1500);
    userClick(rowButton('Power users'));
    expect(openMenus()).toHaveLength(0);
    await waitFor(() => openMenus().length === 1, 2000);
    userClick(deepAll('[aria-haspopup="menu"]', openMenus()[0]!)[0]!);
    await Promise.resolve();
    expect(ownItems('clevertap')).toHaveLength(1);
  });
});

describe('Users report (menu kept inside a shadow root, no "Export to")', () => {
  beforeEach(async () => {
    await openFixture(`${BASE}/users#cohort_id=1005`);
    start();
  });

  const actions = () => deepAll('button[aria-label="Cohort actions"]')[0]!;

  it('adds "Export to…" with a "CleverTap" sub-item, after "Share", identified by the address', async () => {
    userClick(actions());
    const menu = openMenus()[0]!;
    expect(menu.getRootNode()).not.toBe(document);
    expect(menuLabels(menu).filter((label) => label !== 'CleverTap (Cohort Sync)')).toEqual([
      'Save as new',
      'Share',
      'Export to…',
      'Download CSV',
      'Delete',
    ]);
    const exportItem = ownItems('export-to')[0] as HTMLElement;
    expect(exportItem.getAttribute('aria-haspopup')).toBe('menu');
    exportItem.dispatchEvent(new (win().KeyboardEvent)('keydown', { key: 'ArrowRight', bubbles: true }));
    expect(exportItem.getAttribute('aria-expanded')).toBe('true');
    const item = ownItems('clevertap')[0]!;
    expect(item.textContent?.trim()).toBe('CleverTap (Cohort Sync)');
    item.dispatchEvent(new (win().KeyboardEvent)('keydown', { key: 'Enter', bubbles: true }));
    await waitFor(() => requests.length === 1);
    expect(requests[0]!.cohort).toEqual({ id: 1005, name: 'Churn risk' });
  });

  it('never adds the item twice to a menu that is shown again', () => {
    for (let round = 0; round < 10; round += 1) {
      userClick(actions());
      expect(ownItems('export-to')).toHaveLength(1);
      expect(ownItems('clevertap')).toHaveLength(1);
      userClick(actions());
    }
  });
});

describe('pages and menus that are not a cohort’s', () => {
  it('leaves a report’s menu alone', async () => {
    await openFixture(`${BASE}/insights`);
    start();
    userClick(deepAll('mp-icon-button')[0]!.shadowRoot!.querySelector('button')!);
    expect(openMenus()).toHaveLength(1);
    expect(ownItems('export-to')).toHaveLength(0);
    expect(overlay.armed).toBe(false);
  });

  it('finds the item after client-side navigation', async () => {
    await openFixture(`${BASE}/insights`);
    start();
    const nav = document.querySelector('mp-app')!.shadowRoot!.querySelector('nav')!;
    userClick(Array.from(nav.querySelectorAll('a')).find((link) => link.textContent === 'Lexicon')!);
    await waitFor(() => deepAll('[role="row"]').length > 50);
    expect(win().location.pathname).toMatch(/\/app\/lexicon$/);
    userClick(rowButton('Power users'));
    userClick(deepAll('[aria-haspopup="menu"]', openMenus()[0]!)[0]!);
    await Promise.resolve();
    expect(ownItems('clevertap')).toHaveLength(1);
  });

  it('does not take a report’s menu for the cohort opened before it', async () => {
    await openFixture(`${BASE}/lexicon#cohorts`);
    start(5000);
    userClick(rowButton('Power users'));
    document.dispatchEvent(new (win().KeyboardEvent)('keydown', { key: 'Escape', bubbles: true }));
    const nav = document.querySelector('mp-app')!.shadowRoot!.querySelector('nav')!;
    userClick(Array.from(nav.querySelectorAll('a')).find((link) => link.textContent === 'Insights')!);
    userClick(deepAll('mp-icon-button')[0]!.shadowRoot!.querySelector('button')!);
    expect(openMenus()).toHaveLength(1);
    expect(ownItems('export-to')).toHaveLength(0);
  });

  it('does no work on a heavy stream of unrelated mutations', async () => {
    await openFixture(`${BASE}/lexicon?churn=1#cohorts`);
    start();
    const ticker = deepAll('mp-live-ticker')[0]!;
    const startTick = Number(ticker.getAttribute('data-tick') ?? 0);
    const spy = vi.spyOn(Element.prototype, 'querySelectorAll');
    // 25 bursts of 80 mutations each, every one delivered to any observer before the next tick.
    await waitFor(() => Number(ticker.getAttribute('data-tick')) >= startTick + 25);
    expect(overlay.armed).toBe(false);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    document.querySelector('mp-app')!.remove();
  });
});
