/** A small page at https://api.clevertap.com/__emulator/ showing what CleverTap now holds. */
import type { EmulatorState } from './index';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function renderStatePage(state: EmulatorState): string {
  const accounts = state.accounts
    .map((account) => {
      const segments = account.segments
        .map(
          (segment) => `
      <section class="segment" data-segment="${escapeHtml(segment.name)}">
        <h3>${escapeHtml(segment.name)} <small>(Segment ID ${segment.id}, ${segment.members.length} members, replaced ${segment.replaceCount}×)</small></h3>
        <p>Created by ${escapeHtml(segment.creator)} &lt;${escapeHtml(segment.email)}&gt;, updated ${escapeHtml(segment.updatedAt)}${
          segment.unmatched.length ? `; ${segment.unmatched.length} identities not in CleverTap` : ''
        }</p>
        <ul>${segment.members.map((member) => `<li>${escapeHtml(member)}</li>`).join('')}</ul>
      </section>`,
        )
        .join('');
      return `
    <article class="account">
      <h2>Project ${escapeHtml(account.accountId)} (${escapeHtml(account.region)})</h2>
      <p>${account.profileCount} profiles, ${account.eventCount} events</p>
      ${segments || '<p>No custom-list segments yet.</p>'}
    </article>`;
    })
    .join('');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>CleverTap emulator</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}small{color:#666}ul{columns:4}</style></head>
<body>
  <h1>CleverTap emulator</h1>
  ${accounts}
</body>
</html>`;
}
