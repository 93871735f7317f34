/** Keyboard rules every in-page dialog follows: Escape closes, Tab and Shift+Tab stay inside. */
import type { KeyboardEvent, MouseEvent } from 'react';

export const FOCUSABLE =
  'button:not([disabled]),input:not([disabled]),select:not([disabled]),textarea,[href],[tabindex]:not([tabindex="-1"])';

export function handleModalKeyDown(event: KeyboardEvent<HTMLElement>, dialog: HTMLElement | null, close: () => void): void {
  if (event.key === 'Escape') {
    event.preventDefault();
    event.stopPropagation();
    close();
    return;
  }
  if (event.key !== 'Tab' || !dialog) return;
  const focusable = Array.from(dialog.querySelectorAll<HTMLElement>(FOCUSABLE));
  if (focusable.length === 0) return;
  // The dialog lives in a shadow root: the document's activeElement would be its host.
  const active = (dialog.getRootNode() as Document | ShadowRoot).activeElement;
  const first = focusable[0]!;
  const last = focusable[focusable.length - 1]!;
  if (event.shiftKey && (active === first || !dialog.contains(active))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
    event.preventDefault();
    first.focus();
  }
}

/** A click on the backdrop itself, not on the dialog, closes it. */
export function closesOnBackdrop(close: () => void) {
  return (event: MouseEvent<HTMLElement>) => {
    if (event.target === event.currentTarget) close();
  };
}
