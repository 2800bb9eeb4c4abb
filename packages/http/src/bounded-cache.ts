/**
 * A map that forgets its oldest entry once full: for values derived from request bytes
 * (imported keys, decoded crates) that a service sees again and again, without letting a
 * stream of distinct values grow memory.
 */
export class BoundedCache<K, V> {
  readonly #map = new Map<K, V>();
  constructor(readonly max: number) {}

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  /** Forgets `key`, only while it still maps to `value` (a later entry under the key stays). */
  delete(key: K, value: V): void {
    if (this.#map.get(key) === value) this.#map.delete(key);
  }

  set(key: K, value: V): V {
    if (!this.#map.has(key) && this.#map.size >= this.max) this.#map.delete(this.#map.keys().next().value as K);
    this.#map.set(key, value);
    return value;
  }
}
