/** The dialog's own styles, inside its shadow root: Mixpanel's CSS cannot reach them, nor ours the page. */
export const DIALOG_CSS = `
:host { font-size: 14px; }
.backdrop { position: fixed; inset: 0; background: rgba(17, 20, 33, 0.45); display: flex; align-items: flex-start;
  justify-content: center; padding-top: 10vh; font: 14px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  color: #1f2433; z-index: 2147483647; }
.dialog { background: #fff; border-radius: 8px; box-shadow: 0 12px 40px rgba(0, 0, 0, 0.25); width: 480px; max-width: calc(100vw - 32px);
  max-height: 80vh; overflow: auto; padding: 20px 24px; box-sizing: border-box; }
.head { display: flex; align-items: center; justify-content: space-between; gap: 12px; margin-bottom: 8px; }
h2 { font-size: 18px; font-weight: 600; margin: 0; }
.close { border: 0; background: none; font-size: 22px; line-height: 1; cursor: pointer; color: #5b6075; padding: 4px 8px; border-radius: 4px; }
.cohort { margin: 0 0 12px; overflow-wrap: anywhere; }
.cohort bdi { font-weight: 600; }
.muted { color: #5b6075; }
fieldset { border: 0; padding: 0; margin: 12px 0; }
legend { font-weight: 600; margin-bottom: 6px; padding: 0; }
.choice { display: flex; gap: 8px; align-items: flex-start; padding: 8px; border: 1px solid #d9dbe3; border-radius: 6px; margin-bottom: 8px; cursor: pointer; }
.choice input { margin-top: 3px; }
.choice small { display: block; color: #5b6075; }
.status { border: 1px solid #d9dbe3; border-radius: 6px; padding: 10px 12px; margin: 12px 0; }
.status strong { display: block; }
.alert { border: 1px solid #e0b4b4; background: #fff6f6; border-radius: 6px; padding: 10px 12px; margin: 12px 0; }
.note { border: 1px solid #c9d7f2; background: #f5f8ff; border-radius: 6px; padding: 10px 12px; margin: 12px 0; }
.actions { display: flex; gap: 8px; justify-content: flex-end; margin-top: 16px; flex-wrap: wrap; }
button.primary, button.secondary, button.link { font: inherit; border-radius: 6px; padding: 7px 14px; cursor: pointer; }
button.primary { background: #4f44e0; color: #fff; border: 1px solid #4f44e0; font-weight: 600; }
button.secondary { background: #fff; color: #1f2433; border: 1px solid #c4c7d4; }
button.link { background: none; border: 0; color: #4f44e0; text-decoration: underline; padding: 0; }
button:disabled { opacity: 0.55; cursor: default; }
button:focus-visible, input:focus-visible { outline: 2px solid #4f44e0; outline-offset: 2px; }
ul { margin: 6px 0 0; padding-left: 20px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
`;
