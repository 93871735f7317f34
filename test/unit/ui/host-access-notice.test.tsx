// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buttonByText, click, flush, render, type Rendered } from './render';

/** The browser's host grants, as Firefox keeps them: the user may withdraw any of them. */
const granted = new Set<string>();
const listeners = new Set<() => void>();
const request = vi.fn(async ({ origins }: { origins: string[] }) => {
  if (answer === 'deny') return false;
  for (const origin of origins) granted.add(origin);
  for (const listener of listeners) listener();
  return true;
});
let answer: 'allow' | 'deny' = 'allow';
const event = { addListener: (fn: () => void) => listeners.add(fn), removeListener: (fn: () => void) => listeners.delete(fn) };
vi.mock('webextension-polyfill', () => ({
  default: {
    permissions: {
      contains: async ({ origins }: { origins: string[] }) => origins.every((origin) => granted.has(origin)),
      request,
      onAdded: event,
      onRemoved: event,
    },
  },
}));

const { HOST_PERMISSIONS } = await import('../../../lib/permissions');
const { HostAccessNotice } = await import('../../../components/connections/HostAccessNotice');

let view: Rendered | undefined;
beforeEach(() => {
  granted.clear();
  for (const origin of HOST_PERMISSIONS) granted.add(origin);
  request.mockClear();
  answer = 'allow';
});
afterEach(() => {
  view?.unmount();
  view = undefined;
});

describe('HostAccessNotice', () => {
  it('shows nothing while every host is granted', async () => {
    view = render(<HostAccessNotice />);
    await flush();
    expect(view.container.textContent).toBe('');
  });

  it('names the withheld hosts; Allow access asks for exactly those, and the notice goes once granted', async () => {
    granted.delete('https://api.clevertap.com/*');
    granted.delete('https://*.amazonaws.com/*');
    view = render(<HostAccessNotice />);
    await flush();
    expect(view.container.textContent).toContain('does not let Cohort Sync reach api.clevertap.com, *.amazonaws.com.');
    click(buttonByText(view.container, 'Allow access'));
    await flush();
    await flush();
    expect(request).toHaveBeenCalledWith({ origins: ['https://api.clevertap.com/*', 'https://*.amazonaws.com/*'] });
    expect(view.container.textContent).toBe('');
  });

  it('says so when the user refuses in the browser’s prompt, and keeps asking', async () => {
    granted.delete('https://mixpanel.com/*');
    answer = 'deny';
    view = render(<HostAccessNotice />);
    await flush();
    click(buttonByText(view.container, 'Allow access'));
    await flush();
    await flush();
    expect(view.container.textContent).toContain('Access was not given.');
    expect(buttonByText(view.container, 'Allow access')).toBeTruthy();
  });

  it('in the popup, sends the user to the settings page instead of prompting', async () => {
    granted.delete('https://mixpanel.com/*');
    const openSettings = vi.fn();
    view = render(<HostAccessNotice onOpenSettings={openSettings} />);
    await flush();
    click(buttonByText(view.container, 'Open settings'));
    expect(openSettings).toHaveBeenCalledOnce();
    expect(request).not.toHaveBeenCalled();
  });
});
