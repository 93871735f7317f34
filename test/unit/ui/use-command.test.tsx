// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { useCommand, type Command } from '../../../components/ui/use-command';
import { render, type Rendered } from './render';

/** Renders the hook and hands back its latest value after every render. */
function renderCommand(): { current: () => Command; view: Rendered } {
  let latest: Command | undefined;
  function Probe() {
    latest = useCommand();
    return <p>{latest.busy ? 'busy' : 'idle'} {latest.error ?? 'no error'}</p>;
  }
  const view = render(<Probe />);
  return { current: () => latest!, view };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

let view: Rendered | undefined;
afterEach(() => view?.unmount());

describe('useCommand', () => {
  it('is busy while the command runs and returns its value', async () => {
    const hook = renderCommand();
    view = hook.view;
    const answer = deferred<number>();
    let result: Promise<number | undefined> | undefined;
    act(() => {
      result = hook.current().run(() => answer.promise);
    });
    expect(hook.current().busy).toBe(true);
    expect(view.container.textContent).toContain('busy');
    await act(async () => answer.resolve(42));
    expect(await result).toBe(42);
    expect(hook.current().busy).toBe(false);
    expect(hook.current().error).toBeNull();
  });

  it('keeps the error in words until the next try, and returns undefined', async () => {
    const hook = renderCommand();
    view = hook.view;
    let result: number | undefined = 0;
    await act(async () => {
      result = await hook.current().run<number>(() => Promise.reject(new Error('CleverTap is not answering.')));
    });
    expect(result).toBeUndefined();
    expect(hook.current().busy).toBe(false);
    expect(hook.current().error).toBe('CleverTap is not answering.');
    expect(view.container.textContent).toContain('CleverTap is not answering.');

    const retry = deferred<string>();
    act(() => {
      void hook.current().run(() => retry.promise);
    });
    expect(hook.current().error).toBeNull();
    await act(async () => retry.resolve('ok'));
    expect(hook.current().error).toBeNull();
  });

  it('words an error without a message, and clears an error on request', async () => {
    const hook = renderCommand();
    view = hook.view;
    await act(async () => {
      await hook.current().run(() => Promise.reject(new Error('')));
    });
    expect(hook.current().error).toBe('Something went wrong. Try again.');
    act(() => hook.current().clearError());
    expect(hook.current().error).toBeNull();
  });

  it('gives each component its own command', async () => {
    const first = renderCommand();
    const second = renderCommand();
    await act(async () => {
      await first.current().run(() => Promise.reject(new Error('first failed')));
    });
    expect(first.current().error).toBe('first failed');
    expect(second.current().error).toBeNull();
    first.view.unmount();
    second.view.unmount();
  });
});
