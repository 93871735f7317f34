/**
 * The CleverTap entry on Mixpanel's Integrations / Destinations page: finds the list of
 * destinations by what a user sees (a list or table labelled "Integrations" / "Destinations", a
 * list whose items are named after known partners, or the 2024 page's plain `div` rows: a partner's
 * name, a description, a button), adds one entry of our own next to Mixpanel's own CleverTap
 * connector (never replacing or hiding it, never inside its table of synced cohorts), and hands the
 * entry's element to `mount`.
 *
 * The page is found by its content on any project page, not by its address (the 2026 address is
 * not public). Costs nothing while the user does nothing: after an address change it looks a few
 * times (`LOOKS_MS`) and after a click on a tab or a link (throttled); on addresses that name integrations or
 * destinations one MutationObserver (the body and the open shadow roots it meets) also waits for
 * the list, and is disconnected as soon as the entry is in place. Then only the entry's ancestors
 * are watched, children only, to notice a re-render that drops the entry (it is put back once).
 * Everything is removed when `signal` aborts.
 */
import { byIdNear, composedParent, deepText, isElement, isOwn, isShadowRoot, OWN_ATTRIBUTE } from './dom';
import { watchLocation } from './location';
import { PARTNER, PARTNER_PREFIX } from './partners';
import { isDestinationsUrl, isMixpanelProjectUrl, projectIdFromUrl, regionFromUrl } from './urls';

const ENTRY_KIND = 'integration';
/** The entry's accessible name: it says where it comes from, so it is never taken for Mixpanel's own. */
export const ENTRY_LABEL = 'CleverTap, from the Cohort Sync extension';
const INSTANCE_ATTRIBUTE = 'data-cohort-sync-instance';

const LIST_SELECTOR = '[role="list"],ul,ol,[role="table"],[role="grid"],table';
const TABLE_SELECTOR = '[role="table"],[role="grid"],[role="rowgroup"],table,tbody,thead,tr,mp-table';
const LIST_LABEL = /\b(?:integrations?|destinations?)\b/i;
const CLEVERTAP = /^clevertap\b/i;
/** What a partner row on the 2024 page carries besides its name: a button or a cohort export blurb. */
const ROW_CONTROL = 'button,[role="button"],a[href],mp-button,select';
const ROW_BLURB = /\b(?:export|sync|cohorts?|connect(?:ion|ed)?)\b/i;
const SCAN_THROTTLE_MS = 50;
const GIVE_UP_MS = 60_000;
/** After an address change, looks for the list at these delays (the page renders late). */
const LOOKS_MS = [400, 1500, 4000];
const CLICK_LOOK_MS = 600;

export interface EntryContext {
  projectId: number;
  region: 'us' | 'eu' | 'in' | null;
}

export interface IntegrationsOptions {
  document: Document;
  signal: AbortSignal;
  /** Renders the entry into `host`; `signal` aborts when the entry goes away. */
  mount(host: HTMLElement, context: EntryContext, signal: AbortSignal): void;
  /** For tests: the Navigation API object (defaults to the window's, when it has one). */
  navigation?: EventTarget | null;
}

export interface Integrations {
  /** `idle` when no list is in view, `searching` while an observer awaits it, `placed` once the entry is in. */
  readonly phase: 'idle' | 'searching' | 'placed';
  /** How many times an entry was inserted (for tests: once per page render). */
  readonly inserted: number;
}

// ---------------------------------------------------------------------------------------------
// Pure DOM matching

function isList(element: Element): boolean {
  return element.matches(LIST_SELECTOR);
}

/** The items of a list or table, in order: list items, or the rows that are not header rows. */
export function listItems(list: Element): Element[] {
  const tableLike = list.matches('[role="table"],[role="grid"],table');
  const found: Element[] = [];
  const visit = (scope: Element) => {
    for (const child of Array.from(scope.children)) {
      if (tableLike) {
        const role = child.getAttribute('role');
        if (role === 'row' || child.tagName === 'TR') {
          const header = child.querySelector('[role="columnheader"],th') && !child.querySelector('[role="cell"],[role="gridcell"],td');
          if (!header) found.push(child);
        } else if (role === 'rowgroup' || ['THEAD', 'TBODY', 'TFOOT'].includes(child.tagName)) {
          visit(child);
        }
      } else if (!['STYLE', 'SCRIPT', 'TEMPLATE'].includes(child.tagName)) {
        found.push(child);
      }
    }
  };
  visit(list);
  return found;
}

/** An item's name as the user reads it: its aria-label, its heading, else its text. */
function itemName(item: Element): string {
  const aria = item.getAttribute('aria-label')?.trim();
  if (aria) return aria;
  return deepText(item);
}

function listLabel(list: Element): string {
  const aria = list.getAttribute('aria-label')?.trim();
  if (aria) return aria;
  const ids = (list.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
  const labelled = ids.map((id) => byIdNear(list, id)).filter(isElement).map(deepText).join(' ').trim();
  if (labelled) return labelled;
  return list.tagName === 'TABLE' ? deepText(list.querySelector('caption') ?? list.ownerDocument.createElement('i')) : '';
}

function insideChrome(element: Element): boolean {
  for (let node: Node | null = element; node; node = composedParent(node)) {
    if (!isElement(node)) continue;
    if (node.matches('nav,[role="navigation"],[role="menu"],[role="menubar"],[role="tablist"],header')) return true;
  }
  return false;
}

/**
 * Whether `list` is the page's list of destinations: labelled "Integrations"/"Destinations" (with
 * at least one item), or two or more of its items are named after known partners.
 */
export function isDestinationsList(list: Element): boolean {
  if (!isList(list) || isOwn(list) || insideChrome(list)) return false;
  const items = listItems(list).filter((item) => !isOwn(item));
  if (items.length === 0) return false;
  if (LIST_LABEL.test(listLabel(list))) return true;
  // A table named after nothing is a table of cohorts (synced ones may begin with a partner's name).
  if (list.matches('[role="table"],[role="grid"],table') || insideTable(list)) return false;
  return items.filter((item) => PARTNER.test(itemName(item))).length >= 2;
}

/** Whether `element` sits in a table (a cohort table, Mixpanel's synced cohorts), up to its shadow host. */
function insideTable(element: Element): boolean {
  for (let node: Element | null = element; node; node = node.parentElement) {
    if (node.matches(TABLE_SELECTOR) || /(?:^|[\s_-])table(?:$|[\s_-])/i.test(node.getAttribute('class') ?? '')) return true;
  }
  return false;
}

/** A 2024-style row: it starts with a partner's name, and holds a button or a cohort-export blurb. */
function isPartnerRow(row: Element): boolean {
  if (row.hasAttribute(OWN_ATTRIBUTE) || ['STYLE', 'SCRIPT', 'TEMPLATE'].includes(row.tagName)) return false;
  const quick = (row.textContent ?? '').trimStart().slice(0, 60);
  if (quick && !PARTNER_PREFIX.test(quick)) return false;
  if (!PARTNER.test(itemName(row))) return false;
  return !!row.querySelector(ROW_CONTROL) || ROW_BLURB.test((row.textContent ?? '').slice(0, 400));
}

/** A container of plain `div` rows, two or more of them partners' (the 2024 Integrations page). */
export function isPartnerRowList(container: Element): boolean {
  if (container.childElementCount < 2 || isList(container) || isOwn(container)) return false;
  if (insideTable(container) || insideChrome(container)) return false;
  let rows = 0;
  for (const child of Array.from(container.children)) {
    if (isPartnerRow(child) && ++rows >= 2) return true;
  }
  return false;
}

/** Every open shadow root and destinations list under `root`; `onShadowRoot` sees each root. */
function scan(root: ParentNode, onShadowRoot: (root: ShadowRoot) => void): Element[] {
  const lists: Element[] = [];
  const visit = (scope: ParentNode) => {
    for (const element of Array.from(scope.querySelectorAll('*'))) {
      if (element.hasAttribute(OWN_ATTRIBUTE)) continue;
      if (isList(element) ? isDestinationsList(element) : isPartnerRowList(element)) lists.push(element);
      if (element.shadowRoot) {
        onShadowRoot(element.shadowRoot);
        visit(element.shadowRoot);
      }
    }
  };
  visit(root);
  return lists;
}

/** The list to join: the first one found, unless it only holds the connected destinations. */
function chooseList(lists: readonly Element[]): Element | null {
  return lists.find((list) => !/^connected\b/i.test(listLabel(list))) ?? lists[0] ?? null;
}

/** Finds the destinations list in a document, across open shadow roots. */
export function findDestinationsList(doc: Document): Element | null {
  return chooseList(scan(doc, () => undefined));
}

/** Where the entry goes: right after Mixpanel's own CleverTap, else in alphabetical order, else last. */
function placement(items: readonly Element[]): { before: Element } | { after: Element } | null {
  const native = items.filter((item) => CLEVERTAP.test(itemName(item)));
  if (native.length > 0) return { after: native[native.length - 1]! };
  const next = items.find((item) => itemName(item).localeCompare('CleverTap', 'en', { sensitivity: 'base' }) > 0);
  if (next) return { before: next };
  const last = items[items.length - 1];
  return last ? { after: last } : null;
}

/**
 * Adds the entry's slot to `list` (once per instance): an element shaped like its neighbours
 * (same tag for `li`/`tr`, same role and classes), marked as ours. Returns the slot and the
 * element to render into. Entries of an older instance (an extension reload) are removed.
 */
export function insertEntry(list: Element, instance: string): { slot: HTMLElement; host: HTMLElement; added: boolean } {
  const doc = list.ownerDocument;
  for (const stale of ownEntries(list)) {
    if (stale.getAttribute(INSTANCE_ATTRIBUTE) === instance) {
      return { slot: stale as HTMLElement, host: hostOf(stale as HTMLElement), added: false };
    }
    stale.remove();
  }
  const items = listItems(list).filter((item) => !isOwn(item));
  const where = placement(items);
  const reference = items.find((item) => !CLEVERTAP.test(itemName(item))) ?? items[0] ?? null;
  let slot: HTMLElement;
  let host: HTMLElement;
  if (reference?.tagName === 'TR' || (!reference && list.tagName === 'TABLE')) {
    slot = doc.createElement('tr');
    const cell = doc.createElement('td');
    cell.colSpan = Math.max(1, (reference as HTMLTableRowElement | null)?.cells.length ?? 1);
    slot.append(cell);
    host = cell;
  } else if (reference?.tagName === 'LI' || (!reference && /^(?:UL|OL)$/.test(list.tagName))) {
    slot = doc.createElement('li');
    host = slot;
  } else {
    slot = doc.createElement('div');
    host = slot;
  }
  const role = reference?.getAttribute('role') ?? (list.getAttribute('role') === 'list' ? 'listitem' : null);
  if (role) slot.setAttribute('role', role);
  if (role === 'row' && host !== slot) host.setAttribute('role', 'cell');
  else if (role === 'row') {
    host = doc.createElement('div');
    host.setAttribute('role', 'cell');
    slot.append(host);
  }
  const className = reference?.getAttribute('class');
  if (className) slot.setAttribute('class', className);
  slot.setAttribute(OWN_ATTRIBUTE, ENTRY_KIND);
  slot.setAttribute(INSTANCE_ATTRIBUTE, instance);
  slot.setAttribute('aria-label', ENTRY_LABEL);
  host.setAttribute('data-cohort-sync-host', '');
  if (!where) list.append(slot);
  else if ('before' in where) where.before.before(slot);
  else where.after.after(slot);
  return { slot, host, added: true };
}

function hostOf(slot: HTMLElement): HTMLElement {
  return slot.hasAttribute('data-cohort-sync-host') ? slot : (slot.querySelector<HTMLElement>('[data-cohort-sync-host]') ?? slot);
}

/** Our entries inside `list` (any instance). */
function ownEntries(list: Element): Element[] {
  return Array.from(list.querySelectorAll(`[${OWN_ATTRIBUTE}="${ENTRY_KIND}"]`));
}

// ---------------------------------------------------------------------------------------------
// The watcher

export function startIntegrations(options: IntegrationsOptions): Integrations {
  const { document: doc, signal, mount } = options;
  const view = doc.defaultView!;
  const instance = Math.random().toString(36).slice(2, 10);
  let phase: Integrations['phase'] = 'idle';
  let inserted = 0;

  let searchObserver: MutationObserver | null = null;
  const searchRoots = new Set<Node>();
  let scanTimer: ReturnType<typeof setTimeout> | undefined;
  let giveUpTimer: ReturnType<typeof setTimeout> | undefined;

  let ancestryObserver: MutationObserver | null = null;
  let entry: { slot: HTMLElement; context: EntryContext; unmount: AbortController } | null = null;

  function contextFor(url: string): EntryContext | null {
    if (!isMixpanelProjectUrl(url)) return null;
    return { projectId: projectIdFromUrl(url)!, region: regionFromUrl(url) };
  }

  const lookTimers = new Set<ReturnType<typeof setTimeout>>();
  let clickLook: ReturnType<typeof setTimeout> | undefined;

  function clearLooks(): void {
    for (const timer of lookTimers) clearTimeout(timer);
    lookTimers.clear();
  }

  function onLocation(url: string): void {
    const context = contextFor(url);
    clearLooks();
    stopSearch();
    if (!context) {
      removeEntry();
      phase = 'idle';
      return;
    }
    if (entry && (entry.context.projectId !== context.projectId || !entry.slot.isConnected || !stillAList(entry.slot))) {
      removeEntry();
    }
    if (entry) return;
    look(context, isDestinationsUrl(url));
    for (const delay of LOOKS_MS) {
      const timer = setTimeout(() => {
        lookTimers.delete(timer);
        if (!entry) look(context, false);
      }, delay);
      lookTimers.add(timer);
    }
  }

  /** After a page change without an address change, the entry's list may have gone. */
  function stillAList(slot: Element): boolean {
    const list = slot.parentElement;
    return !!list && (isList(list) ? isDestinationsList(list) : isPartnerRowList(list));
  }

  function look(context: EntryContext, search: boolean): void {
    const list = findDestinationsList(doc);
    if (list) {
      place(list, context);
      return;
    }
    if (search) armSearch();
  }

  /** A click on a tab or a link may switch views (Connected / Available) without changing the address. */
  function onClick(event: Event): void {
    if (entry || clickLook !== undefined) return;
    const onTabOrLink = event
      .composedPath()
      .slice(0, 12)
      .some((target) => isElement(target) && target.matches('[role="tab"],[role="link"],a[href]'));
    if (!onTabOrLink) return;
    clickLook = setTimeout(() => {
      clickLook = undefined;
      const context = contextFor(view.location.href);
      if (context && !entry) look(context, false);
    }, CLICK_LOOK_MS);
  }
  doc.addEventListener('click', onClick, { capture: true, passive: true, signal });

  function armSearch(): void {
    phase = 'searching';
    if (!searchObserver) {
      searchObserver = new view.MutationObserver(onSearchMutations);
      if (doc.body) observeForSearch(doc.body);
      scan(doc, observeForSearch);
      clearTimeout(giveUpTimer);
      giveUpTimer = setTimeout(stopSearch, GIVE_UP_MS);
    }
  }

  function observeForSearch(root: Node): void {
    if (!searchObserver || searchRoots.has(root)) return;
    searchRoots.add(root);
    searchObserver.observe(root, { childList: true, subtree: true });
  }

  function onSearchMutations(records: MutationRecord[]): void {
    let relevant = false;
    for (const record of records) {
      for (const node of Array.from(record.addedNodes)) {
        if (!isElement(node) || node.hasAttribute(OWN_ATTRIBUTE)) continue;
        relevant = true;
        if (node.shadowRoot) observeForSearch(node.shadowRoot);
      }
    }
    if (!relevant || scanTimer !== undefined) return;
    // Coalesce a burst of renders into one look.
    scanTimer = setTimeout(() => {
      scanTimer = undefined;
      const context = contextFor(view.location.href);
      if (!context || entry) return;
      const list = chooseList(scan(doc, observeForSearch));
      if (list) place(list, context);
    }, SCAN_THROTTLE_MS);
  }

  function stopSearch(): void {
    clearTimeout(scanTimer);
    clearTimeout(giveUpTimer);
    scanTimer = undefined;
    searchObserver?.disconnect();
    searchObserver = null;
    searchRoots.clear();
    if (phase === 'searching') phase = 'idle';
  }

  function place(list: Element, context: EntryContext): void {
    stopSearch();
    const { slot, host, added } = insertEntry(list, instance);
    if (added) inserted += 1;
    const unmount = new AbortController();
    entry = { slot, context, unmount };
    phase = 'placed';
    watchAncestry(slot);
    mount(host, context, unmount.signal);
  }

  /** Children-only observers on each ancestor of the entry (across shadow roots) up to the document. */
  function watchAncestry(slot: HTMLElement): void {
    ancestryObserver?.disconnect();
    ancestryObserver = new view.MutationObserver(() => {
      if (entry && entry.slot.isConnected) return;
      removeEntry();
      const context = contextFor(view.location.href);
      if (context) look(context, isDestinationsUrl(view.location.href));
    });
    let node: Node | null = slot.parentNode;
    while (node) {
      ancestryObserver.observe(node, { childList: true });
      node = isShadowRoot(node) ? node.host.parentNode : node.parentNode;
    }
  }

  function removeEntry(): void {
    ancestryObserver?.disconnect();
    ancestryObserver = null;
    if (!entry) return;
    entry.unmount.abort();
    entry.slot.remove();
    entry = null;
    if (phase === 'placed') phase = 'idle';
  }

  watchLocation(view, signal, onLocation, options.navigation);
  signal.addEventListener(
    'abort',
    () => {
      clearLooks();
      clearTimeout(clickLook);
      stopSearch();
      removeEntry();
      phase = 'idle';
    },
    { once: true },
  );
  onLocation(view.location.href);

  return {
    get phase() {
      return phase;
    },
    get inserted() {
      return inserted;
    },
  };
}
