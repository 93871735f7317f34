/**
 * Adds our items to a cohort menu the way the app's own items look: a clone of a native item (its
 * generated classes give font, hover and focus styles) with its label replaced and no state of
 * the native one (no focused / selected / disabled class, no id, no link). Every insertion is
 * idempotent: an item is never added twice to the same menu.
 */
import { deepText, OWN_ATTRIBUTE } from './dom';
import {
  CLEVERTAP_LABEL,
  EXPORT_TO_LABEL,
  FLAT_EXPORT_LABEL,
  findExportToItem,
  flatExportItems,
  isDisabled,
  isRoleMenu,
  itemLabel,
  menuItems,
} from './menu';

const STRIPPED_ATTRIBUTES = [
  'id',
  'href',
  'title',
  'aria-labelledby',
  'aria-describedby',
  'aria-controls',
  'aria-owns',
  'aria-haspopup',
  'aria-expanded',
  'aria-checked',
  'aria-selected',
  'aria-disabled',
  'aria-keyshortcuts',
  'disabled',
  'data-testid',
  'data-test-id',
];

/** Classes that carry an item's state rather than its look. */
const STATE_CLASS = /^(?:is-)?(?:focused|focus|selected|active|disabled|hover(?:ed)?|highlighted|checked|open|expanded)$/i;

export type ItemKind = 'clevertap' | 'export-to' | 'submenu' | 'flat';

export function ownItem(menu: Element, kind: ItemKind): Element | null {
  return menu.querySelector(`[${OWN_ATTRIBUTE}="${kind}"]`);
}

/** The direct child of `menu` holding `item` (items may be wrapped, e.g. `<li role="none">`, `<div><li>`). */
function slotOf(menu: Element, item: Element): Element {
  let node: Element = item;
  while (node.parentElement && node.parentElement !== menu) node = node.parentElement;
  return node.parentElement === menu ? node : item;
}

/** Replaces the visible label of a cloned item, in its text and in attributes that carry it. */
function relabel(root: Element, item: Element, from: string, to: string): void {
  for (const element of [root, ...Array.from(root.querySelectorAll('*'))]) {
    for (const attribute of Array.from(element.attributes)) {
      if (attribute.value.trim() === from && !attribute.name.startsWith('class')) element.setAttribute(attribute.name, to);
    }
  }
  const walker = root.ownerDocument.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node as Text);
  const exact = texts.find((text) => text.data.trim() === from);
  if (exact) {
    exact.data = exact.data.replace(from.trim(), to);
    return;
  }
  const nonEmpty = texts.filter((text) => text.data.trim());
  if (nonEmpty.length > 0) {
    nonEmpty[0]!.data = to;
    for (const text of nonEmpty.slice(1)) text.data = '';
  } else if (!item.shadowRoot && deepText(item) !== to) {
    item.append(root.ownerDocument.createTextNode(to));
  }
}

function template(menu: Element): Element | null {
  const items = menuItems(menu).filter((item) => !item.hasAttribute(OWN_ATTRIBUTE));
  const plain = items.filter(
    (item) =>
      !isDisabled(item) &&
      !item.hasAttribute('aria-haspopup') &&
      !/[.…›>]$/.test(itemLabel(item)) &&
      (!isRoleMenu(menu) || item.getAttribute('role') === 'menuitem'),
  );
  return plain[0] ?? items[0] ?? null;
}

function stripState(element: Element): void {
  for (const attribute of STRIPPED_ATTRIBUTES) element.removeAttribute(attribute);
  for (const name of Array.from(element.classList)) if (STATE_CLASS.test(name)) element.classList.remove(name);
}

/**
 * A new item labelled `label`, cloned from a native item of `menu` when it has one.
 * Returns the slot element to insert and the item inside it.
 */
function cloneItem(menu: Element, label: string, kind: ItemKind): { slot: Element; item: Element } {
  const doc = menu.ownerDocument;
  const roles = isRoleMenu(menu);
  const native = template(menu);
  if (!native) {
    const item = doc.createElement(roles ? 'div' : 'li');
    if (roles) item.setAttribute('role', 'menuitem');
    item.setAttribute('tabindex', roles ? '-1' : '0');
    item.setAttribute('aria-label', label);
    item.setAttribute(OWN_ATTRIBUTE, kind);
    item.textContent = label;
    item.style.cssText = 'padding:6px 12px;cursor:pointer;font:inherit;list-style:none;';
    return { slot: item, item };
  }
  const nativeSlot = slotOf(menu, native);
  const slot = nativeSlot.cloneNode(true) as Element;
  const item =
    nativeSlot === native
      ? slot
      : (Array.from(slot.querySelectorAll(roles ? '[role="menuitem"],[role="menuitemradio"],[role="menuitemcheckbox"]' : 'li'))[0] ?? slot);
  for (const element of [slot, ...Array.from(slot.querySelectorAll('*'))]) {
    stripState(element);
    // Icons, carets and keyboard hints belong to the native action, not ours.
    if (element !== slot && element !== item && element.matches('svg,img,kbd,[role="img"],svg-icon,.secondary-action')) element.remove();
  }
  if (roles) {
    if (item.tagName === 'A' && !item.hasAttribute('tabindex')) item.setAttribute('tabindex', '-1');
    item.setAttribute('role', 'menuitem');
  } else {
    // The app keeps keyboard focus in an index of its own: ours is reachable with Tab and Enter.
    item.setAttribute('tabindex', '0');
  }
  item.setAttribute(OWN_ATTRIBUTE, kind);
  if (slot !== item) slot.setAttribute(OWN_ATTRIBUTE, `${kind}-slot`);
  relabel(slot, item, itemLabel(native), label);
  item.setAttribute('aria-label', label);
  if (!roles) item.setAttribute('title', label);
  return { slot, item };
}

export interface InsertResult {
  item: Element;
  added: boolean;
}

/** Adds "CleverTap (Cohort Sync)" to the app's Export panel (once), after Mixpanel's own CleverTap, else last. */
export function insertCleverTapItem(submenu: Element): InsertResult {
  const existing = ownItem(submenu, 'clevertap');
  if (existing) return { item: existing, added: false };
  const { slot, item } = cloneItem(submenu, CLEVERTAP_LABEL, 'clevertap');
  const items = menuItems(submenu).filter((candidate) => !candidate.hasAttribute(OWN_ATTRIBUTE));
  const native = items.filter((candidate) => /^clevertap\b/i.test(itemLabel(candidate)));
  const after = native[native.length - 1] ?? items[items.length - 1];
  if (after) slotOf(submenu, after).after(slot);
  else submenu.append(slot);
  return { item, added: true };
}

/**
 * Adds the flat "Export to CleverTap (Cohort Sync)" item (once): after the app's last "Export to
 * <Partner>" item, else after its (disabled) "Export to...", else after "Share", else before "Delete".
 */
export function insertFlatExportItem(menu: Element): InsertResult {
  const existing = ownItem(menu, 'flat');
  if (existing) return { item: existing, added: false };
  const { slot, item } = cloneItem(menu, FLAT_EXPORT_LABEL, 'flat');
  placeAmongActions(menu, slot, [...flatExportItems(menu), findExportToItem(menu)].filter((x): x is Element => !!x).pop());
  return { item, added: true };
}

function placeAmongActions(menu: Element, slot: Element, anchor?: Element): void {
  const items = menuItems(menu).filter((candidate) => !candidate.hasAttribute(OWN_ATTRIBUTE));
  const share = items.find((candidate) => /^share/i.test(itemLabel(candidate)));
  const remove = items.find((candidate) => /^delete/i.test(itemLabel(candidate)));
  if (anchor) slotOf(menu, anchor).after(slot);
  else if (share) slotOf(menu, share).after(slot);
  else if (remove) slotOf(menu, remove).before(slot);
  else menu.append(slot);
}

/**
 * Adds an "Export to…" item to a role-based cohort menu that has none, after "Share" (else before
 * "Delete", else last), with a sub-menu holding "CleverTap (Cohort Sync)". Returns the item.
 */
export function insertExportToItem(menu: Element): InsertResult {
  const existing = ownItem(menu, 'export-to');
  if (existing) return { item: existing, added: false };
  if (findExportToItem(menu)) throw new Error('The menu already has an "Export to" item.');
  const { slot, item } = cloneItem(menu, EXPORT_TO_LABEL, 'export-to');
  item.setAttribute('aria-haspopup', 'menu');
  item.setAttribute('aria-expanded', 'false');
  placeAmongActions(menu, slot);
  return { item, added: true };
}

/**
 * Builds the sub-menu of our own "Export to…" item (once), with its "CleverTap (Cohort Sync)"
 * item: a sibling right after the item, placed beside it when opened (see `placeSubmenu`).
 */
export function ensureOwnSubmenu(menu: Element, exportItem: Element): { submenu: HTMLElement; item: Element } {
  const doc = menu.ownerDocument;
  const slot = slotOf(menu, exportItem);
  let submenu = menu.querySelector<HTMLElement>(`[${OWN_ATTRIBUTE}="submenu"]`);
  if (!submenu) {
    submenu = doc.createElement('div');
    submenu.setAttribute('role', 'menu');
    submenu.setAttribute('aria-label', 'Export to');
    submenu.setAttribute(OWN_ATTRIBUTE, 'submenu');
    submenu.id = `cohort-sync-export-${Math.random().toString(36).slice(2, 10)}`;
    submenu.hidden = true;
    const { slot: itemSlot } = cloneItem(menu, CLEVERTAP_LABEL, 'clevertap');
    submenu.append(itemSlot);
    copyMenuLook(menu, submenu);
    slot.after(submenu);
    exportItem.setAttribute('aria-controls', submenu.id);
  }
  const item = submenu.querySelector(`[${OWN_ATTRIBUTE}="clevertap"]`)!;
  return { submenu, item };
}

/** Opens our sub-menu beside its item, on the side where it fits (the app's menus sit at the right edge). */
export function placeSubmenu(menu: Element, exportItem: HTMLElement, submenu: HTMLElement): void {
  const view = menu.ownerDocument.defaultView;
  submenu.style.top = `${exportItem.offsetTop}px`;
  const rect = menu.getBoundingClientRect();
  const width = Math.max(submenu.offsetWidth, 160);
  const fitsRight = !view || rect.right + width <= view.innerWidth;
  const fitsLeft = rect.left - width >= 0;
  const right = fitsRight || !fitsLeft;
  submenu.style.left = right ? '100%' : 'auto';
  submenu.style.right = right ? 'auto' : '100%';
  submenu.dataset.side = right ? 'right' : 'left';
}

function copyMenuLook(menu: Element, submenu: HTMLElement): void {
  const style = menu.ownerDocument.defaultView?.getComputedStyle(menu);
  submenu.style.position = 'absolute';
  submenu.style.left = '100%';
  submenu.style.minWidth = '160px';
  submenu.style.zIndex = '1';
  const transparent = !style?.backgroundColor || style.backgroundColor === 'rgba(0, 0, 0, 0)';
  submenu.style.background = transparent ? '#fff' : style.backgroundColor;
  submenu.style.border = style?.border || '1px solid rgba(0, 0, 0, 0.15)';
  submenu.style.borderRadius = style?.borderRadius || '4px';
  submenu.style.boxShadow = style?.boxShadow && style.boxShadow !== 'none' ? style.boxShadow : '0 4px 16px rgba(0, 0, 0, 0.15)';
  if (style?.padding) submenu.style.padding = style.padding;
  if (style?.color) submenu.style.color = style.color;
}
