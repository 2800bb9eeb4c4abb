import { BoundedCache } from '@nestoken/core';

/**
 * Results of a deterministic check, kept per verifier options object, keyed by a request's
 * header text and stamped with everything else the check is a function of (the second
 * included, so each entry serves only the second it was made in); a stamp that differs is a
 * miss. The text is the key as the request brought it, so a lookup builds no new string. A
 * result still being computed is kept too: requests that arrive meanwhile (all of them, as a
 * second begins under load) wait for that one answer. A failure is not kept; the next
 * request computes it again.
 */
export class SharedResults<T> {
  readonly #byOwner = new WeakMap<object, BoundedCache<string, { readonly stamp: unknown; readonly result: Promise<T> }>>();
  constructor(private readonly max: number) {}

  get(owner: object, key: string, stamp: unknown, compute: () => Promise<T>): Promise<T> {
    let cache = this.#byOwner.get(owner);
    if (!cache) this.#byOwner.set(owner, (cache = new BoundedCache(this.max)));
    const known = cache.get(key);
    if (known && known.stamp === stamp) return known.result;
    const entry = { stamp, result: compute().then(frozen) };
    cache.set(key, entry);
    entry.result.catch(() => cache.delete(key, entry));
    return entry.result;
  }
}

const ids = new WeakMap<object, number>();
let nextId = 0;
/**
 * A number naming an object for as long as it lives: a key part for an option a service may
 * replace in place (a trust bundle after rotation), so a result made under the old object is
 * never found under the new one.
 */
export function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}

/** Plain objects and arrays of a result, frozen: one result answers several requests. */
export function frozen<T>(value: T): T {
  if (Array.isArray(value) || (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype)) {
    for (const v of Object.values(value)) frozen(v);
    Object.freeze(value);
  }
  return value;
}
