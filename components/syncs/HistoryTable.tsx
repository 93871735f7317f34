/**
 * The runs of one sync: when, how it ended, its counts, how long it took, how many Mixpanel
 * queries and CleverTap requests it used, the records CleverTap rejected with their reasons, and a
 * CSV of the run's adds and removes.
 */
import { useEffect, useState } from 'react';
import type { RunOutcome, RunRecordView, SyncView } from '../../lib/messages';
import { sendToBackground } from '../../lib/send';
import { errorMessage } from '../../lib/ui/app-store';
import { downloadText } from '../../lib/ui/download';
import { describeSkips, formatCount, formatDateTime, formatDuration, totalSkipped } from '../../lib/ui/format';
import { OUTCOME_LABEL, TRIGGER_LABEL } from '../../lib/ui/labels';
import { Button } from '../ui/Button';
import { Notice } from '../ui/Notice';
import { Tag, type Tone } from '../ui/Tag';
import { useCommand } from '../ui/use-command';

const OUTCOME_TONE: Record<RunOutcome, Tone> = {
  synced: 'success',
  failed: 'danger',
  paused: 'warning',
  discarded: 'neutral',
};

export function useHistory(sync: SyncView | undefined) {
  const [runs, setRuns] = useState<RunRecordView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const syncId = sync?.id;
  const lastRunId = sync?.lastRun?.runId;
  useEffect(() => {
    if (!syncId) return;
    let cancelled = false;
    setError(null);
    sendToBackground({ type: 'history.get', syncId }).then(
      (value) => {
        if (!cancelled) setRuns([...value].sort((a, b) => b.startedAt - a.startedAt));
      },
      (caught: unknown) => {
        if (!cancelled) setError(errorMessage(caught));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [syncId, lastRunId]);
  return { runs: syncId ? runs : [], error };
}

function CsvButton({ run }: { run: RunRecordView }) {
  const download = useCommand();
  return (
    <>
      <Button
        size="sm"
        busy={download.busy}
        onClick={() =>
          void download.run(async () => {
            const { filename, csv } = await sendToBackground({ type: 'history.csv', runId: run.runId });
            downloadText(filename, csv);
          })
        }
      >
        CSV<span className="cs-visually-hidden"> of the run of {formatDateTime(run.startedAt)}</span>
      </Button>
      {download.error ? (
        <p className="cs-field__error" role="alert">
          {download.error}
        </p>
      ) : null}
    </>
  );
}

export function HistoryTable({ sync }: { sync: SyncView }) {
  const { runs, error } = useHistory(sync);
  if (error) return <Notice tone="danger" title="Could not load the history.">{error}</Notice>;
  if (runs === null) return <p className="cs-muted">Loading history…</p>;
  if (runs.length === 0) return <p className="cs-muted">No runs yet.</p>;
  return (
    <div className="cs-table-wrap">
      <table className="cs-table">
        <caption className="cs-visually-hidden">Runs of {sync.cohortName}, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Trigger</th>
            <th scope="col">Result</th>
            <th scope="col" className="cs-num">Read</th>
            <th scope="col" className="cs-num">Exported</th>
            <th scope="col" className="cs-num">Skipped</th>
            <th scope="col" className="cs-num">Added</th>
            <th scope="col" className="cs-num">Removed</th>
            <th scope="col" className="cs-num">Rejected</th>
            <th scope="col" className="cs-num">Duration</th>
            <th scope="col" className="cs-num">Queries</th>
            <th scope="col">Adds and removes</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.runId} data-run-id={run.runId}>
              <td>{formatDateTime(run.startedAt)}</td>
              <td>{TRIGGER_LABEL[run.trigger]}</td>
              <td>
                <Tag tone={OUTCOME_TONE[run.outcome]}>{OUTCOME_LABEL[run.outcome]}</Tag>
                {run.reason ? <div className="cs-history__reason">{run.reason}</div> : null}
                {run.segment === 'unchanged' ? (
                  <div className="cs-history__reason">Segment unchanged: membership did not change, nothing uploaded.</div>
                ) : null}
              </td>
              <td className="cs-num">{formatCount(run.counts.read)}</td>
              <td className="cs-num">{formatCount(run.counts.exported)}</td>
              <td className="cs-num" title={describeSkips(run.counts.skipped)}>
                {formatCount(totalSkipped(run.counts.skipped))}
              </td>
              <td className="cs-num">{formatCount(run.counts.added)}</td>
              <td className="cs-num">{formatCount(run.counts.removed)}</td>
              <td className="cs-num">
                {run.counts.rejected > 0 ? (
                  <details>
                    <summary>{formatCount(run.counts.rejected)}</summary>
                    <ul className="cs-rejections">
                      {run.rejections.map((rejection, index) => (
                        <li key={`${rejection.identity}-${index}`}>
                          <code>{rejection.identity}</code>: {rejection.error} ({rejection.code})
                          {rejection.failures && rejection.failures > 1 ? `, failed ${rejection.failures} runs in a row` : ''}
                        </li>
                      ))}
                      {run.counts.rejected > run.rejections.length ? (
                        <li className="cs-muted">
                          and {formatCount(run.counts.rejected - run.rejections.length)} more
                        </li>
                      ) : null}
                    </ul>
                  </details>
                ) : (
                  '0'
                )}
              </td>
              <td className="cs-num">{formatDuration(run.finishedAt - run.startedAt)}</td>
              <td className="cs-num" title={`${formatCount(run.clevertapRequests)} CleverTap requests`}>
                {formatCount(run.mixpanelQueries)}
              </td>
              <td>{run.counts.added + run.counts.removed > 0 ? <CsvButton run={run} /> : <span className="cs-muted">none</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
