// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectDialog } from '../../../components/integrations/ConnectDialog';
import { IntegrationEntry } from '../../../components/integrations/IntegrationEntry';
import { REVERSE_DIRECTION_TEXT } from '../../../components/integrations/note';
import type { Message } from '../../../lib/messages';
import type { StateView as AppState, SyncView as Sync } from '../../../lib/messages';
import { DEFAULT_SETTINGS } from '../../../lib/storage/schema';
import { appStore } from '../../../lib/ui/app-store';

const send = vi.hoisted(() => vi.fn());
vi.mock('../../../lib/send', () => ({ sendToBackground: send }));

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const PROJECT = 3187764;
const CLEVERTAP = { accountId: 'TEST-123', region: 'eu1' as const, connectedAt: 1 };
const MIXPANEL = { username: 'sa', projectId: PROJECT, region: 'us' as const, connectedAt: 1 };

function sync(cohortId: number, projectId = PROJECT): Sync {
  return {
    id: `${projectId}:${cohortId}`,
    projectId,
    cohortId,
    cohortName: `Cohort ${cohortId}`,
    type: 'dynamic',
    createdAt: cohortId,
    status: { state: 'scheduled' },
  };
}

function setState(partial: Partial<AppState>) {
  const state: AppState = { connections: { clevertap: null, mixpanel: null }, settings: DEFAULT_SETTINGS, syncs: [], ...partial };
  act(() => appStore.setState({ state, loadError: null }));
}

let container: HTMLDivElement;
let root: Root;

beforeEach(() => {
  container = document.createElement('div');
  document.body.replaceChildren(container);
  root = createRoot(container);
  send.mockReset();
});
afterEach(() => act(() => root.unmount()));

const text = () => container.textContent ?? '';
const button = (label: string) =>
  Array.from(container.querySelectorAll('button')).find((candidate) => candidate.textContent?.trim() === label);

describe('IntegrationEntry', () => {
  it('offers Connect when CleverTap is not connected, and says it comes from the extension', async () => {
    setState({});
    const onConnect = vi.fn();
    await act(async () => root.render(<IntegrationEntry projectId={PROJECT} onConnect={onConnect} />));
    expect(text()).toContain('CleverTap');
    expect(text()).toContain('Cohort Sync extension');
    expect(text()).not.toMatch(/✓\s*Connected/);
    act(() => button('Connect')!.click());
    expect(onConnect).toHaveBeenCalledTimes(1);
  });

  it('shows Connected, Manage syncs and Disconnect once connected, and this project’s syncs only', async () => {
    setState({ connections: { clevertap: CLEVERTAP, mixpanel: MIXPANEL }, syncs: [sync(1001), sync(1002, 999)] });
    await act(async () => root.render(<IntegrationEntry projectId={PROJECT} onConnect={() => undefined} />));
    expect(text()).toMatch(/✓\s*Connected/);
    expect(button('Connect')).toBeUndefined();
    expect(button('Manage syncs')).toBeDefined();
    expect(button('Disconnect')).toBeDefined();
    act(() => button('▸CleverTap')!.click());
    expect(text()).toContain('Cohort 1001');
    expect(text()).not.toContain('Cohort 1002');
    expect(text()).toContain(REVERSE_DIRECTION_TEXT);
    expect(button('Add Cohort Sync')!.disabled).toBe(false);

    send.mockResolvedValue(null);
    await act(async () => button('Manage syncs')!.click());
    expect(send).toHaveBeenCalledWith({ type: 'options.open', section: 'syncs' });
    act(() => button('Disconnect')!.click());
    await act(async () => button('Disconnect CleverTap')!.click());
    expect(send).toHaveBeenCalledWith({ type: 'clevertap.disconnect' });
  });

  it('follows the background’s state: Connected appears as soon as it is written', async () => {
    setState({});
    await act(async () => root.render(<IntegrationEntry projectId={PROJECT} onConnect={() => undefined} />));
    expect(text()).not.toMatch(/✓\s*Connected/);
    setState({ connections: { clevertap: CLEVERTAP, mixpanel: null } });
    expect(text()).toMatch(/✓\s*Connected/);
  });

  it('says why a cohort sync cannot be added: Mixpanel missing, or another project', async () => {
    setState({ connections: { clevertap: CLEVERTAP, mixpanel: null } });
    await act(async () => root.render(<IntegrationEntry projectId={PROJECT} onConnect={() => undefined} />));
    act(() => button('▸CleverTap')!.click());
    expect(button('Add Cohort Sync')!.disabled).toBe(true);
    expect(text()).toContain('Mixpanel is not connected');
    setState({ connections: { clevertap: CLEVERTAP, mixpanel: { ...MIXPANEL, projectId: 42 } } });
    expect(text()).toContain(`not to this project (ID ${PROJECT})`);
  });
});

describe('ConnectDialog', () => {
  it('sends the passcode to the background and empties the field as it does', async () => {
    let answer: (value: unknown) => void = () => undefined;
    send.mockImplementation((message: Message) =>
      message.type === 'clevertap.connect' ? new Promise((resolve) => (answer = resolve)) : Promise.resolve(null),
    );
    const onClose = vi.fn();
    await act(async () => root.render(<ConnectDialog onClose={onClose} />));
    const input = (label: string) =>
      container.querySelector<HTMLInputElement>(`#${CSS.escape(Array.from(container.querySelectorAll('label')).find((l) => l.textContent === label)!.htmlFor)}`)!;
    const type = (element: HTMLInputElement, value: string) => {
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      setter.call(element, value);
      element.dispatchEvent(new Event('input', { bubbles: true }));
    };
    act(() => type(input('Project ID'), 'TEST-123'));
    act(() => type(input('Passcode'), 's3cret'));
    await act(async () => button('Connect')!.click());
    expect(send).toHaveBeenCalledWith({ type: 'clevertap.connect', accountId: 'TEST-123', passcode: 's3cret', region: 'eu1' });
    expect(input('Passcode').value).toBe('');
    await act(async () =>
      answer({ connected: false, reason: 'bad-credentials', message: 'Passcode is wrong.' }),
    );
    expect(text()).toContain('CleverTap did not accept this Project ID and Passcode.');
    expect(input('Passcode').value).toBe('');
    expect(onClose).not.toHaveBeenCalled();
  });
});
