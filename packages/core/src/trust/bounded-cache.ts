import { fail } from '../errors.js';

/**
 * A map that holds at most `max` entries, dropping the oldest first. For results that are
 * expensive to recompute and pure in their key (a key's subgroup check, a document's
 * signature, an imported key, a decoded crate), so a full cache costs time, never correctness,
 * and a stream of distinct inputs cannot grow memory.
 */
export class BoundedCache<K, V> {
  /**
   * Two generations: new entries go into `#young`; when it holds half the bound, it becomes
   * `#old` and the previous old generation is dropped whole. Deleting the oldest entries one by
   * one (or an eighth at a time) from one map leaves holes that V8 compacts by copying the whole
   * table: a cache that keeps taking new keys (first-sight signatures) paid that copy, and its
   * garbage, on every few hundred inserts.
   */
  #young = new Map<K, V>();
  #old = new Map<K, V>();
  readonly #generation: number;
  /**
   * An empty cache (`ERR_USAGE` unless `max` is a positive whole number).
   *
   * @param max - how many entries it keeps at most (at least half of them once full)
   */
  constructor(readonly max: number) {
    if (!Number.isSafeInteger(max) || max < 1) fail('ERR_USAGE', 'a bounded cache keeps a positive whole number of entries');
    this.#generation = Math.max(1, max >> 1);
  }

  /** The value under `key`, if it is still held. */
  get(key: K): V | undefined {
    const young = this.#young.get(key);
    return young !== undefined || this.#old.size === 0 ? young : this.#old.get(key);
  }

  /** Forgets every entry. */
  clear(): void {
    this.#young = new Map();
    this.#old = new Map();
  }

  /** Forgets `key`, only while it still maps to `value` (a later entry under the key stays). */
  delete(key: K, value: V): void {
    if (this.#young.get(key) === value) {
      this.#young.delete(key);
      // An older value the young one hid must not come back in its place.
      this.#old.delete(key);
    } else if (!this.#young.has(key) && this.#old.get(key) === value) this.#old.delete(key);
  }

  /**
   * Holds `value` under `key`, dropping the oldest entries (the older generation, whole) when
   * the newer one is full; returns `value`. With a bound of 1 only the newest entry is kept.
   */
  set(key: K, value: V): V {
    if (this.#young.size >= this.#generation && !this.#young.has(key)) {
      this.#old = this.max === 1 ? new Map() : this.#young;
      this.#young = new Map();
    }
    // An older value under the key may stay in the old generation: the young one hides it, and
    // it is dropped with its generation.
    this.#young.set(key, value);
    return value;
  }
}
