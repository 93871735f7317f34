/**
 * Phase 3 of a run: bring CleverTap in line with the diff, in the sync's delivery mode.
 * Work is split into numbered batches of ≤ 1000 records; each finished batch is checkpointed,
 * so a resumed run sends no batch twice.
 */
import { forEachConcurrent } from '../http/concurrency';
import type { CleverTapClient, ProfileRecord, UploadResult } from '../clevertap/client';
import { MAX_KEPT_REJECTIONS, saveRun, type ActiveRun } from '../storage/runs';
import { CHANGE_CHUNK, readChangeChunk, snapshotIdentities, type Change, type ChangeOp, type Member } from '../storage/snapshots';
import type { Settings } from '../storage/schema';

/** Records per upload request: CleverTap's maximum, and the size of a stored change chunk. */
export const BATCH_SIZE = CHANGE_CHUNK;
/** CleverTap allows 15 concurrent upload requests per account. */
export const UPLOAD_CONCURRENCY = 15;
export const SEGMENT_CREATOR = 'Cohort Sync';

export interface DeliverContext {
  clevertap: CleverTapClient;
  settings: Settings;
  cohortId: number;
  cohortName: string;
  signal: AbortSignal;
  /** CleverTap requests made since the last call: folded into the checkpoint. */
  takeRequests: () => number;
  onProgress: (run: ActiveRun, done: number, total: number) => Promise<void>;
}

/** A run of one kind of change; a step's records are its parts one after another. */
interface StepPart {
  op: ChangeOp;
  count: number;
}

interface BatchStep {
  name: string;
  parts: StepPart[];
  send: (changes: Change[]) => Promise<UploadResult>;
}

export function segmentName(settings: Settings, cohortName: string): string {
  return `${settings.segmentPrefix}${cohortName}`;
}

export function usesSegment(settings: Settings): boolean {
  return settings.deliveryMode !== 'property';
}

export function usesProperty(settings: Settings): boolean {
  return settings.deliveryMode !== 'segment';
}

export async function deliver(start: ActiveRun, ctx: DeliverContext): Promise<ActiveRun> {
  let run = start;
  const steps = batchSteps(run, ctx);
  const total = steps.reduce((sum, step) => sum + batchCount(recordCount(step)), 0) + (usesSegment(ctx.settings) ? 1 : 0);
  let done = Object.values(run.delivered).reduce((sum, batches) => sum + batches.length, 0);

  for (const step of steps) {
    const finished = new Set(run.delivered[step.name] ?? []);
    const pending = [...Array(batchCount(recordCount(step))).keys()].filter((batch) => !finished.has(batch));
    let saving: Promise<unknown> = Promise.resolve();
    await forEachConcurrent(pending, UPLOAD_CONCURRENCY, async (batch) => {
      ctx.signal.throwIfAborted();
      const changes = await readBatch(run.runId, step.parts, batch);
      const result = await step.send(changes);
      // Checkpoints are chained so concurrent batches never overwrite each other's progress, and
      // the lane moves on to its next batch without waiting for the write.
      saving = saving.then(async () => {
        run = recordBatch(run, step.name, batch, result, ctx.takeRequests());
        await saveRun(run);
        await ctx.onProgress(run, ++done, total);
      });
    });
    await saving;
  }

  if (usesSegment(ctx.settings) && !(run.delivered.segment ?? []).includes(0)) {
    ctx.signal.throwIfAborted();
    const result = await ctx.clevertap.replaceCustomListSegment({
      name: segmentName(ctx.settings, ctx.cohortName),
      email: ctx.settings.notificationEmail,
      creator: SEGMENT_CREATOR,
      identities: snapshotIdentities(run.snapshot),
    }, { signal: ctx.signal });
    run = {
      ...run,
      segmentId: result.segmentId,
      delivered: { ...run.delivered, segment: [0] },
      clevertapRequests: run.clevertapRequests + ctx.takeRequests(),
    };
    await saveRun(run);
    await ctx.onProgress(run, ++done, total);
  }

  run = { ...run, phase: 'committing' };
  await saveRun(run);
  return run;
}

/** The profile record an added member is upserted with (its profile, and in property mode the $add). */
export function addRecord(settings: Settings, cohortName: string): (change: Member) => ProfileRecord {
  return (change) => ({
    identity: change.identity,
    profileData: usesProperty(settings)
      ? { ...change.profile, [settings.propertyName]: { $add: [cohortName] } }
      : { ...change.profile },
  });
}

/** The delivery step whose first batches are the add chunks, one for one (early adds count there). */
export function addStepName(settings: Settings): string {
  return usesProperty(settings) ? 'property' : 'profiles';
}

function batchSteps(run: ActiveRun, ctx: DeliverContext): BatchStep[] {
  const { settings, clevertap, signal } = ctx;
  const membership = settings.propertyName;
  const cohortValue = [ctx.cohortName];
  const upsert = addRecord(settings, ctx.cohortName);
  const unset = (change: Change): ProfileRecord => ({
    identity: change.identity,
    profileData: { [membership]: { $remove: cohortValue } },
  });
  // Every added user is upserted: CleverTap creates missing profiles, which custom lists need.
  // In property mode the removes follow the adds in the same batches (records are per user, so one
  // request may carry both), filling the last partial batch of adds.
  const steps: BatchStep[] = [
    usesProperty(settings)
      ? {
          name: addStepName(settings),
          parts: [
            { op: 'add', count: run.counts.added },
            { op: 'remove', count: run.counts.removed },
          ],
          send: (changes) =>
            clevertap.uploadProfiles(changes.map((change) => (change.op === 'add' ? upsert(change) : unset(change))), { signal }),
        }
      : {
          name: addStepName(settings),
          parts: [{ op: 'add', count: run.counts.added }],
          send: (changes) => clevertap.uploadProfiles(changes.map(upsert), { signal }),
        },
  ];
  if (settings.events.enabled) {
    const evtData = { 'Cohort Name': ctx.cohortName, 'Cohort ID': ctx.cohortId };
    for (const [op, evtName] of [
      ['add', settings.events.added],
      ['remove', settings.events.removed],
    ] as const) {
      steps.push({
        name: `events-${op}`,
        parts: [{ op, count: op === 'add' ? run.counts.added : run.counts.removed }],
        send: (changes) =>
          clevertap.uploadEvents(
            changes.map((change) => ({ identity: change.identity, evtName, evtData })),
            { signal },
          ),
      });
    }
  }
  return steps;
}

function recordBatch(run: ActiveRun, step: string, batch: number, result: UploadResult, requests: number): ActiveRun {
  const room = Math.max(0, MAX_KEPT_REJECTIONS - run.rejections.length);
  return {
    ...run,
    delivered: { ...run.delivered, [step]: [...(run.delivered[step] ?? []), batch] },
    rejections: [...run.rejections, ...result.rejected.slice(0, room)],
    counts: { ...run.counts, rejected: run.counts.rejected + result.rejected.length },
    clevertapRequests: run.clevertapRequests + requests,
  };
}

const batchCount = (records: number) => Math.ceil(records / BATCH_SIZE);
const recordCount = (step: BatchStep) => step.parts.reduce((sum, part) => sum + part.count, 0);

/**
 * Records BATCH_SIZE × batch onwards of the parts laid end to end, read from the change chunks
 * they fall in (a batch that straddles two parts, or two chunks of one part, reads both).
 */
async function readBatch(runId: string, parts: readonly StepPart[], batch: number): Promise<Change[]> {
  let start = batch * BATCH_SIZE;
  let room = BATCH_SIZE;
  const out: Change[] = [];
  for (const part of parts) {
    if (room === 0) break;
    if (start >= part.count) {
      start -= part.count;
      continue;
    }
    const end = Math.min(part.count, start + room);
    for (let chunk = Math.floor(start / CHANGE_CHUNK); chunk * CHANGE_CHUNK < end; chunk++) {
      const changes = await readChangeChunk(runId, part.op, chunk);
      const from = Math.max(start - chunk * CHANGE_CHUNK, 0);
      out.push(...changes.slice(from, end - chunk * CHANGE_CHUNK));
    }
    room -= end - start;
    start = 0;
  }
  return out;
}
