/**
 * Recognising Mixpanel's menus by what a user sees: ARIA roles and item labels, never class names.
 * A cohort's "…" menu holds items such as "Share", "Export to…" (a sub-menu of destinations), "Delete".
 */
import { byIdNear, deepQueryAll, deepText, isElement, isOwn, OWN_ATTRIBUTE } from './dom';

export const EXPORT_TO = /^export(?: to)?\s*(?:…|\.\.\.|›|>)?$/i;
export const CLEVERTAP_LABEL = 'CleverTap';
export const EXPORT_TO_LABEL = 'Export to…';

/** Labels of items that only a cohort's (or a saved entity's) overflow menu carries together. */
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
];

export function isMenu(element: Element): boolean {
  return element.getAttribute('role') === 'menu';
}

export function isMenuItem(element: Element): boolean {
  const role = element.getAttribute('role');
  return role === 'menuitem' || role === 'menuitemradio' || role === 'menuitemcheckbox';
}

/** The visible label of a menu item (aria-label wins, as it does for assistive technology). */
export function itemLabel(item: Element): string {
  const aria = item.getAttribute('aria-label')?.trim();
  return aria || deepText(item);
}

/** The items that belong to `menu` itself (not to a sub-menu nested inside it), in order. */
export function menuItems(menu: Element): Element[] {
  const items = deepQueryAll(menu, '[role="menuitem"],[role="menuitemradio"],[role="menuitemcheckbox"]');
  return items.filter((item) => owningMenu(item) === menu);
}

/** The closest menu around `element`, crossing shadow boundaries upward. */
export function owningMenu(element: Element): Element | null {
  let node: Node | null = element.parentNode;
  while (node) {
    if (isElement(node) && isMenu(node)) return node;
    node = node.nodeType === 11 ? (node as ShadowRoot).host : node.parentNode;
  }
  return null;
}

/** A menu whose items look like a cohort's overflow menu. */
export function looksLikeCohortMenu(menu: Element): boolean {
  const labels = menuItems(menu)
    .filter((item) => !isOwn(item))
    .map(itemLabel);
  const known = labels.filter((label) => COHORT_MENU_LABELS.some((pattern) => pattern.test(label)));
  return labels.some((label) => EXPORT_TO.test(label)) || known.length >= 2;
}

/** The app's own "Export to…" item of a cohort menu, if it has one. */
export function findExportToItem(menu: Element): Element | null {
  return menuItems(menu).find((item) => !isOwn(item) && EXPORT_TO.test(itemLabel(item))) ?? null;
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
 * Whether `menu` is the app's "Export to" sub-menu: labelled "Export to" (aria-label or
 * aria-labelledby), or controlled by an expanded "Export to" item (`parentItem` when known).
 */
export function isExportSubmenu(menu: Element, parentItem?: Element | null): boolean {
  if (menu.hasAttribute(OWN_ATTRIBUTE)) return false;
  const label = menu.getAttribute('aria-label')?.trim();
  if (label && EXPORT_TO.test(label)) return true;
  for (const id of (menu.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean)) {
    const labeller = byIdNear(menu, id);
    if (labeller && EXPORT_TO.test(itemLabel(labeller))) return true;
  }
  if (parentItem && controlledMenu(parentItem) === menu) return true;
  // A sub-menu that opened while the "Export to" item is expanded, and is not itself a cohort menu.
  return !!parentItem && parentItem.getAttribute('aria-expanded') === 'true' && !looksLikeCohortMenu(menu);
}

/** Menus in `node` itself, its light DOM and its open shadow roots. */
export function menusIn(node: Node): Element[] {
  if (!isElement(node)) return [];
  // Hot path (every added subtree while armed): without shadow roots below, the native selector
  // engine finds menus far faster than matching element by element.
  const found = hostsShadowRoot(node)
    ? deepQueryAll(node, MENU_SELECTOR)
    : [...(node.matches(MENU_SELECTOR) ? [node] : []), ...Array.from(node.querySelectorAll(MENU_SELECTOR))];
  return found.filter((menu) => !menu.hasAttribute(OWN_ATTRIBUTE));
}

const MENU_SELECTOR = '[role="menu"]';

function hostsShadowRoot(element: Element): boolean {
  if (element.shadowRoot) return true;
  const descendants = element.getElementsByTagName('*');
  for (let index = 0; index < descendants.length; index++) if (descendants[index]!.shadowRoot) return true;
  return false;
}

/**
 * The mutation filter: only an added element can bring a menu (text, comments, attribute and
 * character-data changes never do), and nothing the overlay added itself counts.
 */
export function mayBringMenu(record: MutationRecord): boolean {
  if (record.type !== 'childList' || record.addedNodes.length === 0) return false;
  for (const node of Array.from(record.addedNodes)) {
    if (isElement(node) && !node.hasAttribute(OWN_ATTRIBUTE)) return true;
  }
  return false;
}
