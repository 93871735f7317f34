/**
 * Adds **Export to > CleverTap** to a cohort menu the way the app's own items look: a clone of a
 * native item (its generated classes give font, hover and focus styles), with its label replaced.
 * Every insertion is idempotent: an item is never added twice to the same menu.
 */
import { deepText, OWN_ATTRIBUTE } from './dom';
import { CLEVERTAP_LABEL, EXPORT_TO_LABEL, findExportToItem, itemLabel, menuItems } from './menu';

const STRIPPED_ATTRIBUTES = [
  'id',
  'href',
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

export type ItemKind = 'clevertap' | 'export-to' | 'submenu';

export function ownItem(menu: Element, kind: ItemKind): Element | null {
  return menu.querySelector(`[${OWN_ATTRIBUTE}="${kind}"]`);
}

/** The direct child of `menu` holding `item` (items may be wrapped, e.g. `<li role="none">`). */
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
      item.getAttribute('aria-disabled') !== 'true' &&
      !item.hasAttribute('aria-haspopup') &&
      item.getAttribute('role') === 'menuitem',
  );
  return plain[0] ?? items[0] ?? null;
}

/**
 * A new item labelled `label`, cloned from a native item of `menu` when it has one.
 * Returns the slot element to insert and the item inside it.
 */
export function cloneItem(menu: Element, label: string, kind: ItemKind): { slot: Element; item: Element } {
  const doc = menu.ownerDocument;
  const native = template(menu);
  if (!native) {
    const item = doc.createElement('div');
    item.setAttribute('role', 'menuitem');
    item.setAttribute('tabindex', '-1');
    item.setAttribute(OWN_ATTRIBUTE, kind);
    item.textContent = label;
    item.style.cssText = 'padding:6px 12px;cursor:pointer;font:inherit;';
    return { slot: item, item };
  }
  const nativeSlot = slotOf(menu, native);
  const slot = nativeSlot.cloneNode(true) as Element;
  const item =
    nativeSlot === native
      ? slot
      : (Array.from(slot.querySelectorAll('[role="menuitem"],[role="menuitemradio"],[role="menuitemcheckbox"]'))[0] ?? slot);
  for (const element of [slot, ...Array.from(slot.querySelectorAll('*'))]) {
    for (const attribute of STRIPPED_ATTRIBUTES) element.removeAttribute(attribute);
    // Icons and keyboard hints belong to the native action, not ours.
    if (element !== slot && element !== item && element.matches('svg,img,kbd,[role="img"]')) element.remove();
  }
  if (item.tagName === 'A' && !item.hasAttribute('tabindex')) item.setAttribute('tabindex', '-1');
  item.setAttribute('role', 'menuitem');
  item.setAttribute(OWN_ATTRIBUTE, kind);
  if (slot !== item) slot.setAttribute(OWN_ATTRIBUTE, `${kind}-slot`);
  relabel(slot, item, itemLabel(native), label);
  return { slot, item };
}

export interface InsertResult {
  item: Element;
  added: boolean;
}

/** Appends a "CleverTap" item to the app's "Export to" sub-menu (once). */
export function insertCleverTapItem(submenu: Element): InsertResult {
  const existing = ownItem(submenu, 'clevertap');
  if (existing) return { item: existing, added: false };
  const { slot, item } = cloneItem(submenu, CLEVERTAP_LABEL, 'clevertap');
  submenu.append(slot);
  return { item, added: true };
}

/**
 * Adds an "Export to…" item to a cohort menu that has none, after "Share" (else before "Delete",
 * else last), with a sub-menu holding "CleverTap". Returns the "Export to…" item.
 */
export function insertExportToItem(menu: Element): InsertResult {
  const existing = ownItem(menu, 'export-to');
  if (existing) return { item: existing, added: false };
  if (findExportToItem(menu)) throw new Error('The menu already has an "Export to" item.');
  const { slot, item } = cloneItem(menu, EXPORT_TO_LABEL, 'export-to');
  item.setAttribute('aria-haspopup', 'menu');
  item.setAttribute('aria-expanded', 'false');
  const items = menuItems(menu).filter((candidate) => !candidate.hasAttribute(OWN_ATTRIBUTE));
  const share = items.find((candidate) => /^share/i.test(itemLabel(candidate)));
  const remove = items.find((candidate) => /^delete/i.test(itemLabel(candidate)));
  if (share) slotOf(menu, share).after(slot);
  else if (remove) slotOf(menu, remove).before(slot);
  else menu.append(slot);
  return { item, added: true };
}

/**
 * Builds the sub-menu of our own "Export to…" item (once), with its "CleverTap" item: a sibling
 * right after the item, positioned beside it when opened.
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
