/**
 * DOM helpers that see what a user sees in an app built from custom elements with open shadow roots:
 * text across shadow boundaries, queries that descend into open shadow roots, composed parents.
 */

/** Marks every element the overlay adds, so it never mistakes its own work for the app's. */
export const OWN_ATTRIBUTE = 'data-cohort-sync';

const SKIPPED_TAGS = new Set(['STYLE', 'SCRIPT', 'TEMPLATE', 'NOSCRIPT', 'svg', 'SVG']);

export function isElement(node: unknown): node is Element {
  return typeof node === 'object' && node !== null && (node as Node).nodeType === 1;
}

export function isShadowRoot(node: unknown): node is ShadowRoot {
  return typeof node === 'object' && node !== null && (node as Node).nodeType === 11 && 'host' in node;
}

/** Whether `node` is, or sits inside, something the overlay added. */
export function isOwn(node: Node): boolean {
  const element = isElement(node) ? node : node.parentElement;
  return !!element?.closest(`[${OWN_ATTRIBUTE}]`);
}

/** The parent of `node` in the flat tree sense used by `composedPath()`: a shadow root's parent is its host. */
export function composedParent(node: Node): Node | null {
  const parent = node.parentNode;
  if (isShadowRoot(parent)) return parent.host;
  return parent;
}

/** Whether `ancestor` holds `node`, across shadow boundaries. */
export function composedContains(ancestor: Node, node: Node): boolean {
  for (let at: Node | null = node; at; at = composedParent(at)) if (at === ancestor) return true;
  return false;
}

/** The element that has keyboard focus, inside open shadow roots. */
export function deepActiveElement(doc: Document): Element | null {
  let active = doc.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Text as rendered: descends into open shadow roots (following slots), skips hidden helpers. */
export function deepText(node: Node): string {
  const parts: string[] = [];
  collectText(node, parts);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

function collectText(node: Node, parts: string[]): void {
  if (node.nodeType === 3) {
    parts.push(node.nodeValue ?? '');
    return;
  }
  if (isElement(node)) {
    if (SKIPPED_TAGS.has(node.tagName) || node.getAttribute('aria-hidden') === 'true') return;
    if (node.tagName === 'SLOT') {
      const assigned = (node as HTMLSlotElement).assignedNodes({ flatten: true });
      const children = assigned.length > 0 ? assigned : Array.from(node.childNodes);
      for (const child of children) collectText(child, parts);
      return;
    }
    if (node.shadowRoot) {
      collectText(node.shadowRoot, parts);
      return;
    }
    // Block-level breaks become spaces, so "Name" + "42" never reads as "Name42".
    parts.push(' ');
  }
  for (const child of Array.from(node.childNodes)) collectText(child, parts);
  if (isElement(node)) parts.push(' ');
}

/** Every element under `root`, including inside open shadow roots (depth-first, document order). */
export function deepQueryAll(root: ParentNode, selector: string, limit = Infinity): Element[] {
  const found: Element[] = [];
  const visit = (scope: ParentNode) => {
    for (const element of Array.from(scope.querySelectorAll('*'))) {
      if (found.length >= limit) return;
      if (element.matches(selector)) found.push(element);
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  if (isElement(root) && root.matches(selector)) found.push(root);
  if (isElement(root) && root.shadowRoot) visit(root.shadowRoot);
  visit(root);
  return found;
}

/** Looks up an id in the tree `element` lives in (its shadow root or the document). */
export function byIdNear(element: Element, id: string): Element | null {
  const root = element.getRootNode() as Document | ShadowRoot;
  return root.getElementById?.(id) ?? element.ownerDocument.getElementById(id);
}

