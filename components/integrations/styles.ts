/** Styles of the entry (in its shadow root), of the Connect page framed over Mixpanel, and of that frame. */
import UI_CSS from '../ui/ui.css?inline';
import { DIALOG_CSS } from '../export-dialog/styles';

const ENTRY_OWN_CSS = `
:host { display: block; }
.cs-int { font: 14px/1.45 var(--cs-font); color: var(--cs-text); background: var(--cs-bg); border: 1px solid var(--cs-border);
  border-radius: var(--cs-radius); padding: 10px 14px; margin: 4px 0; }
.cs-int__head { display: flex; align-items: center; flex-wrap: wrap; gap: 8px; }
.cs-int__toggle { display: inline-flex; align-items: center; gap: 6px; border: 0; background: none; padding: 2px 4px; margin: 0;
  font: inherit; font-weight: 600; font-size: 15px; color: inherit; cursor: pointer; border-radius: 4px; }
.cs-int__chevron { display: inline-block; width: 1em; color: var(--cs-text-muted); }
.cs-int__mark { display: inline-flex; align-items: center; gap: 4px; font-size: 11px; font-weight: 600; letter-spacing: .02em;
  text-transform: uppercase; color: var(--cs-accent); background: var(--cs-accent-soft); border: 1px dashed var(--cs-accent);
  border-radius: 999px; padding: 1px 8px; }
.cs-int__actions { margin-left: auto; display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.cs-int__summary { margin: 4px 0 0 26px; }
.cs-int__panel { margin: 10px 0 0 26px; display: grid; gap: 10px; }
.cs-int__panel[hidden] { display: none; }
.cs-int__panel h3.cs-int__title { font-size: 13px; margin: 0; }
.cs-int__note { border-left: 3px solid var(--cs-info); background: var(--cs-info-soft); padding: 8px 10px; border-radius: 4px; }
.cs-int__note p { margin: 0 0 4px; }
.cs-int__note p:last-child { margin: 0; }
`;

export const ENTRY_CSS = `${UI_CSS}\n${ENTRY_OWN_CSS}`;

/** The Connect CleverTap page's dialog, inside the framed extension page. */
export const CONNECT_DIALOG_CSS = `${DIALOG_CSS}\n${UI_CSS}\n.dialog.cs-root { width: 520px; }\n.intro { margin: 0 0 12px; }`;

/**
 * The frame covers the viewport, transparent: the framed page paints its own backdrop and dialog.
 * Its color scheme matches the framed page's, or Chrome would paint the frame opaque.
 */
export const CONNECT_FRAME_HOST_CSS = `
.frame { position: fixed; inset: 0; width: 100%; height: 100%; border: 0; margin: 0; padding: 0; display: block;
  background: transparent; color-scheme: light dark; }
`;
