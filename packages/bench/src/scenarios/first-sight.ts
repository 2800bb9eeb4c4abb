import type { Operation } from '../measure.js';

/**
 * Core remembers valid ID-layer signatures (modes/id.ts: up to 8192, oldest dropped first), so
 * verifying one chain again and again measures a hash and a map lookup per layer, not a
 * verification. A relying party mostly sees chains it has never seen: "first sight" verifiers
 * go round a pool of distinct chains holding more signatures than core remembers, so every
 * call verifies every signature; "remembered" verifiers verify one chain again, the best case
 * of a caller that sees the same upstream layers twice.
 */
export const REMEMBERED_SIGNATURES = 8192;

/** What a scenario needs to know about the run beyond the hop count. */
export interface PrepareContext {
  /** Signatures a first-sight pool must hold: more than core remembers (smaller only in the smoke test, which times nothing). */
  readonly firstSightSignatures: number;
}

export const DEFAULT_PREPARE_CONTEXT: PrepareContext = { firstSightSignatures: REMEMBERED_SIGNATURES + 1 };

/** Distinct chains needed so that going round them never meets a remembered signature. */
export const poolSize = (hops: number, context: PrepareContext): number => Math.max(2, Math.ceil(context.firstSightSignatures / hops) + 1);

const pools = new Map<string, Promise<readonly unknown[]>>();

/**
 * A pool of `size` items made by `make(i)`, built once per key and shared by every scenario
 * that asks for it (the node:crypto and noble rows sign the same bytes).
 */
export function pool<T>(key: string, size: number, make: (i: number) => Promise<T>): Promise<readonly T[]> {
  const id = `${key}/${size}`;
  let p = pools.get(id) as Promise<readonly T[]> | undefined;
  if (!p) {
    p = (async () => {
      const out: T[] = [];
      for (let i = 0; i < size; i++) out.push(await make(i));
      return out;
    })();
    pools.set(id, p);
    // A failed build must not stay cached for the next caller.
    p.catch(() => pools.delete(id));
  }
  return p;
}

/** Where each pool is: one cursor per pool, shared by every operation that goes round it. */
const cursors = new WeakMap<readonly unknown[], { next: number }>();

/**
 * An operation that takes the next item of the pool on every call, round and round. Rows that
 * share a pool (node:crypto and noble, two verifiers of one scenario) share its cursor too: with
 * a cursor each, one row would verify the chain the other has just verified, and find every
 * signature remembered.
 */
export function roundRobin<T>(items: readonly T[], op: (item: T) => unknown): Operation {
  let cursor = cursors.get(items);
  if (!cursor) cursors.set(items, (cursor = { next: 0 }));
  const c = cursor;
  return () => op(items[c.next++ % items.length]!);
}
