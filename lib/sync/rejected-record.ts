/**
 * The rejected-identities record of a sync (lib/sync/rejected.ts keeps it): whose profile CleverTap
 * refused, how often, and what to send again. Pure, so the delivery phase stays free of storage APIs.
 */

/** Enough to send the record again; capped so a broken account cannot fill storage. */
const MAX_REJECTED_PER_SYNC = 10_000;

export type RejectedIdentities = Record<
  string,
  { failures: number; code: number; error: string; profile: Record<string, unknown> }
>;

export interface RejectedStore {
  read(): Promise<RejectedIdentities>;
  /** Serialised read-modify-write. */
  update(change: (current: RejectedIdentities) => RejectedIdentities): Promise<RejectedIdentities>;
}

/**
 * Folds one batch's answer in: refused identities count one more failure, accepted ones are forgotten.
 * Returns `current` itself when nothing changes, so the store can skip the write.
 */
export function recordOutcome(
  current: RejectedIdentities,
  sent: readonly { identity: string; profileData: Record<string, unknown> }[],
  refused: readonly { identity: string; code: number; error: string }[],
): RejectedIdentities {
  let next: RejectedIdentities | undefined;
  let size = Object.keys(current).length;
  const refusedBy = new Map(refused.map((rejection) => [rejection.identity, rejection]));
  for (const record of sent) {
    const rejection = refusedBy.get(record.identity);
    if (!rejection) {
      if (record.identity in (next ?? current)) {
        delete (next ??= { ...current })[record.identity];
        size--;
      }
      continue;
    }
    const known = (next ?? current)[record.identity];
    if (!known && size >= MAX_REJECTED_PER_SYNC) continue;
    if (!known) size++;
    (next ??= { ...current })[record.identity] = {
      failures: (known?.failures ?? 0) + 1,
      code: rejection.code,
      error: rejection.error,
      profile: record.profileData,
    };
  }
  return next ?? current;
}
