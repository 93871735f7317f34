/**
 * Client-side navigation without polling: the Navigation API's `currententrychange` (it follows
 * `history.pushState`, `replaceState`, back/forward and hash changes) where the browser has it;
 * `popstate` and `hashchange` always; and, where the Navigation API is missing, a few bounded
 * looks after a click or Enter (a single-page app changes its address in answer to one).
 */
const LOOKS_AFTER_INPUT_MS = [0, 120, 600, 1500];

interface NavigationLike extends EventTarget {
  currentEntry?: unknown;
}

export function watchLocation(
  view: Window,
  signal: AbortSignal,
  onChange: (url: string) => void,
  navigation: NavigationLike | null = ((view as unknown as { navigation?: NavigationLike }).navigation ?? null),
): void {
  let last = view.location.href;
  const check = () => {
    if (signal.aborted) return;
    const now = view.location.href;
    if (now === last) return;
    last = now;
    onChange(now);
  };
  const options = { signal, capture: true };
  if (navigation && typeof navigation.addEventListener === 'function') {
    navigation.addEventListener('currententrychange', check, { signal });
  } else {
    const timers = new Set<number>();
    const afterInput = () => {
      for (const delay of LOOKS_AFTER_INPUT_MS) {
        const timer = view.setTimeout(() => {
          timers.delete(timer);
          check();
        }, delay);
        timers.add(timer);
      }
    };
    view.document.addEventListener('click', afterInput, options);
    view.document.addEventListener(
      'keydown',
      (event) => {
        if ((event as KeyboardEvent).key === 'Enter') afterInput();
      },
      options,
    );
    signal.addEventListener('abort', () => timers.forEach((timer) => view.clearTimeout(timer)), { once: true });
  }
  view.addEventListener('popstate', check, options);
  view.addEventListener('hashchange', check, options);
}
