/**
 * Recognising Mixpanel's menus by structure and what a user reads, never by class names: a
 * `[role=menu]` with menu items, a listbox with options, or a plain `ul`/`ol` of `li` items (the
 * Panel components' `mp-items-menu` renders `ul > li.list-option[aria-label]` with no roles).
 * Labels come from `aria-label` first, then text. A cohort's "…" menu holds items such as View
 * Users, Visualize Trend, Refresh Count, Export to..., Duplicate, Delete, Share.
 */
import { byIdNear, deepQueryAll, deepText, isElement, isOwn, OWN_ATTRIBUTE } from './dom';
import { CONNECTION_ENTRY, PARTNER } from './partners';

const EXPORT_TO = /^export(?: to)?\s*(?:…|\.\.\.|›|>)?$/i;
/** "Export to Braze": the flat, older style (one item per destination). "Export to CSV" is a report's. */
const FLAT_EXPORT = /^export to\s+(?!csv\b)(?![.…›>])\S/i;
/** Our entry in the native Export panel, named like the app's "Partner (Connection)" entries. */
export const CLEVERTAP_LABEL = 'CleverTap (Cohort Sync)';
/** Our flat item, next to "Export to Braze" and the like. */
export const FLAT_EXPORT_LABEL = 'Export to CleverTap (Cohort Sync)';
export const EXPORT_TO_LABEL = 'Export to…';

/** Labels only a cohort's (or the cohort builder's) overflow menu carries together. */
const COHORT_MENU_LABELS = [
  /^share(?:…|\.\.\.)?$/i,
  /^delete(?:…|\.\.\.)?$/i,
  /^verify$/i,
  /^duplicate$/i,
  /^download(?: as)? csv$/i,
  /^export(?: to)?/i,
  /^save as new/i,
  /^edit(?: cohort)?$/i,
  /^rename$/i,
  /^view users$/i,
  /^visuali[sz]e trend$/i,
  /^refresh(?: count)?$/i,
];

/** Labels that mark a report's or a board's menu: such a menu is never a cohort's. */
const OTHER_MENU_LABELS = [
  /^refresh data$/i,
  /^export (?:to )?csv$/i,
  /^add to (?:a )?board$/i,
  /^filter$/i,
  /^breakdown$/i,
  /^(?:text|report) card$/i,
];

export const MENU_SELECTOR = '[role="menu"],[role="listbox"],ul,ol';
const ROLE_ITEMS = '[role="menuitem"],[role="menuitemradio"],[role="menuitemcheckbox"]';

function isMenu(element: Element): boolean {
  return element.matches(MENU_SELECTOR);
}

/** Whether `element` is a menu built with ARIA roles (items are then `role=menuitem`). */
export function isRoleMenu(element: Element): boolean {
  return element.getAttribute('role') === 'menu';
}

function isMenuItem(element: Element): boolean {
  const role = element.getAttribute('role');
  return role === 'menuitem' || role === 'menuitemradio' || role === 'menuitemcheckbox';
}

/** Hosts and wrappers of Panel's menus: anything inside them is "in a menu", never a row. */
const MENU_HOSTS = /^(?:mp-drop-menu|mp-items-menu)(?:-|$)/i;

/** Whether a click on this path happened inside an open menu (native or ours). */
export function pathInMenu(path: readonly EventTarget[]): boolean {
  for (const target of path) {
    if (!isElement(target)) continue;
    if (target.hasAttribute(OWN_ATTRIBUTE) || isMenuItem(target)) return true;
    const role = target.getAttribute('role');
    if (role === 'menu' || role === 'listbox' || role === 'option') return true;
    if (MENU_HOSTS.test(target.localName)) return true;
  }
  return false;
}

/** The visible label of a menu item (aria-label wins, as it does for assistive technology). */
export function itemLabel(item: Element): string {
  const aria = item.getAttribute('aria-label')?.trim();
  return aria || deepText(item);
}

/** The items that belong to `menu` itself (not to a sub-menu nested inside it), in order. */
export function menuItems(menu: Element): Element[] {
  if (isRoleMenu(menu)) return deepQueryAll(menu, ROLE_ITEMS).filter((item) => owningMenu(item) === menu);
  if (menu.getAttribute('role') === 'listbox') {
    return Array.from(menu.querySelectorAll('[role="option"]')).filter((item) => item.closest('[role="listbox"]') === menu);
  }
  return Array.from(menu.querySelectorAll('li')).filter((item) => item.parentElement?.closest('ul,ol') === menu);
}

/** The closest role-based menu around `element`, crossing shadow boundaries upward. */
function owningMenu(element: Element): Element | null {
  let node: Node | null = element.parentNode;
  while (node) {
    if (isElement(node) && isRoleMenu(node)) return node;
    node = node.nodeType === 11 ? (node as ShadowRoot).host : node.parentNode;
  }
  return null;
}

export function isDisabled(item: Element): boolean {
  return (
    item.getAttribute('aria-disabled') === 'true' ||
    item.hasAttribute('disabled') ||
    item.classList.contains('disabled') ||
    item.classList.contains('is-disabled')
  );
}

const nativeLabels = (menu: Element) =>
  menuItems(menu)
    .filter((item) => !isOwn(item))
    .map(itemLabel);

/** A menu whose items look like a cohort's overflow menu, and not like a report's or a board's. */
export function looksLikeCohortMenu(menu: Element): boolean {
  if (menu.hasAttribute(OWN_ATTRIBUTE)) return false;
  const labels = nativeLabels(menu);
  if (labels.some((label) => OTHER_MENU_LABELS.some((pattern) => pattern.test(label)))) return false;
  if (labels.some((label) => EXPORT_TO.test(label) || FLAT_EXPORT.test(label))) return true;
  return labels.filter((label) => COHORT_MENU_LABELS.some((pattern) => pattern.test(label))).length >= 2;
}

/** The app's own "Export to…" item of a cohort menu, if it has one. */
export function findExportToItem(menu: Element): Element | null {
  return menuItems(menu).find((item) => !isOwn(item) && EXPORT_TO.test(itemLabel(item))) ?? null;
}

/** The app's flat "Export to <Partner>" items, in order. */
export function flatExportItems(menu: Element): Element[] {
  return menuItems(menu).filter((item) => !isOwn(item) && FLAT_EXPORT.test(itemLabel(item)));
}

/** The sub-menu an item controls, when the page links them (`aria-controls` / `aria-owns`). */
export function controlledMenu(item: Element): Element | null {
  for (const attribute of ['aria-controls', 'aria-owns']) {
    for (const id of (item.getAttribute(attribute) ?? '').split(/\s+/).filter(Boolean)) {
      const target = byIdNear(item, id);
      if (target && isMenu(target)) return target;
    }
  }
  return null;
}

/**
 * A panel of connections ("Braze (Default)", "Segment (test_segment)", "CleverTap"): every entry
 * is a partner's name or "Name (Connection)", and nothing in it is a cohort action.
 */
export function looksLikeExportPanel(menu: Element): boolean {
  if (menu.hasAttribute(OWN_ATTRIBUTE)) return false;
  const labels = nativeLabels(menu);
  if (labels.length === 0) return false;
  if (labels.some((label) => COHORT_MENU_LABELS.some((pattern) => pattern.test(label)))) return false;
  return labels.every((label) => label.length <= 80 && (PARTNER.test(label) || CONNECTION_ENTRY.test(label)));
}

/**
 * Whether `menu` is the app's "Export to" sub-menu: labelled "Export to" (aria-label or
 * aria-labelledby), controlled by the "Export to" item, or (no link at all, the Panel way) a
 * panel of connections that opened while a cohort menu with "Export to..." is open.
 */
export function isExportSubmenu(menu: Element, parentItem?: Element | null): boolean {
  if (menu.hasAttribute(OWN_ATTRIBUTE)) return false;
  const label = menu.getAttribute('aria-label')?.trim();
  if (label && EXPORT_TO.test(label)) return true;
  for (const id of (menu.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean)) {
    const labeller = byIdNear(menu, id);
    if (labeller && EXPORT_TO.test(itemLabel(labeller))) return true;
  }
  if (!parentItem) return false;
  if (controlledMenu(parentItem) === menu) return true;
  if (parentItem.getAttribute('aria-expanded') === 'true' && !looksLikeCohortMenu(menu)) return true;
  return looksLikeExportPanel(menu);
}

/** Menus in `node` itself and its light DOM (open shadow roots are walked by the caller). */
export function lightMenusIn(node: Element): Element[] {
  const found = node.matches(MENU_SELECTOR) ? [node] : [];
  if (node.firstElementChild) found.push(...Array.from(node.querySelectorAll(MENU_SELECTOR)));
  return found.filter((menu) => !isOwn(menu));
}

