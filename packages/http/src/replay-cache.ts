import { checkOptions, checks, NestokenError } from '@nestoken/core';

/**
 * Where a verifier records the proofs it has accepted (spec §11.8). One method, so a shared
 * store (Redis `SET key 1 NX EXAT exp`, a database row with a unique key) is a drop-in when
 * several instances serve the same audience.
 */
export interface ReplayCache {
  /**
   * Records `id` until `expiresAt` (seconds since the epoch) and answers whether this is its
   * first use. Must be atomic: of two concurrent calls with one id, one gets `true`.
   */
  firstUse(id: string, expiresAt: number): boolean | Promise<boolean>;
}

/** Options of `MemoryReplayCache`: how many live entries it holds and the clock it expires them by. */
export interface MemoryReplayCacheOptions {
  /** Live entries held at most; default 100,000. */
  readonly maxEntries?: number;
  /** Seconds since the epoch; default: the clock. */
  readonly now?: () => number;
}

/**
 * The default: an in-process map, bounded. Entries leave once expired, oldest first. When it
 * is full of entries that are all still live it refuses (`ERR_HOOK_FAILED`) rather than forget
 * one, since a forgotten id could be replayed: size it for the request rate times the proof
 * lifetime.
 */
export class MemoryReplayCache implements ReplayCache {
  readonly #seen = new Map<string, number>();
  readonly #max: number;
  readonly #now: () => number;

  /** Makes an empty cache; throws ERR_USAGE when `maxEntries` is not a positive integer. */
  constructor(options: MemoryReplayCacheOptions = {}) {
    const o = checkOptions<Required<MemoryReplayCacheOptions>>(options, 'MemoryReplayCache', { maxEntries: checks.whole(1, Number.MAX_SAFE_INTEGER), now: checks.function }, [], {
      maxEntries: 100_000,
      now: () => Math.floor(Date.now() / 1000),
    });
    this.#max = o.maxEntries;
    this.#now = o.now;
  }

  /** The number of ids held now, expired ones not yet swept included. */
  get size(): number {
    return this.#seen.size;
  }

  firstUse(id: string, expiresAt: number): boolean {
    const now = this.#now();
    const until = this.#seen.get(id);
    if (until !== undefined && until >= now) return false;
    if (until !== undefined) this.#seen.delete(id);
    if (this.#seen.size >= this.#max) this.#sweep(now);
    if (this.#seen.size >= this.#max) throw new NestokenError('ERR_HOOK_FAILED', 'the replay cache is full of live entries');
    this.#seen.set(id, expiresAt);
    return true;
  }

  /** Drops expired entries; insertion order is close to expiry order, so this usually stops early. */
  #sweep(now: number): void {
    for (const [id, until] of this.#seen) {
      if (until < now) this.#seen.delete(id);
      else if (this.#seen.size < this.#max) break;
    }
  }
}
