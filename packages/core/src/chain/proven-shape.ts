import { NestokenError } from '../errors.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { ProvenHop, ProvenPath } from './verify.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The hops of a proven path handed back to us (a policy, a binding, an export): functions that
 * take a `ProvenPath` check its shape at the boundary, so a hand-made or hostile object is
 * ERR_USAGE, never a TypeError, and its length is bounded like any verified chain's.
 */
export function provenHopsOf(path: unknown, what: string): readonly ProvenHop[] {
  const hops = isObject(path) ? path.hops : undefined;
  if (!Array.isArray(hops) || hops.length === 0 || hops.length > DEFAULT_LIMITS.maxLayers) {
    throw new NestokenError('ERR_USAGE', `${what} takes a proven path from verify (1 to ${DEFAULT_LIMITS.maxLayers} hops)`);
  }
  for (const h of hops) {
    if (!isObject(h) || !Number.isSafeInteger(h.index) || typeof h.identity !== 'string' || typeof h.anonymous !== 'boolean' || !isObject(h.claims)) {
      throw new NestokenError('ERR_USAGE', `${what} takes a proven path from verify: a hop lacks index, identity, anonymous or claims`);
    }
  }
  return hops as ProvenHop[];
}

/** The same, for the path itself (its `issuer` too). */
export function provenPathOf(path: unknown, what: string): ProvenPath {
  provenHopsOf(path, what);
  if (typeof (path as ProvenPath).issuer !== 'string') throw new NestokenError('ERR_USAGE', `${what} takes a proven path from verify: no issuer`);
  return path as ProvenPath;
}
