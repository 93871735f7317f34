/** The frame of every in-page dialog: backdrop, titled box, close button; Escape closes, Tab stays inside. */
import { useId, type KeyboardEvent, type MouseEvent, type ReactNode, type RefObject } from 'react';

export const FOCUSABLE =
  'button:not([disabled]),input:not([disabled]),select:not([disabled]),textarea,[href],[tabindex]:not([tabindex="-1"])';

function handleModalKeyDown(event: KeyboardEvent<HTMLElement>, dialog: HTMLElement | null, close: () => void): void {
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
function closesOnBackdrop(close: () => void) {
  return (event: MouseEvent<HTMLElement>) => {
    if (event.target === event.currentTarget) close();
  };
}

export function ModalFrame({
  title,
  className = 'dialog',
  dialogRef,
  onClose,
  children,
}: {
  title: string;
  className?: string;
  /** The dialog box, for callers that move focus into it. */
  dialogRef: RefObject<HTMLDivElement | null>;
  onClose: () => void;
  children: ReactNode;
}) {
  const titleId = useId();
  return (
    <div className="backdrop" onMouseDown={closesOnBackdrop(onClose)}>
      <div
        className={className}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        ref={dialogRef}
        tabIndex={-1}
        onKeyDown={(event) => handleModalKeyDown(event, dialogRef.current, onClose)}
      >
        <div className="head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="close" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}
