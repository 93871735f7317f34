/** The safety brake: a run that would empty or mostly empty a segment waits for a person. */

interface BrakeInput {
  /** Members in the last committed snapshot (0 on a first run). */
  committedSize: number;
  /** Members the run read and would keep. */
  stagedSize: number;
  removals: number;
  /** Share of the segment a run may remove on its own, 0..1. */
  threshold: number;
}

/** Returns why the run must wait for review, or undefined when it may go on. */
export function brakeReason({ committedSize, stagedSize, removals, threshold }: BrakeInput): string | undefined {
  if (committedSize === 0) return undefined;
  if (stagedSize === 0) {
    return `Mixpanel returned no members, but the segment has ${committedSize}. Confirm to empty the segment.`;
  }
  const share = removals / committedSize;
  if (share > threshold) {
    const percent = Math.round(share * 100);
    return `This run would remove ${removals} of ${committedSize} members (${percent} %), more than the ${Math.round(threshold * 100)} % safety limit.`;
  }
  return undefined;
}
