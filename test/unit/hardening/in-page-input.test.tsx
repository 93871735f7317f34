// @vitest-environment happy-dom
/**
 * The rules every in-page UI obeys, in a DOM: synthetic events (all events a script makes are
 * untrusted) never reach a React handler inside the closed root, nor a button's default action;
 * and the framed Connect page's answer to its parent is read only in its one exact shape.
 */
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { acceptOnlyTrustedInput } from '../../../components/in-page/trusted-input';
import { connectFrameMessage, readConnectFrameMessage } from '../../../components/integrations/connect-frame';

(globalThis as unknown as { IS_REACT_ACT_ENVIRONMENT: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(() => document.body.replaceChildren());

describe('acceptOnlyTrustedInput', () => {
  async function mount(guarded: boolean) {
    const host = document.createElement('div');
    document.body.append(host);
    const shadow = host.attachShadow({ mode: 'closed' });
    if (guarded) acceptOnlyTrustedInput(shadow);
    const container = document.createElement('div');
    shadow.append(container);
    const pressed = vi.fn();
    const submitted = vi.fn((event: { preventDefault(): void }) => event.preventDefault());
    const root = createRoot(container);
    await act(async () =>
      root.render(
        <form onSubmit={submitted}>
          <button type="submit" onClick={pressed} onKeyDown={pressed} onPointerDown={pressed} onMouseDown={pressed}>
            Start Sync
          </button>
        </form>,
      ),
    );
    const button = container.querySelector('button')!;
    return { button, pressed, submitted, unmount: () => act(async () => root.unmount()) };
  }

  function synthesize(button: HTMLButtonElement): Event[] {
    const init = { bubbles: true, cancelable: true, composed: true };
    const events: Event[] = [
      new PointerEvent('pointerdown', init),
      new MouseEvent('mousedown', init),
      new MouseEvent('click', init),
      new KeyboardEvent('keydown', { key: 'Enter', ...init }),
    ];
    for (const event of events) button.dispatchEvent(event);
    button.click();
    button.form!.dispatchEvent(new Event('submit', init));
    return events;
  }

  it('drops every synthetic click, key and submit before React sees it, and cancels its default action', async () => {
    const { button, pressed, submitted, unmount } = await mount(true);
    const events = synthesize(button);
    expect(events.every((event) => !event.isTrusted && event.defaultPrevented)).toBe(true);
    expect(pressed).not.toHaveBeenCalled();
    expect(submitted).not.toHaveBeenCalled();
    await unmount();
  });

  it('without it, the same events would reach the handlers (the check above can fail)', async () => {
    const { button, pressed, submitted, unmount } = await mount(false);
    synthesize(button);
    expect(pressed).toHaveBeenCalled();
    expect(submitted).toHaveBeenCalled();
    await unmount();
  });
});

describe('the Connect frame’s answer', () => {
  it('reads its own two outcomes and nothing else', () => {
    expect(readConnectFrameMessage(connectFrameMessage('connected'))).toBe('connected');
    expect(readConnectFrameMessage(connectFrameMessage('cancelled'))).toBe('cancelled');
    for (const other of [null, 'connected', {}, { type: 'cohort-sync:connect-frame' }, { type: 'other', outcome: 'connected' },
      { type: 'cohort-sync:connect-frame', outcome: 'passcode' }]) {
      expect(readConnectFrameMessage(other)).toBeNull();
    }
  });

  it('carries no field value', () => {
    expect(Object.keys(connectFrameMessage('connected')).sort()).toEqual(['outcome', 'type']);
  });
});
