/**
 * In-page controls act only on the user's own input. A page script can build a click or a key
 * event and dispatch it on anything it reaches; such events carry `isTrusted: false`. Stopped at
 * our shadow root, in the capture phase, they never reach React's listeners, and `preventDefault`
 * also cancels a button's default action (submitting its form).
 */
const ACTIVATING_EVENTS = [
  'click',
  'dblclick',
  'auxclick',
  'contextmenu',
  'mousedown',
  'mouseup',
  'pointerdown',
  'pointerup',
  'touchstart',
  'touchend',
  'keydown',
  'keyup',
  'keypress',
  'submit',
] as const;

function dropUntrusted(event: Event): void {
  if (event.isTrusted) return;
  event.stopImmediatePropagation();
  event.preventDefault();
}

/** Drops every synthetic click, key and submit aimed at anything inside `root`. */
export function acceptOnlyTrustedInput(root: ShadowRoot): void {
  for (const type of ACTIVATING_EVENTS) root.addEventListener(type, dropUntrusted, { capture: true });
}
