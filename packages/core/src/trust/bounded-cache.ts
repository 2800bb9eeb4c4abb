import { fail } from '../errors.js';

/**
 * A map that holds at most `max` entries, dropping the oldest first. For results that are
 * expensive to recompute and pure in their key (a key's subgroup check, a document's
 * signature, an imported key, a decoded crate), so a full cache costs time, never correctness,
 * and a stream of distinct inputs cannot grow memory.
 */
export class BoundedCache<K, V> {
  readonly #map = new Map<K, V>();
  /**
   * An empty cache (`ERR_USAGE` unless `max` is a positive whole number).
   *
   * @param max - how many entries it keeps
   */
  constructor(readonly max: number) {
    if (!Number.isSafeInteger(max) || max < 1) fail('ERR_USAGE', 'a bounded cache keeps a positive whole number of entries');
  }

  /** The value under `key`, if it is still held. */
  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  /** Forgets every entry. */
  clear(): void {
    this.#map.clear();
  }

  /** Forgets `key`, only while it still maps to `value` (a later entry under the key stays). */
  delete(key: K, value: V): void {
    if (this.#map.get(key) === value) this.#map.delete(key);
  }

  /**
   * Holds `value` under `key`, dropping the oldest entries when full (an eighth of a large
   * cache at once); returns `value`. Dropped one at a time, a full cache that keeps taking new
   * keys (first-sight signatures) pays for a fresh iterator that steps over every entry deleted
   * since the map last compacted: microseconds per call. Dropped in batches, one iterator.
   */
  set(key: K, value: V): V {
    if (!this.#map.has(key) && this.#map.size >= this.max) {
      let drop = Math.max(1, this.max >> 3);
      for (const oldest of this.#map.keys()) {
        this.#map.delete(oldest);
        if (--drop === 0) break;
      }
    }
    this.#map.set(key, value);
    return value;
  }
}
