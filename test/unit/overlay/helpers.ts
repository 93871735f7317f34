/** Starts the Mixpanel-like fixture app inside happy-dom at a given address. */
import { startFixtureApp, type FixtureLog } from '../../fixtures/mixpanel/app';
import { FIXTURE_PROJECT_ID, FIXTURE_WORKSPACE_ID } from '../../fixtures/mixpanel/cohorts';

export const BASE = `https://mixpanel.com/project/${FIXTURE_PROJECT_ID}/view/${FIXTURE_WORKSPACE_ID}/app`;

type HappyWindow = Window & typeof globalThis & { happyDOM: { setURL(url: string): void }; __fixtureLog: FixtureLog };

export const win = () => window as unknown as HappyWindow;

export async function openFixture(url: string): Promise<FixtureLog> {
  document.body.replaceChildren();
  win().happyDOM.setURL(url);
  startFixtureApp(win());
  const lexicon = new URL(url).pathname.endsWith('/lexicon');
  await waitFor(() => (lexicon ? deepAll('[role="row"]').length > 50 : deepAll('h1,h2').length > 0));
  return win().__fixtureLog;
}

export function deepAll(selector: string, root: ParentNode = document): Element[] {
  const found: Element[] = [];
  const visit = (scope: ParentNode) => {
    for (const element of Array.from(scope.querySelectorAll('*'))) {
      if (element.matches(selector)) found.push(element);
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(root);
  return found;
}

export async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The "…" button of the Lexicon row for `name` (the inner <button> inside mp-icon-button's shadow root). */
export function rowButton(name: string): HTMLButtonElement {
  const row = deepAll('[role="row"]').find((candidate) =>
    deepAll('mp-cohort-name', candidate).some((element) => element.getAttribute('name') === name),
  );
  if (!row) throw new Error(`No row for ${name}`);
  return deepAll('mp-icon-button', row)[0]!.shadowRoot!.querySelector('button')!;
}

/** Clicks like a user: pointerdown, then click (composed, so listeners see the path across shadow roots). */
export function userClick(target: Element): void {
  const view = win();
  target.dispatchEvent(new view.PointerEvent('pointerdown', { bubbles: true, composed: true }));
  target.dispatchEvent(new view.MouseEvent('click', { bubbles: true, composed: true }));
}

export const menuLabels = (menu: Element) =>
  Array.from(menu.querySelectorAll('[role="menuitem"]')).map((item) => item.textContent?.trim());
