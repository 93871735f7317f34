/**
 * Lets Playwright's locators see into closed shadow roots, for the tests and the demo only.
 *
 * The extension's in-page UI lives in closed shadow roots so that Mixpanel's page cannot reach it;
 * Playwright's locator engine walks `element.shadowRoot` and would not see it either. Over CDP this
 * resolves every closed root of a page's main frame and gives its host a `shadowRoot` property in
 * Playwright's utility world only (an isolated world of Playwright's own). The page's main world is
 * untouched: there `host.shadowRoot` stays null, which hostile-page.spec.ts checks.
 *
 * A rescan follows every DOM insertion and every new utility world, so a freshly mounted UI is
 * visible to locators a moment after it appears; Playwright's assertions retry until then. Prefer
 * positive assertions on a UI that has just mounted (a count of 0 may be read before the rescan).
 */
import type { BrowserContext, CDPSession, Page } from '@playwright/test';

const UTILITY_WORLD_PREFIX = '__playwright_utility_world_';

interface DomNode {
  backendNodeId: number;
  nodeName: string;
  shadowRootType?: 'open' | 'closed' | 'user-agent';
  children?: DomNode[];
  shadowRoots?: DomNode[];
}

export function revealClosedShadowRoots(context: BrowserContext): void {
  for (const page of context.pages()) void watch(context, page);
  context.on('page', (page) => void watch(context, page));
}

async function watch(context: BrowserContext, page: Page): Promise<void> {
  let cdp: CDPSession;
  try {
    cdp = await context.newCDPSession(page);
  } catch {
    return; // The page closed first.
  }
  const utilityWorlds = new Map<string, number>();
  const revealed = new Set<string>();
  let scanning = false;
  let again = false;

  const scan = async () => {
    const { frameTree } = (await cdp.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
    const world = utilityWorlds.get(frameTree.frame.id);
    if (world === undefined) return;
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    for (const shadowRoot of closedRoots(root)) {
      const key = `${world}:${shadowRoot.backendNodeId}`;
      if (revealed.has(key)) continue;
      const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: shadowRoot.backendNodeId, executionContextId: world });
      if (!object.objectId) continue;
      await cdp.send('Runtime.callFunctionOn', {
        objectId: object.objectId,
        functionDeclaration:
          'function () { const root = this; Object.defineProperty(root.host, "shadowRoot", { configurable: true, get: () => root }); }',
      });
      await cdp.send('Runtime.releaseObject', { objectId: object.objectId });
      revealed.add(key);
    }
  };

  const schedule = () => {
    if (scanning) {
      again = true;
      return;
    }
    scanning = true;
    void (async () => {
      do {
        again = false;
        // A page that navigates or closes mid-scan is scanned again on its next document, or never.
        await scan().catch(() => undefined);
      } while (again);
      scanning = false;
    })();
  };

  cdp.on('Runtime.executionContextCreated', ({ context: created }) => {
    const frameId = (created.auxData as { frameId?: string } | undefined)?.frameId;
    if (!frameId || !created.name.startsWith(UTILITY_WORLD_PREFIX)) return;
    utilityWorlds.set(frameId, created.id);
    schedule();
  });
  cdp.on('Runtime.executionContextDestroyed', ({ executionContextId }) => {
    for (const [frameId, id] of utilityWorlds) if (id === executionContextId) utilityWorlds.delete(frameId);
  });
  cdp.on('Runtime.executionContextsCleared', () => utilityWorlds.clear());
  cdp.on('DOM.documentUpdated', schedule);
  cdp.on('DOM.childNodeInserted', schedule);
  cdp.on('DOM.shadowRootPushed', schedule);
  try {
    await cdp.send('Runtime.enable');
    await cdp.send('DOM.enable');
  } catch {
    return;
  }
  schedule();
}

/** Closed shadow roots of a document, nested ones included (not those of frames' documents). */
function closedRoots(node: DomNode, found: DomNode[] = []): DomNode[] {
  for (const shadowRoot of node.shadowRoots ?? []) {
    if (shadowRoot.shadowRootType === 'closed') found.push(shadowRoot);
    closedRoots(shadowRoot, found);
  }
  for (const child of node.children ?? []) closedRoots(child, found);
  return found;
}
