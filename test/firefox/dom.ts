/**
 * Finding elements the way a user (and a screen reader) names them: by role and accessible name,
 * across open shadow roots, since both the Mixpanel-like pages and the extension's in-page dialog
 * render inside shadow DOM. Firefox's WebDriver BiDi accessibility locator does not look inside
 * shadow roots, so the lookup runs in the page. It covers the roles and naming rules these pages
 * use (explicit `role`, the implicit roles of common elements, aria-label, aria-labelledby,
 * label[for], a wrapping label, then text), not the whole accessible-name algorithm.
 */
import type { ElementHandle, Frame, JSHandle, Page } from 'puppeteer-core';

export type Name = string | RegExp;

export interface RoleQuery {
  role: string;
  /** Exact accessible name (whitespace collapsed), or a pattern it must match. */
  name?: Name;
  /** Only inside this element (its light and shadow descendants). */
  within?: ElementHandle;
}

type Root = Page | Frame;
type SerializedName = { exact: string } | { source: string; flags: string } | null;

function serialize(name: Name | undefined): SerializedName {
  if (name === undefined) return null;
  return typeof name === 'string' ? { exact: name } : { source: name.source, flags: name.flags };
}

function describe(query: RoleQuery): string {
  return `${query.role}${query.name === undefined ? '' : ` named ${String(query.name)}`}`;
}

/** Every element matching `query` now, in document order. Runs in the page. */
function matchAll(scope: Element | Document, role: string, wanted: SerializedName): Element[] {
  const implicitRole = (element: Element): string | null => {
    const tag = element.localName;
    if (tag === 'button') return 'button';
    if (tag === 'a' && element.hasAttribute('href')) return 'link';
    if (/^h[1-6]$/.test(tag)) return 'heading';
    if (tag === 'select') return 'combobox';
    if (tag === 'textarea') return 'textbox';
    if (tag === 'li') return 'listitem';
    if (tag === 'ul' || tag === 'ol') return 'list';
    if (tag === 'dialog') return 'dialog';
    if (tag === 'table') return 'table';
    if (tag === 'tr') return 'row';
    if (tag === 'td') return 'cell';
    if (tag === 'th') return 'columnheader';
    if (tag === 'fieldset') return 'group';
    if (tag === 'section' && (element.hasAttribute('aria-label') || element.hasAttribute('aria-labelledby'))) return 'region';
    if (tag === 'input') {
      const type = (element.getAttribute('type') ?? 'text').toLowerCase();
      if (type === 'radio') return 'radio';
      if (type === 'checkbox') return 'checkbox';
      if (type === 'button' || type === 'submit') return 'button';
      return 'textbox';
    }
    return null;
  };
  const text = (value: string | null | undefined) => (value ?? '').replace(/\s+/g, ' ').trim();
  // Text as rendered: what an element's shadow root shows counts, its light children then do not.
  const deepText = (node: Node | null | undefined): string => {
    if (!node) return '';
    if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
    const from = node instanceof Element && node.shadowRoot ? node.shadowRoot : node;
    if (node instanceof HTMLStyleElement || node instanceof HTMLScriptElement) return '';
    return Array.from(from.childNodes).map(deepText).join(' ');
  };
  const rootOf = (element: Element) => element.getRootNode() as Document | ShadowRoot;
  const accessibleName = (element: Element): string => {
    const labelledBy = element.getAttribute('aria-labelledby');
    if (labelledBy) {
      const root = rootOf(element);
      return text(labelledBy.split(/\s+/).map((id) => deepText(root.getElementById?.(id))).join(' '));
    }
    const label = element.getAttribute('aria-label');
    if (label) return text(label);
    if (element.id) {
      const byFor = rootOf(element).querySelector(`label[for="${CSS.escape(element.id)}"]`);
      if (byFor) return text(deepText(byFor));
    }
    const wrapping = element.closest('label');
    if (wrapping) return text(deepText(wrapping));
    return text(deepText(element));
  };
  const nameMatches = (name: string) => {
    if (!wanted) return true;
    return 'exact' in wanted ? name === wanted.exact : new RegExp(wanted.source, wanted.flags).test(name);
  };
  const found: Element[] = [];
  const visit = (node: Element | Document | ShadowRoot) => {
    for (const child of Array.from(node.children)) {
      const childRole = child.getAttribute('role') ?? implicitRole(child);
      if (childRole === role && nameMatches(accessibleName(child))) found.push(child);
      if (child.shadowRoot) visit(child.shadowRoot);
      visit(child);
    }
  };
  if (scope instanceof Element && scope.shadowRoot) visit(scope.shadowRoot);
  visit(scope);
  return found;
}

/**
 * A page function built from `matchAll`'s source. The matcher travels as the function's text
 * (not through eval in the page), so pages whose CSP forbids eval, like the extension's own, run it.
 */
function inPage<Args extends unknown[], Result>(body: string): (...args: Args) => Result {
  const fn = (() => undefined) as unknown as (...args: Args) => Result;
  fn.toString = () => body;
  return fn;
}

const FIND_ONE = inPage<[Element | Document, string, SerializedName], Element | null>(
  `(scope, role, name) => { const matchAll = ${matchAll.toString()}; const found = matchAll(scope, role, name); return found.length === 1 ? found[0] : null; }`,
);
const COUNT = inPage<[Element | Document, string, SerializedName], number>(
  `(scope, role, name) => { const matchAll = ${matchAll.toString()}; return matchAll(scope, role, name).length; }`,
);

async function scopeOf(root: Root, query: RoleQuery): Promise<JSHandle<Element | Document>> {
  return query.within ?? (await root.evaluateHandle(() => document as Element | Document));
}

/**
 * Waits until exactly one element matches, then returns it. None or several after `timeoutMs`
 * is an error that names the query and says how many matched.
 */
export async function getByRole(root: Root, query: RoleQuery, timeoutMs = 15_000): Promise<ElementHandle> {
  const scope = await scopeOf(root, query);
  try {
    const handle = await root.waitForFunction(FIND_ONE, { timeout: timeoutMs, polling: 100 }, scope, query.role, serialize(query.name));
    return handle as ElementHandle;
  } catch (error) {
    const count = await countByRole(root, query).catch(() => -1);
    throw new Error(`Expected one ${describe(query)}, found ${count < 0 ? 'none (page gone)' : count} after ${timeoutMs} ms`, {
      cause: error,
    });
  }
}

export async function countByRole(root: Root, query: RoleQuery): Promise<number> {
  return root.evaluate(COUNT, await scopeOf(root, query), query.role, serialize(query.name));
}

/** The element's text, whitespace collapsed, including what its shadow root renders. */
export async function textOf(element: ElementHandle): Promise<string> {
  return element.evaluate((node) => {
    // Inline elements join their neighbours' text; any other box is set apart by a space.
    const walk = (current: Node): string => {
      if (current.nodeType === Node.TEXT_NODE) return current.textContent ?? '';
      if (current instanceof HTMLStyleElement || current instanceof HTMLScriptElement) return '';
      const children = current instanceof Element && current.shadowRoot ? current.shadowRoot : current;
      const inner = Array.from(children.childNodes).map(walk).join('');
      if (!(current instanceof Element)) return inner;
      return getComputedStyle(current).display.startsWith('inline') ? inner : ` ${inner} `;
    };
    return walk(node).replace(/\s+/g, ' ').trim();
  });
}

/** Waits until the element's text matches; otherwise fails with the text it last had. */
export async function waitForText(element: ElementHandle, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = await textOf(element);
    if (pattern.test(last)) return last;
    if (Date.now() > deadline) throw new Error(`Expected text matching ${pattern} within ${timeoutMs} ms; it reads “${last}”`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Replaces a text field's value the way typing does (React sees input events). */
export async function fill(field: ElementHandle, value: string): Promise<void> {
  await field.click({ count: 3 });
  await field.evaluate((input) => {
    (input as HTMLInputElement).select();
  });
  await field.press('Backspace');
  await field.type(value);
  const actual = await field.evaluate((input) => (input as HTMLInputElement).value);
  if (actual !== value) throw new Error(`The field holds “${actual}” after typing “${value}”`);
}

/** Picks the `<select>` option whose visible text is `label`. */
export async function selectByLabel(select: ElementHandle, label: string): Promise<void> {
  const value = await select.evaluate((element, wanted) => {
    const option = Array.from((element as HTMLSelectElement).options).find((candidate) => candidate.text.trim() === wanted);
    return option?.value ?? null;
  }, label);
  if (value === null) throw new Error(`No option “${label}” in the select`);
  await select.select(value);
}
