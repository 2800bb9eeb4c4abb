/**
 * A map that holds at most `max` entries, dropping the oldest first. For results that are
 * expensive to recompute and pure in their key (a key's subgroup check, a document's
 * signature), so a full cache costs time, never correctness.
 */
export class BoundedCache<K, V> {
  readonly #map = new Map<K, V>();
  constructor(readonly max: number) {}

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  /** Forgets every entry. */
  clear(): void {
    this.#map.clear();
  }

  set(key: K, value: V): void {
    if (!this.#map.has(key) && this.#map.size >= this.max) this.#map.delete(this.#map.keys().next().value as K);
    this.#map.set(key, value);
  }
}
