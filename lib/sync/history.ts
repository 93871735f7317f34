/** A run's adds and removes as a CSV the user can open in a spreadsheet safely. */
import { getHistoryRun } from '../storage/runs';
import { allChanges } from '../storage/snapshots';
import { toCsv, type CsvCell } from '../csv';

export async function runChangesCsv(runId: string): Promise<{ filename: string; csv: string }> {
  const run = await getHistoryRun(runId);
  if (!run) throw new Error('This run is no longer in the history.');
  const rows: CsvCell[][] = [['distinct_id', 'clevertap_identity', 'operation']];
  for await (const changes of allChanges(runId)) {
    for (const change of changes) rows.push([change.distinctId, change.identity, change.op === 'add' ? 'added' : 'removed']);
  }
  const stamp = new Date(run.startedAt).toISOString().slice(0, 16).replace(/[:T]/g, '-');
  return { filename: `cohort-sync-${run.syncId.replace(':', '-')}-${stamp}.csv`, csv: toCsv(rows) };
}
