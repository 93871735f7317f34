/**
 * The overlay's engine: notices a click on a cohort's "…" button, watches (only then, and only
 * briefly) for the menu it opens, and adds our item to it in the same frame.
 *
 * Costs nothing while the user does not open a cohort menu: no polling, no observer. After such a
 * click, one MutationObserver watches the document body and every open shadow root it can reach
 * from the click (at any depth, and roots attached later), for added elements and for class /
 * `open` / `hidden` changes (Panel's menus are built once, kept in the DOM and shown by a class).
 * Everything stops with `signal`.
 */
import type { CohortRef } from '../cohorts';
import { cohortFromPath, rowOfPath } from './cohort';
import { composedContains, composedParent, deepActiveElement, isElement, isOwn, isShadowRoot, OWN_ATTRIBUTE } from './dom';
import { ensureOwnSubmenu, insertCleverTapItem, insertExportToItem, insertFlatExportItem, ownItem, placeSubmenu } from './item';
import {
  controlledMenu,
  findExportToItem,
  flatExportItems,
  isDisabled,
  isExportSubmenu,
  isRoleMenu,
  lightMenusIn,
  looksLikeCohortMenu,
  menuItems,
  MENU_SELECTOR,
  pathInMenu,
} from './menu';
import { buildPageReport, type PageReport } from './page-report';
import { isMixpanelProjectUrl, projectIdFromUrl } from './urls';

export interface ExportRequest {
  projectId: number;
  cohort: CohortRef;
  /** Where focus goes back to when the dialog closes: the "…" button that opened the menu. */
  returnFocusTo: HTMLElement | null;
}

export interface OverlayOptions {
  document: Document;
  signal: AbortSignal;
  onExport(request: ExportRequest): void;
  /** How long after a click a menu may still appear (the app may render it late). */
  armMs?: number;
}

interface Trigger {
  cohort: CohortRef;
  projectId: number;
  button: HTMLElement | null;
  target: Element | null;
  row: Element | null;
  /** Menu-like elements seen open since the click (for the "page defeats us" report). */
  seen: Set<Element>;
  /** Whether one of our items went into a menu since the click. */
  placed: boolean;
  /** A cohort menu with an enabled native "Export to..." was found: its panel is awaited. */
  awaitingPanel: boolean;
  /** The native "Export to..." was pointed at or chosen. */
  exportChosen: boolean;
}

export interface Overlay {
  /** Whether an observer is connected (for tests: none while idle). */
  readonly armed: boolean;
  /** Menus decorated so far (for tests). */
  readonly decorated: number;
  /** The last cohort click's report: what the page showed, and whether our item found a place. */
  readonly report: PageReport | null;
}

const TRIGGER_KEYS = new Set(['Enter', ' ', 'ArrowDown']);
const WATCHED_ATTRIBUTES = ['class', 'open', 'hidden', 'aria-expanded', 'aria-hidden'];
const PENDING_FRAMES = 30;

export function startOverlay(options: OverlayOptions): Overlay {
  const { document: doc, signal, onExport } = options;
  const armMs = options.armMs ?? 4000;
  const view = doc.defaultView!;
  let trigger: Trigger | null = null;
  let observer: MutationObserver | null = null;
  const observedRoots = new Set<Node>();
  /** Custom elements met without a shadow root yet: it may be attached after they connect. */
  const pendingHosts = new Map<Element, number>();
  let pendingFrame = 0;
  let disarmTimer: ReturnType<typeof setTimeout> | undefined;
  const cohortMenus = new Set<Element>();
  const panels = new Set<Element>();
  const added = new Set<Element>();
  const wired = new WeakSet<Element>();
  /** Our item that held keyboard focus, kept while a re-render removes it, so its replacement takes focus. */
  let focusedOwn: Element | null = null;
  let decorated = 0;
  let report: PageReport | null = null;

  const listen = <K extends keyof DocumentEventMap>(type: K, handler: (event: DocumentEventMap[K]) => void) =>
    doc.addEventListener(type, handler as EventListener, { capture: true, signal });

  const onTrigger = (event: Event) => {
    if (!isMixpanelProjectUrl(view.location.href)) return;
    const path = event.composedPath();
    // Inside an open menu (e.g. towards "Export to"): the cohort stays.
    if (pathInMenu(path) || path.some((target) => isElement(target) && (cohortMenus.has(target) || panels.has(target)))) {
      noteExportChoice(path);
      return;
    }
    const cohort = cohortFromPath(path, view.location.href);
    if (!cohort) {
      // Anywhere else: forget it, so a menu that opens next (a report's) is never taken for the cohort's.
      if (trigger) finishTrigger();
      trigger = null;
      disarm();
      return;
    }
    const projectId = projectIdFromUrl(view.location.href)!;
    const elements = path.filter(isElement);
    const button =
      elements.find((element) => element.matches('button,[role="button"],a[href],[tabindex],[aria-haspopup]')) ??
      elements.find((element) => element.localName.includes('-') && element.shadowRoot);
    const same = trigger && trigger.target === elements[0];
    if (!same) {
      if (trigger) finishTrigger();
      focusedOwn = null; // a new menu: focus is the app's until the user moves it to our item
      trigger = {
        cohort,
        projectId,
        button: (button as HTMLElement | undefined) ?? null,
        target: elements[0] ?? null,
        row: rowOfPath(path),
        seen: new Set(),
        placed: false,
        awaitingPanel: false,
        exportChosen: false,
      };
    }
    arm(path);
  };
  listen('pointerdown', onTrigger);
  listen('click', onTrigger);
  listen('keydown', (event) => {
    if (TRIGGER_KEYS.has(event.key)) onTrigger(event);
  });

  /** Pointing at or choosing the native "Export to...": its panel should follow. */
  function noteExportChoice(path: readonly EventTarget[]): void {
    if (!trigger) return;
    for (const menu of cohortMenus) {
      const item = findExportToItem(menu);
      if (item && path.includes(item)) trigger.exportChosen = true;
    }
  }

  function observe(root: Node): void {
    if (!observer || observedRoots.has(root)) return;
    observedRoots.add(root);
    observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: WATCHED_ATTRIBUTES });
  }

  function arm(path: readonly EventTarget[]): void {
    observer ??= new view.MutationObserver(onMutations);
    const before = new Set(observedRoots);
    if (doc.body) observe(doc.body);
    // Menus rendered inside a shadow root on the click's way up (the trigger's own, the table's).
    for (const target of path) if (isShadowRoot(target)) observe(target);
    // A menu already in place (kept in the DOM and shown again), at any depth: each root is walked
    // once per arming (the pointerdown and the click of one press arm twice).
    for (const root of Array.from(observedRoots)) if (!before.has(root)) visitScope(root as ParentNode);
    scheduleDisarm();
  }

  function scheduleDisarm(): void {
    clearTimeout(disarmTimer);
    disarmTimer = setTimeout(() => {
      for (const menu of cohortMenus) if (!menu.isConnected) cohortMenus.delete(menu);
      // Stay armed while a decorated menu is open: its "Export to" panel may still appear.
      if ([...cohortMenus].some(isShown)) scheduleDisarm();
      else {
        finishTrigger();
        disarm();
      }
    }, armMs);
  }

  function disarm(): void {
    clearTimeout(disarmTimer);
    observer?.disconnect();
    observer = null;
    observedRoots.clear();
    pendingHosts.clear();
    if (pendingFrame) view.cancelAnimationFrame(pendingFrame);
    pendingFrame = 0;
    cohortMenus.clear();
    panels.clear();
  }

  /** The report of the click that just ended; a miss is when a menu showed and nothing of ours found a place. */
  function finishTrigger(): void {
    const current = trigger;
    if (!current) return;
    const menus = [...current.seen].filter((menu) => menu.isConnected);
    const missed = !current.placed && menus.length > 0 && (!current.awaitingPanel || current.exportChosen);
    report = buildPageReport({ url: view.location.href, missed, trigger: current.target, row: current.row, menus });
  }

  // -------------------------------------------------------------------------------------------
  // Finding menus

  /** Walks `element` and every open shadow root below it: observes roots, considers menus. */
  function visit(element: Element): void {
    if (element.hasAttribute(OWN_ATTRIBUTE)) return;
    if (element.matches(MENU_SELECTOR)) consider(element);
    noteHost(element);
    visitScope(element);
  }

  function visitScope(scope: ParentNode): void {
    if (isElement(scope) && scope.shadowRoot) {
      observe(scope.shadowRoot);
      visitScope(scope.shadowRoot);
    }
    const all = scope.querySelectorAll('*');
    for (let index = 0; index < all.length; index++) {
      const element = all[index]!;
      if (element.hasAttribute(OWN_ATTRIBUTE)) continue;
      if (element.shadowRoot) {
        observe(element.shadowRoot);
        visitScope(element.shadowRoot);
      } else if (element.localName.includes('-')) {
        noteHost(element);
      }
    }
    for (const menu of Array.from(scope.querySelectorAll(MENU_SELECTOR))) if (!isOwn(menu)) consider(menu);
  }

  /** A custom element that has no shadow root yet: looked at again for a few frames. */
  function noteHost(element: Element): void {
    if (element.shadowRoot || !element.localName.includes('-') || pendingHosts.has(element)) return;
    pendingHosts.set(element, PENDING_FRAMES);
    pendingFrame ||= view.requestAnimationFrame(checkPendingHosts);
  }

  function checkPendingHosts(): void {
    pendingFrame = 0;
    if (!observer) return;
    for (const [host, frames] of Array.from(pendingHosts)) {
      if (host.shadowRoot) {
        pendingHosts.delete(host);
        if (!observedRoots.has(host.shadowRoot)) visit(host);
      } else if (frames <= 1 || !host.isConnected) {
        pendingHosts.delete(host);
      } else {
        pendingHosts.set(host, frames - 1);
      }
    }
    if (pendingHosts.size > 0) pendingFrame = view.requestAnimationFrame(checkPendingHosts);
  }

  function onMutations(records: MutationRecord[]): void {
    let removed = false;
    for (const record of records) {
      if (record.type === 'attributes') {
        const target = record.target as Element;
        if (isOwn(target) || isInsideKnownMenu(target)) continue;
        if (target.shadowRoot || target.localName.includes('-') || target.matches(MENU_SELECTOR)) visit(target);
        else if (target.firstElementChild) for (const menu of lightMenusIn(target)) consider(menu);
        continue;
      }
      // A re-render inside a decorated menu may have dropped our item.
      if (record.removedNodes.length > 0 && !removed && isInsideKnownMenu(record.target as Element)) removed = true;
      const nodes = record.addedNodes;
      for (let index = 0; index < nodes.length; index++) {
        const node = nodes[index]!;
        if (node.nodeType !== 1) continue;
        const element = node as Element;
        // Hot path: a leaf (a chart's bar, a text span) brings no menu and no shadow root.
        if (element.firstElementChild === null && element.shadowRoot === null) {
          const tag = element.localName;
          if (tag.includes('-')) noteHost(element);
          else if ((tag === 'ul' || tag === 'ol' || element.hasAttribute('role')) && element.matches(MENU_SELECTOR)) consider(element);
          continue;
        }
        if (!element.hasAttribute(OWN_ATTRIBUTE)) visit(element);
      }
    }
    if (removed) restoreLostItems();
  }

  function isInsideKnownMenu(element: Element): boolean {
    for (const menu of cohortMenus) if (menu.contains(element)) return true;
    for (const panel of panels) if (panel.contains(element)) return true;
    return false;
  }

  /** A re-render that dropped our item (or the whole list): put it back where it belongs. */
  function restoreLostItems(): void {
    for (const menu of Array.from(cohortMenus)) {
      if (!menu.isConnected) {
        cohortMenus.delete(menu);
        continue;
      }
      if (!menu.querySelector(`[${OWN_ATTRIBUTE}]`) && !findUsableExport(menu)) decorate(menu);
    }
    for (const panel of Array.from(panels)) {
      if (!panel.isConnected) panels.delete(panel);
      else if (!ownItem(panel, 'clevertap')) addToPanel(panel);
    }
  }

  function findUsableExport(menu: Element): Element | null {
    const item = findExportToItem(menu);
    return item && !isDisabled(item) ? item : null;
  }

  function consider(menu: Element): void {
    if (!trigger || menu.hasAttribute(OWN_ATTRIBUTE)) return;
    if (!trigger.seen.has(menu) && menu.firstElementChild && menuItems(menu).length > 0 && isShown(menu)) trigger.seen.add(menu);
    if (panels.has(menu)) {
      if (!ownItem(menu, 'clevertap')) addToPanel(menu);
      return;
    }
    if (cohortMenus.has(menu)) {
      if (!findUsableExport(menu) && !menu.querySelector(`[${OWN_ATTRIBUTE}]`)) decorate(menu);
      return;
    }
    const parentItem = exportItemOfOpenMenus();
    if (parentItem && isExportSubmenu(menu, parentItem)) {
      panels.add(menu);
      addToPanel(menu);
      return;
    }
    if (!looksLikeCohortMenu(menu)) return;
    cohortMenus.add(menu);
    decorated += 1;
    scheduleDisarm();
    const nativeExport = findUsableExport(menu);
    if (nativeExport) {
      trigger.awaitingPanel = true;
      watchExportItem(nativeExport);
      const submenu = controlledMenu(nativeExport);
      if (submenu) consider(submenu);
      return; // the app's own panel gets "CleverTap (Cohort Sync)" when it opens
    }
    decorate(menu);
  }

  function decorate(menu: Element): void {
    if (!trigger) return;
    if (flatExportItems(menu).length > 0 || !isRoleMenu(menu)) {
      const { item, added: isNew } = insertFlatExportItem(menu);
      track(menu, item);
      if (isNew) wireItem(item, () => menu);
      return;
    }
    const { item, added: isNew } = insertExportToItem(menu);
    track(menu, item);
    if (isNew) wireOwnExportTo(menu, item as HTMLElement);
  }

  function addToPanel(panel: Element): void {
    const { item, added: isNew } = insertCleverTapItem(panel);
    track(panel, item);
    if (isNew) wireItem(item, () => panel);
  }

  function watchExportItem(item: Element): void {
    if (wired.has(item)) return;
    wired.add(item);
    const chosen = () => {
      if (trigger) trigger.exportChosen = true;
    };
    item.addEventListener('pointerenter', chosen, { signal });
    item.addEventListener('keydown', chosen, { signal });
  }

  function exportItemOfOpenMenus(): Element | null {
    for (const menu of cohortMenus) {
      if (!menu.isConnected) continue;
      const item = findUsableExport(menu);
      if (item) return item;
    }
    return null;
  }

  function track(menu: Element, item: Element): void {
    let slot: Element = item;
    while (slot.parentElement && slot.parentElement !== menu) slot = slot.parentElement;
    added.add(slot);
    if (trigger) trigger.placed = true;
  }

  // -------------------------------------------------------------------------------------------
  // Our items

  function activate(event: Event): void {
    event.preventDefault();
    event.stopPropagation();
    const current = trigger;
    if (!current) return;
    current.placed = true;
    closeMenus();
    // After the app has closed its menu, so the click that chose the item never reaches the dialog.
    setTimeout(() => {
      if (!signal.aborted) onExport({ projectId: current.projectId, cohort: current.cohort, returnFocusTo: current.button });
    }, 0);
  }

  /** Closes the app's menus the ways a user would: Escape, then a press outside them. */
  function closeMenus(): void {
    const menus = [...cohortMenus, ...panels].filter((menu) => menu.isConnected);
    const escape = () =>
      new view.KeyboardEvent('keydown', { key: 'Escape', code: 'Escape', bubbles: true, composed: true, cancelable: true });
    for (const menu of menus) menu.dispatchEvent(escape());
    if (!menus.some(isShown)) return;
    (trigger?.button ?? doc.body).dispatchEvent(escape());
    if (!menus.some(isShown)) return;
    for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click']) {
      const init = { bubbles: true, composed: true, cancelable: true, clientX: 0, clientY: 0 };
      const Event = type.startsWith('pointer') && view.PointerEvent ? view.PointerEvent : view.MouseEvent;
      doc.documentElement.dispatchEvent(new Event(type, init));
    }
  }

  function wireItem(item: Element, menuOf: () => Element): void {
    takeFocusFromRemoved(item);
    item.addEventListener('focus', () => (focusedOwn = item), { signal });
    item.addEventListener(
      'blur',
      // A blur caused by removal (some engines fire one) keeps the note, so the re-inserted item gets focus back.
      () =>
        queueMicrotask(() => {
          if (item.isConnected && focusedOwn === item) focusedOwn = null;
        }),
      { signal },
    );
    item.addEventListener('click', activate, { signal });
    item.addEventListener(
      'keydown',
      (event) => {
        const key = (event as KeyboardEvent).key;
        if (key === 'Enter' || key === ' ') activate(event);
        if (key === 'ArrowLeft' || key === 'Escape') {
          const menu = menuOf();
          if (menu.getAttribute(OWN_ATTRIBUTE) === 'submenu') {
            event.preventDefault();
            event.stopPropagation();
            (menu as HTMLElement).hidden = true;
            const owner = menu.previousElementSibling?.matches(`[${OWN_ATTRIBUTE}="export-to"]`)
              ? menu.previousElementSibling
              : menu.previousElementSibling?.querySelector(`[${OWN_ATTRIBUTE}="export-to"]`);
            owner?.setAttribute('aria-expanded', 'false');
            (owner as HTMLElement | null)?.focus();
          }
        } else if (!isRoleMenu(menuOf()) && (key === 'ArrowUp' || key === 'ArrowDown')) {
          // The app moves its own highlight; ours gives the keyboard back to it.
          (item as HTMLElement).blur();
        }
      },
      { signal },
    );
  }

  /**
   * An app that rebuilds its list while the user has Tab-ed onto our item drops the focus with the
   * node. Its replacement takes focus when nothing else has it since.
   */
  function takeFocusFromRemoved(item: Element): void {
    const previous = focusedOwn;
    if (!previous || previous.isConnected || previous.getAttribute(OWN_ATTRIBUTE) !== item.getAttribute(OWN_ATTRIBUTE)) return;
    const active = deepActiveElement(doc);
    if (active && active !== doc.body && !composedContains(active, item)) return;
    focusedOwn = item;
    (item as HTMLElement).focus();
  }

  function wireOwnExportTo(menu: Element, exportItem: HTMLElement): void {
    const { submenu, item } = ensureOwnSubmenu(menu, exportItem);
    added.add(submenu);
    wireItem(item, () => submenu);
    let closeTimer: ReturnType<typeof setTimeout> | undefined;
    const open = (focus: boolean) => {
      clearTimeout(closeTimer);
      submenu.hidden = false;
      placeSubmenu(menu, exportItem, submenu);
      exportItem.setAttribute('aria-expanded', 'true');
      if (focus) (item as HTMLElement).focus();
    };
    const close = () => {
      closeTimer = setTimeout(() => {
        submenu.hidden = true;
        exportItem.setAttribute('aria-expanded', 'false');
      }, 150);
    };
    const on = (target: Element, type: string, handler: (event: Event) => void) =>
      target.addEventListener(type, handler, { signal });
    on(exportItem, 'mouseenter', () => open(false));
    on(exportItem, 'mouseleave', close);
    on(submenu, 'mouseenter', () => clearTimeout(closeTimer));
    on(submenu, 'mouseleave', close);
    on(exportItem, 'click', (event) => {
      event.preventDefault();
      event.stopPropagation();
      open(true);
    });
    on(exportItem, 'keydown', (event) => {
      const key = (event as KeyboardEvent).key;
      if (key === 'ArrowRight' || key === 'Enter' || key === ' ') {
        event.preventDefault();
        event.stopPropagation();
        open(true);
      }
    });
  }

  function isShown(menu: Element): boolean {
    if (!menu.isConnected) return false;
    const check = (menu as Element & { checkVisibility?: () => boolean }).checkVisibility;
    if (typeof check === 'function') return check.call(menu);
    let node: Node | null = menu;
    while (node && isElement(node)) {
      if ((node as HTMLElement).hidden) return false;
      node = composedParent(node);
    }
    return true;
  }

  signal.addEventListener(
    'abort',
    () => {
      disarm();
      for (const element of added) element.remove();
      added.clear();
      trigger = null;
    },
    { once: true },
  );

  return {
    get armed() {
      return observer !== null;
    },
    get decorated() {
      return decorated;
    },
    get report() {
      if (trigger && observer) finishTrigger();
      return report;
    },
  };
}
