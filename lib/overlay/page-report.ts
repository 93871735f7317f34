/**
 * "Copy page report": the structure of the menu a cohort's "…" opened and of the row it came
 * from, for a bug report when the overlay could not place its item. Only tag names, roles,
 * aria-labels, class names and shadow-root boundaries: no text, no input values, no links, so no
 * profile data can leave the page this way.
 */
import { isElement } from './dom';

const MAX_NODES = 400;
const MAX_DEPTH = 14;
const SKIPPED = new Set(['STYLE', 'SCRIPT', 'TEMPLATE', 'NOSCRIPT', 'svg', 'path', 'SVG']);

/** One element as a line: `tag.class1.class2 [role=…] [aria-label="…"]`. */
function describe(element: Element): string {
  const classes = Array.from(element.classList)
    .slice(0, 8)
    .map((name) => `.${name}`)
    .join('');
  const role = element.getAttribute('role');
  const label = element.getAttribute('aria-label');
  const flags = [
    role ? `[role=${role}]` : '',
    label ? `[aria-label=${JSON.stringify(label.slice(0, 80))}]` : '',
    element.hasAttribute('hidden') ? '[hidden]' : '',
    element.hasAttribute('open') ? '[open]' : '',
  ].join('');
  return `${element.localName}${classes}${flags}`;
}

/** The element's subtree, one line per element, indented, with `#shadow-root (open)` boundaries. */
export function structureOf(root: Element): string {
  const lines: string[] = [];
  const visit = (element: Element, depth: number) => {
    if (lines.length >= MAX_NODES) return;
    if (SKIPPED.has(element.tagName)) return;
    const pad = '  '.repeat(depth);
    lines.push(pad + describe(element));
    if (depth >= MAX_DEPTH) {
      if (element.firstElementChild || element.shadowRoot) lines.push(`${pad}  …`);
      return;
    }
    if (element.shadowRoot) {
      lines.push(`${pad}  #shadow-root (open)`);
      for (const child of Array.from(element.shadowRoot.children)) visit(child, depth + 2);
    }
    for (const child of Array.from(element.children)) visit(child, depth + 1);
  };
  visit(root, 0);
  if (lines.length >= MAX_NODES) lines.push(`… (cut at ${MAX_NODES} elements)`);
  return lines.join('\n');
}

/** The ancestors of `element` up to the document, outermost first, crossing shadow roots. */
function ancestryOf(element: Element): string {
  const chain: string[] = [];
  let node: Node | null = element;
  while (node) {
    if (isElement(node)) chain.unshift(describe(node));
    const parent: Node | null = node.parentNode;
    if (parent && parent.nodeType === 11 && 'host' in parent) {
      chain.unshift('#shadow-root (open)');
      node = (parent as ShadowRoot).host;
    } else {
      node = parent;
    }
    if (chain.length > 40) break;
  }
  return chain.join('\n> ');
}

export interface PageReport {
  /** When the report was taken (ms since epoch). */
  at: number;
  /** The page's address without query and hash (they may carry ids). */
  page: string;
  /** Whether a menu appeared that the overlay could not place its item in. */
  missed: boolean;
  text: string;
}

export function buildPageReport(input: {
  url: string;
  missed: boolean;
  trigger: Element | null;
  row: Element | null;
  menus: readonly Element[];
}): PageReport {
  const url = new URL(input.url);
  const page = `${url.origin}${url.pathname}`;
  const parts = [`Cohort Sync page report`, `Page: ${page}`, `Item placed: ${input.missed ? 'no' : 'yes'}`];
  if (input.trigger) parts.push('', 'Clicked element, from the document down:', ancestryOf(input.trigger));
  if (input.row) parts.push('', 'Its row:', structureOf(input.row));
  if (input.menus.length === 0) parts.push('', 'Menus: none found.');
  for (const [index, menu] of input.menus.entries()) {
    parts.push('', `Menu ${index + 1}, from the document down:`, ancestryOf(menu), '', `Menu ${index + 1}:`, structureOf(menu));
  }
  return { at: Date.now(), page, missed: input.missed, text: parts.join('\n') };
}
