/**
 * "Copy page report": for a bug report when the "…" menu got no item of ours. Shows what is
 * copied (structure only, no profile data) so the user can check it before sending it.
 */
import { useState } from 'react';
import { Button } from '../ui/Button';
import { Notice } from '../ui/Notice';
import { latestPageReport, type PageReport } from './page-report';

type Status = { kind: 'idle' } | { kind: 'none' } | { kind: 'copied' | 'shown'; report: PageReport };

export function CopyPageReport() {
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  const copy = async () => {
    const report = await latestPageReport().catch(() => null);
    if (!report) return setStatus({ kind: 'none' });
    try {
      await navigator.clipboard.writeText(report.text);
      setStatus({ kind: 'copied', report });
    } catch {
      setStatus({ kind: 'shown', report });
    }
  };

  return (
    <div className="cs-card">
      <p className="cs-muted">
        If a cohort’s “…” menu in Mixpanel shows no “CleverTap (Cohort Sync)” item, open that menu once more on the
        Mixpanel tab, then copy the page report and send it with your bug report. It holds the menu’s and the row’s
        structure only (tag names, roles, labels, class names, shadow roots): no text of the page, no user data.
      </p>
      <Button onClick={() => void copy()}>Copy page report</Button>
      {status.kind === 'none' ? (
        <Notice tone="warning" title="No page report yet.">
          Open a Mixpanel project tab, click a cohort’s “…”, then try again.
        </Notice>
      ) : null}
      {status.kind === 'copied' || status.kind === 'shown' ? (
        <>
          <Notice tone={status.kind === 'copied' ? 'success' : 'warning'}>
            {status.kind === 'copied'
              ? `Copied the report of ${status.report.page}. Paste it into your bug report.`
              : 'The clipboard refused: select the report below and copy it.'}
          </Notice>
          <textarea className="cs-report" aria-label="Page report" readOnly rows={12} value={status.report.text} />
        </>
      ) : null}
    </div>
  );
}
