/**
 * Finding elements the way a user (and a screen reader) names them: by role and accessible name,
 * across shadow roots, since both the Mixpanel-like pages and the extension's in-page UI render
 * inside shadow DOM. Firefox's WebDriver BiDi accessibility locator does not look inside shadow
 * roots, so the lookup runs in the page. It covers the roles and naming rules these pages use
 * (explicit `role`, the implicit roles of common elements, aria-label, aria-labelledby, label[for],
 * a wrapping label, then text), not the whole accessible-name algorithm.
 *
 * The extension's UI lives in closed shadow roots, which a page script cannot reach
 * (`host.shadowRoot` is null). WebDriver BiDi can: it serializes a host's shadow root whatever its
 * mode. Each lookup first asks BiDi for the closed roots of the document (closedShadowRoots) and
 * hands them to the page function as arguments, for that one call; nothing is left on the page,
 * which still sees `shadowRoot === null`.
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

/**
 * Every element matching `query` now, in document order, looking inside open shadow roots and the
 * closed ones passed in. Runs in the page.
 */
function matchAll(scope: Element | Document, role: string, wanted: SerializedName, closedRoots: ShadowRoot[]): Element[] {
  const closed = new Map<Element, ShadowRoot>(closedRoots.map((root) => [root.host, root]));
  const shadowOf = (element: Element): ShadowRoot | null => element.shadowRoot ?? closed.get(element) ?? null;
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
    if (tag === 'div' || tag === 'span') return 'generic';
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
    const from = (node instanceof Element && shadowOf(node)) || node;
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
      const shadow = shadowOf(child);
      if (shadow) visit(shadow);
      visit(child);
    }
  };
  const scopeShadow = scope instanceof Element ? shadowOf(scope) : null;
  if (scopeShadow) visit(scopeShadow);
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

const FIND_ONE = inPage<[Element | Document, string, SerializedName, ...ShadowRoot[]], Element | null>(
  `(scope, role, name, ...closed) => { const matchAll = ${matchAll.toString()}; const found = matchAll(scope, role, name, closed); return found.length === 1 ? found[0] : null; }`,
);
const COUNT = inPage<[Element | Document, string, SerializedName, ...ShadowRoot[]], number>(
  `(scope, role, name, ...closed) => { const matchAll = ${matchAll.toString()}; return matchAll(scope, role, name, closed).length; }`,
);

/** A node as WebDriver BiDi serializes it (script.NodeRemoteValue), as far as the walk needs. */
interface NodeRemoteValue {
  type: 'node';
  sharedId?: string;
  value?: { nodeType: number; mode?: 'open' | 'closed'; children?: NodeRemoteValue[]; shadowRoot?: NodeRemoteValue | null };
}

/** What puppeteer-core 25's BiDi frame keeps of its main realm: the raw script.callFunction and handle wrapping. */
interface BidiMainRealm {
  realm: {
    callFunction(
      functionDeclaration: string,
      awaitPromise: boolean,
      options: { arguments?: unknown[]; resultOwnership?: 'root' | 'none'; serializationOptions?: Record<string, unknown> },
    ): Promise<{ type: string; result?: NodeRemoteValue }>;
  };
  createHandle(value: NodeRemoteValue): JSHandle<ShadowRoot>;
}

function mainRealmOf(root: Root): BidiMainRealm {
  const frame = ('mainFrame' in root ? root.mainFrame() : root) as unknown as { mainRealm?: () => BidiMainRealm };
  const realm = frame.mainRealm?.();
  if (!realm?.realm?.callFunction || !realm.createHandle) {
    throw new Error('This puppeteer-core does not expose the BiDi realm closedShadowRoots needs (written for puppeteer-core 25 over BiDi)');
  }
  return realm;
}

/**
 * Every closed shadow root in the frame's document, nested ones included, as handles for page
 * functions' arguments. One BiDi call serializes the whole DOM with every shadow tree
 * (includeShadowTree "all"), without handles (nodes travel by sharedId).
 */
export async function closedShadowRoots(root: Root): Promise<JSHandle<ShadowRoot>[]> {
  const realm = mainRealmOf(root);
  const reply = await realm.realm.callFunction('() => document', false, {
    arguments: [],
    resultOwnership: 'none',
    serializationOptions: { maxDomDepth: null, maxObjectDepth: 0, includeShadowTree: 'all' },
  });
  if (reply.type !== 'success' || !reply.result) throw new Error(`Could not serialize the document: ${JSON.stringify(reply).slice(0, 300)}`);
  const found: NodeRemoteValue[] = [];
  const walk = (node: NodeRemoteValue) => {
    const shadow = node.value?.shadowRoot;
    if (shadow) {
      if (shadow.value?.mode === 'closed' && shadow.sharedId) found.push(shadow);
      walk(shadow);
    }
    for (const child of node.value?.children ?? []) walk(child);
  };
  walk(reply.result);
  return found.map((shadow) =>
    realm.createHandle({ type: 'node', sharedId: shadow.sharedId, value: { nodeType: 11, mode: 'closed' } }),
  );
}

async function scopeOf(root: Root, query: RoleQuery): Promise<JSHandle<Element | Document>> {
  return query.within ?? (await root.evaluateHandle(() => document as Element | Document));
}

async function findOne(root: Root, query: RoleQuery): Promise<ElementHandle | null> {
  const closed = await closedShadowRoots(root);
  const handle = await root.evaluateHandle(FIND_ONE, await scopeOf(root, query), query.role, serialize(query.name), ...closed);
  const element = handle.asElement() as ElementHandle | null;
  if (!element) await handle.dispose();
  return element;
}

/**
 * Waits until exactly one element matches, then returns it. None or several after `timeoutMs`
 * is an error that names the query and says how many matched.
 */
export async function getByRole(root: Root, query: RoleQuery, timeoutMs = 15_000): Promise<ElementHandle> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const found = await findOne(root, query);
      if (found) return found;
    } catch (error) {
      // A navigation or a re-render between the two calls; the next round sees the new DOM.
      lastError = error;
    }
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const count = await countByRole(root, query).catch(() => -1);
  throw new Error(`Expected one ${describe(query)}, found ${count < 0 ? 'none (page gone)' : count} after ${timeoutMs} ms`, {
    cause: lastError,
  });
}

export async function countByRole(root: Root, query: RoleQuery): Promise<number> {
  const closed = await closedShadowRoots(root);
  return root.evaluate(COUNT, await scopeOf(root, query), query.role, serialize(query.name), ...closed);
}

/** The element's text, whitespace collapsed, including what its shadow root renders. */
export async function textOf(element: ElementHandle): Promise<string> {
  const closed = await closedShadowRoots(element.frame);
  return element.evaluate((node, ...closedRoots) => {
    const closedOf = new Map<Element, ShadowRoot>(closedRoots.map((root) => [root.host, root]));
    // Inline elements join their neighbours' text; any other box is set apart by a space.
    const walk = (current: Node): string => {
      if (current.nodeType === Node.TEXT_NODE) return current.textContent ?? '';
      if (current instanceof HTMLStyleElement || current instanceof HTMLScriptElement) return '';
      const children = (current instanceof Element && (current.shadowRoot ?? closedOf.get(current))) || current;
      const inner = Array.from(children.childNodes).map(walk).join('');
      if (!(current instanceof Element)) return inner;
      return getComputedStyle(current).display.startsWith('inline') ? inner : ` ${inner} `;
    };
    return walk(node).replace(/\s+/g, ' ').trim();
  }, ...closed);
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

/**
 * The frame of the `<iframe>` titled `title`, wherever it is: in the document, an open shadow root
 * or a closed one (the extension frames its Connect page inside a closed root).
 */
export async function frameTitled(page: Page, title: string, timeoutMs = 15_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const closed = await closedShadowRoots(page);
    const handle = await page.evaluateHandle(
      (wanted, ...closedRoots) => {
        const roots: (Document | ShadowRoot)[] = [document, ...closedRoots];
        for (let index = 0; index < roots.length; index += 1) {
          const root = roots[index]!;
          const frame = root.querySelector(`iframe[title="${CSS.escape(wanted)}"]`);
          if (frame) return frame;
          for (const element of Array.from(root.querySelectorAll('*'))) if (element.shadowRoot) roots.push(element.shadowRoot);
        }
        return null;
      },
      title,
      ...closed,
    );
    const frame = await handle.asElement()?.contentFrame();
    if (frame) return frame;
    await handle.dispose();
    if (Date.now() > deadline) throw new Error(`No frame titled “${title}” after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether `text` is anywhere in the page's markup or input values, closed shadow roots included. */
export async function pageHolds(page: Page, text: string): Promise<boolean> {
  const closed = await closedShadowRoots(page);
  return page.evaluate(
    (wanted, ...closedRoots) => {
      const seen: string[] = [document.documentElement.outerHTML];
      const roots: (Document | ShadowRoot)[] = [document, ...closedRoots];
      for (let index = 0; index < roots.length; index += 1) {
        const root = roots[index]!;
        if (root instanceof ShadowRoot) seen.push(root.innerHTML);
        for (const element of Array.from(root.querySelectorAll('*'))) {
          if (element instanceof HTMLInputElement) seen.push(element.value);
          if (element.shadowRoot) roots.push(element.shadowRoot);
        }
      }
      return seen.some((value) => value.includes(wanted));
    },
    text,
    ...closed,
  );
}
