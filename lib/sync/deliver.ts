/**
 * Phase 3 of a run: bring CleverTap in line with the diff, in the sync's delivery mode.
 * Work is split into numbered batches of ≤ 1000 records; each finished batch is checkpointed,
 * so a resumed run sends no batch twice.
 */
import { coalesced, forEachConcurrent, type Slots } from '../http/concurrency';
import type { CleverTapClient, CustomListFile, ProfileRecord, UploadResult } from '../clevertap/client';
import { customListCsv } from '../clevertap/csv';
import { ApiError } from '../http/errors';
import { identityHash } from '../storage/identity-hash';
import { MAX_KEPT_REJECTIONS, saveRun, type ActiveRun } from '../storage/runs';
import {
  CHANGE_CHUNK,
  getCommitted,
  getEarlyAdds,
  loadSnapshotHashes,
  readChangeChunk,
  snapshotIdentities,
  type Change,
  type ChangeOp,
  type Member,
} from '../storage/snapshots';
import type { LastRun, Settings } from '../storage/schema';
import type { EarlyHandOver } from './pipeline';
import { recordOutcome, type RejectedStore } from './rejected-record';

/** Records per upload request: CleverTap's maximum, and the size of a stored change chunk. */
export const BATCH_SIZE = CHANGE_CHUNK;
/** CleverTap allows 15 concurrent upload requests per account. */
export const UPLOAD_CONCURRENCY = 15;
/** Batches in hand at once: one per upload slot, and as many again read ahead and waiting for a slot. */
export const LANES = 2 * UPLOAD_CONCURRENCY;
const SEGMENT_CREATOR = 'Cohort Sync';

interface DeliverContext {
  clevertap: CleverTapClient;
  settings: Settings;
  cohortId: number;
  cohortName: string;
  /** The segment this sync owns (stored on the sync); defaults to prefix + cohort name. */
  segmentName?: string;
  /** Identities CleverTap refused in earlier runs of this sync. */
  rejected: RejectedStore;
  /** The custom-list file, when the read wrote it as it staged; otherwise it is built from the snapshot. */
  listFile?: CustomListFile;
  /** The upserts during the read, still finishing their last batches (lib/sync/pipeline.ts). */
  early?: EarlyHandOver;
  /** The run's 15 upload slots: a batch holds one until its checkpoint is saved (lib/sync/pipeline.ts). */
  uploadSlots: Slots;
  /** The last run filed for this sync: if it left the segment equal to the committed snapshot, an unchanged run uploads nothing. */
  previous?: LastRun;
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
  // One checkpoint, advanced by the upload lanes and the list upload that runs beside them.
  const current = { run: await retryRejected(start, ctx) };
  const listWanted = listPending(current.run, ctx);
  // The list's file needs only the new snapshot, complete since the read: built while the profiles upload.
  const listFile =
    listWanted && !segmentUnchanged(current.run, ctx)
      ? ctx.listFile
        ? Promise.resolve(ctx.listFile)
        : customListCsv(snapshotIdentities(current.run.snapshot))
      : undefined;
  listFile?.catch(() => undefined);
  const steps = batchSteps(current.run, ctx);
  const total = steps.reduce((sum, step) => sum + batchCount(recordCount(step)), 0) + (listWanted ? 1 : 0);
  let done = [...steps.map((step) => step.name), 'segment'].reduce((sum, name) => sum + (current.run.delivered[name]?.length ?? 0), 0);
  const checkpoint = coalesced(() => saveRun(current.run));

  const sendStep = async (step: BatchStep, skip: ReadonlySet<number> = new Set()) => {
    const finished = new Set(current.run.delivered[step.name] ?? []);
    const pending = [...Array(batchCount(recordCount(step))).keys()].filter((batch) => !finished.has(batch) && !skip.has(batch));
    await forEachConcurrent(pending, LANES, async (batch) => {
      // Read before taking a slot, so a slot is held only for the upload and its checkpoint.
      const changes = await readBatch(current.run.runId, step.parts, batch);
      await ctx.uploadSlots.run(async () => {
        ctx.signal.throwIfAborted();
        const result = await step.send(changes);
        current.run = recordBatch(current.run, step.name, batch, result, ctx.takeRequests());
        // One save carries every batch recorded before it starts; the slot waits for it.
        await checkpoint();
        await ctx.onProgress(current.run, ++done, total);
      });
    });
  };
  const batches = (async () => {
    for (const step of steps) {
      if (step.name !== addStepName(ctx.settings)) {
        await sendStep(step);
        continue;
      }
      // The add step's first batches are the chunks upserted during the read: its lanes start at
      // once on the rest, beside the last early ones; then those are filed, and any that failed sent.
      const stream = await getEarlyAdds(current.run.snapshot);
      await sendStep(step, new Set([...(stream?.delivered ?? []), ...(ctx.early?.claimed ?? [])]));
      await ctx.early?.drained;
      const before = current.run.delivered[step.name]?.length ?? 0;
      current.run = await withEarlyBatches(current.run, step.name);
      done += (current.run.delivered[step.name]?.length ?? 0) - before;
      await saveRun(current.run);
      await sendStep(step);
    }
  })();
  // The list's first two calls (URL, file) name no profile, so they go out with the uploads; only its
  // completion waits for every batch (lib/clevertap/client.ts `beforeComplete`).
  const list = listWanted
    ? deliverSegment(current, ctx, batches, listFile).then(() => ctx.onProgress(current.run, ++done, total))
    : Promise.resolve();
  const [batchesOutcome, listOutcome] = await Promise.allSettled([batches, list]);
  // A failed batch is the cause when both fail: the list then stopped waiting for it.
  if (batchesOutcome.status === 'rejected') throw batchesOutcome.reason;
  if (listOutcome.status === 'rejected') throw listOutcome.reason;

  current.run = { ...current.run, phase: 'committing' };
  await saveRun(current.run);
  return current.run;
}

/** The profile record an added member is upserted with (its profile, and in property mode the $add). */
export function addRecord(settings: Settings, cohortName: string): (change: Member) => ProfileRecord {
  return (change) => ({
    identity: change.identity,
    profileData: creatingProfileData(
      change.identity,
      usesProperty(settings) ? { ...change.profile, [settings.propertyName]: { $add: [cohortName] } } : { ...change.profile },
    ),
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
          send: (changes) => {
            const adds = changes.filter((change) => change.op === 'add').map(upsert);
            const removes = changes.filter((change) => change.op === 'remove').map(unset);
            // Only the adds enter the rejected-identities record: a refused $remove is of someone who left.
            return uploadTracked(ctx, [...adds, ...removes], adds);
          },
        }
      : {
          name: addStepName(settings),
          parts: [{ op: 'add', count: run.counts.added }],
          send: (changes) => uploadTracked(ctx, changes.map(upsert)),
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

/** Files the upserts made during the read as the add step's batches, once (their record stays until the commit). */
async function withEarlyBatches(run: ActiveRun, step: string): Promise<ActiveRun> {
  const early = await getEarlyAdds(run.snapshot);
  const have = new Set(run.delivered[step] ?? []);
  if (!early || early.delivered.every((chunk) => have.has(chunk))) return run;
  return {
    ...run,
    delivered: { ...run.delivered, [step]: [...new Set([...have, ...early.delivered])] },
    rejections: [...run.rejections, ...early.rejections].slice(0, MAX_KEPT_REJECTIONS),
    counts: { ...run.counts, rejected: run.counts.rejected + early.rejected },
    clevertapRequests: run.clevertapRequests + early.requests,
  };
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


/**
 * CleverTap marks profileData "Required", and an upsert without any may create no profile: a user
 * with no e-mail, phone or name still gets one field, their own Identity.
 */
function creatingProfileData(identity: string, profileData: Record<string, unknown>): Record<string, unknown> {
  return Object.keys(profileData).length > 0 ? profileData : { Identity: identity };
}

type TrackedUploadContext = Pick<DeliverContext, 'clevertap' | 'rejected' | 'signal'>;

/**
 * Uploads profiles and keeps the rejected-identities record in step for the `tracked` ones (all by
 * default): refused ones are tried again by later runs.
 */
export async function uploadTracked(
  ctx: TrackedUploadContext,
  records: ProfileRecord[],
  tracked: readonly ProfileRecord[] = records,
): Promise<UploadResult> {
  const result = await ctx.clevertap.uploadProfiles(records, { signal: ctx.signal });
  const trackedIds = new Set(tracked.map((record) => record.identity));
  const rejected = await ctx.rejected.update((current) =>
    recordOutcome(current, tracked, result.rejected.filter((rejection) => trackedIds.has(rejection.identity))),
  );
  return {
    ...result,
    rejected: result.rejected.map((rejection) => ({ ...rejection, failures: rejected[rejection.identity]?.failures ?? 1 })),
  };
}

/**
 * Users CleverTap refused in earlier runs are not in CleverTap although the committed snapshot has
 * them, so no diff would send them again: send them here, unless they left the cohort this run.
 */
async function retryRejected(start: ActiveRun, ctx: DeliverContext): Promise<ActiveRun> {
  if ((start.delivered['profiles-retry'] ?? []).includes(0)) return start;
  const stored = await ctx.rejected.read();
  const left = new Set<string>();
  for (let chunk = 0; chunk < batchCount(start.counts.removed); chunk++) {
    for (const change of await readChangeChunk(start.runId, 'remove', chunk)) left.add(change.identity);
  }
  if (left.size > 0) {
    await ctx.rejected.update((current) => Object.fromEntries(Object.entries(current).filter(([identity]) => !left.has(identity))));
  }
  // Only members of the committed snapshot: anyone else refused is new in this run (an upsert during
  // the read may already have been refused) and the add step sends them, so nobody is sent twice.
  const committed = Object.keys(stored).length > 0 ? await getCommitted(start.syncId) : undefined;
  const known = committed ? await loadSnapshotHashes(committed.snapshot) : undefined;
  const records = Object.entries(stored)
    .filter(([identity]) => !left.has(identity) && known?.has(identityHash(identity)) === true)
    .map(([identity, entry]): ProfileRecord => ({ identity, profileData: creatingProfileData(identity, entry.profile) }));
  let run = start;
  let recovered = 0;
  for (let offset = 0; offset < records.length; offset += BATCH_SIZE) {
    ctx.signal.throwIfAborted();
    const batch = records.slice(offset, offset + BATCH_SIZE);
    const result = await uploadTracked(ctx, batch);
    recovered += batch.length - result.rejected.length;
    run = recordBatch(run, 'profiles-retry-batches', offset / BATCH_SIZE, result, ctx.takeRequests());
  }
  run = { ...run, delivered: { ...run.delivered, 'profiles-retry': [0, recovered] } };
  await saveRun(run);
  return run;
}

/** Profiles this run created or recovered: a custom list must then be uploaded, even if nobody joined or left. */
function recoveredProfiles(run: ActiveRun): number {
  return run.delivered['profiles-retry']?.[1] ?? 0;
}

/** Rounds a run waits for new profiles to become visible before uploading the list regardless. */
const MAX_PROFILE_WAITS = 3;
/**
 * New profiles sampled for visibility: the last ones upserted, which CleverTap ingests last. Three,
 * CleverTap's limit of concurrent profile reads, so a check is one round trip before the completion.
 */
const VISIBILITY_SAMPLE = 3;

/**
 * Replaces the custom list, unless nothing changed since the last upload of this segment (every
 * upload makes CleverTap e-mail the admin). Every batch must be in, and new profiles visible, before
 * the upload is completed: a custom list only qualifies profiles CleverTap already holds.
 */
async function deliverSegment(
  current: { run: ActiveRun },
  ctx: DeliverContext,
  batches: Promise<void>,
  file?: Promise<CustomListFile>,
): Promise<void> {
  const name = listName(ctx);
  if (segmentUnchanged(current.run, ctx)) {
    await batches;
    current.run = { ...current.run, segment: 'unchanged', segmentId: ctx.previous?.segmentId, delivered: { ...current.run.delivered, segment: [0] } };
    await saveRun(current.run);
    return;
  }
  ctx.signal.throwIfAborted();
  let confirmed = false;
  const result = await ctx.clevertap.replaceCustomListSegment(
    {
      name,
      email: ctx.settings.notificationEmail,
      creator: SEGMENT_CREATOR,
      identities: snapshotIdentities(current.run.snapshot),
      ...(file ? { file } : {}),
    },
    {
      signal: ctx.signal,
      beforeComplete: async () => {
        await batches;
        const waited = await awaitNewProfiles(current.run, ctx);
        current.run = waited.run;
        confirmed = waited.confirmed;
      },
    },
  );
  current.run = {
    ...current.run,
    segmentId: result.segmentId,
    // Uploaded before every new profile was seen: not proof the segment is whole, so the next run uploads again.
    ...(confirmed ? { segment: 'replaced' as const } : {}),
    delivered: { ...current.run.delivered, segment: [0] },
    clevertapRequests: current.run.clevertapRequests + ctx.takeRequests(),
  };
  await saveRun(current.run);
}

function listName(ctx: DeliverContext): string {
  return ctx.segmentName ?? segmentName(ctx.settings, ctx.cohortName);
}

/** The custom list is still to be uploaded by this run. */
function listPending(run: ActiveRun, ctx: DeliverContext): boolean {
  return usesSegment(ctx.settings) && !(run.delivered.segment ?? []).includes(0);
}

/** Nothing changed since the last upload of this segment: no upload (each one e-mails the admin). */
function segmentUnchanged(run: ActiveRun, ctx: DeliverContext): boolean {
  const previous = ctx.previous;
  return (
    run.counts.added === 0 &&
    run.counts.removed === 0 &&
    recoveredProfiles(run) === 0 &&
    previous?.outcome === 'synced' &&
    previous.segmentName === listName(ctx) &&
    previous.segment !== undefined
  );
}

async function awaitNewProfiles(start: ActiveRun, ctx: DeliverContext): Promise<{ run: ActiveRun; confirmed: boolean }> {
  const waits = start.delivered['profile-waits']?.[0] ?? 0;
  if (start.counts.added === 0) return { run: start, confirmed: true };
  if (waits >= MAX_PROFILE_WAITS) return { run: start, confirmed: false };
  const lastChunk = await readChangeChunk(start.runId, 'add', batchCount(start.counts.added) - 1);
  // Identities CleverTap refused have no profile to wait for; later runs send them again.
  const refused = await ctx.rejected.read();
  const sample = lastChunk
    .map((change) => change.identity)
    .filter((identity) => !(identity in refused))
    .slice(-VISIBILITY_SAMPLE);
  const missing = await ctx.clevertap.awaitProfiles(sample, { signal: ctx.signal });
  if (missing.length === 0) return { run: start, confirmed: true };
  const run: ActiveRun = { ...start, delivered: { ...start.delivered, 'profile-waits': [waits + 1] } };
  await saveRun(run);
  throw new ApiError(
    'clevertap',
    'server',
    `CleverTap has not yet made the new profiles visible (${missing.length} of ${sample.length} checked are missing), and a segment only counts profiles CleverTap already holds. The segment upload is tried again in a few minutes.`,
  );
}
