/**
 * 52-bit identity hashes and a compact set of them. A staged snapshot keeps the hashes of every
 * identity it holds in memory (8 bytes each, about 16 MB at a million) so that a page can tell at
 * once which members cannot be duplicates; only a hash hit needs an exact look in IndexedDB.
 */

/** Two FNV-1a passes with different seeds, combined into a positive integer below 2^52. */
export function identityHash(identity: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < identity.length; i++) {
    const code = identity.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    b ^= b >>> 15;
  }
  // 32 bits of `a` above 20 bits of `b`; +1 keeps 0 free as the empty slot.
  return (a >>> 0) * 0x100000 + (b >>> 12) + 1;
}

/** Which of `buckets` hash buckets an identity belongs to. */
export function bucketOf(hash: number, buckets: number): number {
  // The high 32 bits, so buckets and set slots (low bits) stay independent.
  return Math.floor(hash / 0x100000) % buckets;
}

/** An open-addressing set of identity hashes (never 0) in a Float64Array. */
export class HashSet52 {
  private slots: Float64Array;
  private used = 0;

  constructor(capacity = 1024) {
    this.slots = new Float64Array(powerOfTwoAbove(capacity * 2));
  }

  get size(): number {
    return this.used;
  }

  has(hash: number): boolean {
    const mask = this.slots.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const slot = this.slots[i]!;
      if (slot === hash) return true;
      if (slot === 0) return false;
    }
  }

  add(hash: number): void {
    if ((this.used + 1) * 10 > this.slots.length * 7) this.grow();
    if (this.insert(this.slots, hash)) this.used++;
  }

  /** The hashes held, sorted. */
  sorted(): SortedHashes {
    const out = new Float64Array(this.used);
    let at = 0;
    for (const hash of this.slots) if (hash !== 0) out[at++] = hash;
    return new SortedHashes(out.sort());
  }

  private insert(slots: Float64Array, hash: number): boolean {
    const mask = slots.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const slot = slots[i]!;
      if (slot === hash) return false;
      if (slot === 0) {
        slots[i] = hash;
        return true;
      }
    }
  }

  private grow(): void {
    const next = new Float64Array(this.slots.length * 2);
    for (const hash of this.slots) if (hash !== 0) this.insert(next, hash);
    this.slots = next;
  }
}

function powerOfTwoAbove(n: number): number {
  let size = 16;
  while (size < n) size *= 2;
  return size;
}

/** A snapshot's identity hashes, sorted: membership by binary search, 8 bytes a member. */
export class SortedHashes {
  constructor(readonly hashes: Float64Array) {}

  static from(unsorted: Iterable<number>): SortedHashes {
    return new SortedHashes(Float64Array.from(unsorted).sort());
  }

  has(hash: number): boolean {
    let low = 0;
    let high = this.hashes.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const value = this.hashes[mid]!;
      if (value === hash) return true;
      if (value < hash) low = mid + 1;
      else high = mid - 1;
    }
    return false;
  }
}
