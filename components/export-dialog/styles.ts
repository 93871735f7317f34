/**
 * The in-page dialogs' frame (backdrop, box, title row) and the export dialog's own pieces, on the
 * shared UI kit's tokens, inside their shadow roots: Mixpanel's CSS cannot reach them, nor ours the page.
 */
import UI_CSS from '../ui/ui.css?inline';

export const DIALOG_CSS = `
:host { font-size: 14px; }
.backdrop { position: fixed; inset: 0; background: rgba(17, 20, 33, 0.45); display: flex; align-items: flex-start;
  justify-content: center; padding-top: 10vh; font: 14px/1.45 var(--cs-font); color: var(--cs-text); z-index: 2147483647; }
.dialog { background: var(--cs-bg); color: var(--cs-text); border-radius: 8px; box-shadow: 0 12px 40px rgba(0, 0, 0, 0.25);
  width: 480px; max-width: calc(100vw - 32px); max-height: 80vh; overflow: auto; padding: 20px 24px; box-sizing: border-box; }
.head { display: flex; align-items: center; justify-content: space-between; gap: 12px; margin-bottom: 8px; }
h2 { font-size: 18px; font-weight: 600; margin: 0; }
.close { border: 0; background: none; font-size: 22px; line-height: 1; cursor: pointer; color: var(--cs-text-muted); padding: 4px 8px; border-radius: 4px; }
.close:focus-visible, input:focus-visible { outline: 2px solid var(--cs-focus); outline-offset: 2px; }
`;

const EXPORT_DIALOG_OWN_CSS = `
.cohort { margin: 0 0 12px; overflow-wrap: anywhere; }
.cohort bdi { font-weight: 600; }
fieldset { border: 0; padding: 0; margin: 12px 0; }
legend { font-weight: 600; margin-bottom: 6px; padding: 0; }
.choice { display: flex; gap: 8px; align-items: flex-start; padding: 8px; border: 1px solid var(--cs-border); border-radius: var(--cs-radius);
  margin-bottom: 8px; cursor: pointer; }
.choice input { margin-top: 3px; accent-color: var(--cs-accent); }
.choice small { display: block; color: var(--cs-text-muted); }
.status { border: 1px solid var(--cs-border); border-radius: var(--cs-radius); padding: 10px 12px; margin: 12px 0; }
.status strong { display: block; }
.dialog .cs-notice { margin: 12px 0; }
.dialog .cs-notice p { margin: 0; }
.actions { display: flex; gap: 8px; justify-content: flex-end; margin-top: 16px; flex-wrap: wrap; }
ul { margin: 6px 0 0; padding-left: 20px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
`;

/** The export dialog's shadow root: the kit, the frame, its own pieces. */
export const EXPORT_DIALOG_CSS = `${UI_CSS}\n${DIALOG_CSS}\n${EXPORT_DIALOG_OWN_CSS}`;
