/**
 * The overlay's engine: notices a click on a cohort's "…" button, watches (only then, and only
 * briefly) for the menu it opens, and adds **Export to > CleverTap** to it in the same frame.
 *
 * Costs nothing while the user does not open a cohort menu: no polling, no observer. After such a
 * click, one MutationObserver watches the document body and the shadow roots on the click's path,
 * and looks only at added elements (see `mayBringMenu`). Everything stops with `signal`.
 */
import { cohortFromPath, type CohortRef } from './cohort';
import { composedParent, isElement, isShadowRoot, OWN_ATTRIBUTE } from './dom';
import { ensureOwnSubmenu, insertCleverTapItem, insertExportToItem } from './item';
import {
  controlledMenu,
  findExportToItem,
  isExportSubmenu,
  isMenu,
  looksLikeCohortMenu,
  mayBringMenu,
  menusIn,
} from './menu';
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
  at: number;
}

export interface Overlay {
  /** Whether an observer is connected (for tests: none while idle). */
  readonly armed: boolean;
  /** Menus decorated so far (for tests). */
  readonly decorated: number;
}

const TRIGGER_KEYS = new Set(['Enter', ' ', 'ArrowDown']);

export function startOverlay(options: OverlayOptions): Overlay {
  const { document: doc, signal, onExport } = options;
  const armMs = options.armMs ?? 4000;
  const view = doc.defaultView!;
  let trigger: Trigger | null = null;
  let observer: MutationObserver | null = null;
  const observedRoots = new Set<Node>();
  let disarmTimer: ReturnType<typeof setTimeout> | undefined;
  const cohortMenus = new Set<Element>();
  const added = new Set<Element>();
  let decorated = 0;

  const listen = <K extends keyof DocumentEventMap>(type: K, handler: (event: DocumentEventMap[K]) => void) =>
    doc.addEventListener(type, handler as EventListener, { capture: true, signal });

  const onTrigger = (event: Event) => {
    if (!isMixpanelProjectUrl(view.location.href)) return;
    const path = event.composedPath();
    const cohort = cohortFromPath(path, view.location.href);
    if (!cohort) {
      // Inside an open menu (e.g. towards "Export to"): the cohort stays. Anywhere else: forget it,
      // so a menu that opens next (a report's) is never taken for the cohort's.
      const inMenu = path.some((target) => isElement(target) && (isMenu(target) || target.hasAttribute(OWN_ATTRIBUTE)));
      if (!inMenu) {
        trigger = null;
        disarm();
      }
      return;
    }
    const projectId = projectIdFromUrl(view.location.href)!;
    const button = path.filter(isElement).find((element) => element.matches('button,[role="button"],a,[aria-haspopup]'));
    trigger = { cohort, projectId, button: (button as HTMLElement | undefined) ?? null, at: Date.now() };
    arm(path);
  };
  listen('pointerdown', onTrigger);
  listen('click', onTrigger);
  listen('keydown', (event) => {
    if (TRIGGER_KEYS.has(event.key)) onTrigger(event);
  });

  function observe(root: Node): void {
    if (!observer || observedRoots.has(root)) return;
    observedRoots.add(root);
    observer.observe(root, { childList: true, subtree: true });
  }

  function arm(path: readonly EventTarget[]): void {
    observer ??= new view.MutationObserver(onMutations);
    if (doc.body) observe(doc.body);
    // Menus rendered inside a shadow root on the click's way up (e.g. the Users report).
    for (const target of path) if (isShadowRoot(target)) observe(target);
    // A menu that is already in place (kept in the DOM and shown again) is decorated now.
    for (const root of observedRoots) {
      for (const menu of Array.from((root as ParentNode).querySelectorAll('[role="menu"]'))) consider(menu);
    }
    scheduleDisarm();
  }

  function scheduleDisarm(): void {
    clearTimeout(disarmTimer);
    disarmTimer = setTimeout(() => {
      for (const menu of cohortMenus) if (!menu.isConnected) cohortMenus.delete(menu);
      // Stay armed while a decorated menu is open: its "Export to" sub-menu may still appear.
      if (cohortMenus.size > 0 && [...cohortMenus].some(isShown)) scheduleDisarm();
      else disarm();
    }, armMs);
  }

  function disarm(): void {
    clearTimeout(disarmTimer);
    observer?.disconnect();
    observer = null;
    observedRoots.clear();
    cohortMenus.clear();
  }

  function onMutations(records: MutationRecord[]): void {
    for (const record of records) {
      if (!mayBringMenu(record)) continue;
      for (const node of Array.from(record.addedNodes)) {
        if (!isElement(node) || node.hasAttribute(OWN_ATTRIBUTE)) continue;
        // A custom element added with a shadow root may render its menu there later.
        if (node.shadowRoot) observe(node.shadowRoot);
        for (const menu of menusIn(node)) consider(menu);
      }
    }
  }

  function consider(menu: Element): void {
    if (!trigger) return;
    if (cohortMenus.has(menu) && menu.querySelector(`[${OWN_ATTRIBUTE}]`)) return;
    const parentItem = exportItemOfOpenMenus();
    if (isExportSubmenu(menu, parentItem)) {
      const { item, added: isNew } = insertCleverTapItem(menu);
      if (isNew) wireCleverTap(item, () => menu);
      track(item);
      return;
    }
    if (!looksLikeCohortMenu(menu)) return;
    cohortMenus.add(menu);
    decorated += 1;
    scheduleDisarm();
    const nativeExport = findExportToItem(menu);
    if (nativeExport) {
      const submenu = controlledMenu(nativeExport);
      if (submenu) consider(submenu);
      return; // the app's own sub-menu gets "CleverTap" when it opens
    }
    const { item, added: isNew } = insertExportToItem(menu);
    track(item);
    if (isNew) wireOwnExportTo(menu, item as HTMLElement);
  }

  function exportItemOfOpenMenus(): Element | null {
    for (const menu of cohortMenus) {
      if (!menu.isConnected) continue;
      const item = findExportToItem(menu);
      if (item) return item;
    }
    return null;
  }

  function track(item: Element): void {
    let slot: Element = item;
    while (slot.parentElement && !isMenu(slot.parentElement)) slot = slot.parentElement;
    added.add(slot);
  }

  function activate(event: Event): void {
    event.preventDefault();
    event.stopPropagation();
    const current = trigger;
    if (!current) return;
    closeMenus();
    // After the app has closed its menu, so the click that chose the item never reaches the dialog.
    setTimeout(() => {
      if (!signal.aborted) onExport({ projectId: current.projectId, cohort: current.cohort, returnFocusTo: current.button });
    }, 0);
  }

  function closeMenus(): void {
    const menus = [...cohortMenus].filter((menu) => menu.isConnected);
    for (const menu of menus) {
      menu.dispatchEvent(
        new view.KeyboardEvent('keydown', { key: 'Escape', code: 'Escape', bubbles: true, composed: true, cancelable: true }),
      );
    }
  }

  function wireCleverTap(item: Element, menuOf: () => Element): void {
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
        }
      },
      { signal },
    );
  }

  function wireOwnExportTo(menu: Element, exportItem: HTMLElement): void {
    const { submenu, item } = ensureOwnSubmenu(menu, exportItem);
    added.add(submenu);
    wireCleverTap(item, () => submenu);
    let closeTimer: ReturnType<typeof setTimeout> | undefined;
    const open = (focus: boolean) => {
      clearTimeout(closeTimer);
      submenu.style.top = `${exportItem.offsetTop}px`;
      submenu.hidden = false;
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
    let node: Node | null = menu;
    while (node && isElement(node)) {
      if ((node as HTMLElement).hidden) return false;
      node = composedParent(node);
    }
    return menu.isConnected;
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
  };
}
