import type { Layer } from '@nestoken/core';
import { digestOf } from './chains.js';
import type { Expectation } from './expectation.js';

/**
 * The code spec §7.3 gives a list of genuine layers: the first that does not start at a root
 * or does not link to its predecessor decides. When every link holds, the list is a prefix of
 * the chain: in ID mode a valid chain addressed to someone else (the audience check, §7.8, when
 * the verifier names its key), in the aggregate modes one whose scalar belongs to a removed layer.
 */
export function structuralExpectation(layers: readonly Layer[], mode: 'id' | 'aggregate'): Expectation {
  if (layers.length === 0) return { code: 'ERR_CHAIN_TRUNCATED' };
  if (layers[0]!.header.prv !== undefined) return { code: 'ERR_CHAIN_TRUNCATED', layer: 0 };
  for (let i = 1; i < layers.length; i++) {
    const prv = layers[i]!.header.prv;
    if (prv === undefined || prv !== digestOf(layers[i - 1]!.bytes)) return { code: 'ERR_CHAIN_LINK', layer: i };
  }
  return mode === 'id' ? { code: 'ERR_AUDIENCE_MISMATCH', layer: layers.length - 1 } : { code: 'ERR_SIGNATURE_INVALID' };
}

/**
 * A changed layer breaks the link of the next one; only the last layer is left to its
 * signature, which in the aggregate modes is one equation for the whole chain (no layer index).
 */
export function tamperExpectation(index: number, length: number, mode: 'id' | 'aggregate'): Expectation {
  if (index < length - 1) return { code: 'ERR_CHAIN_LINK', layer: index + 1 };
  return mode === 'id' ? { code: 'ERR_SIGNATURE_INVALID', layer: index } : { code: 'ERR_SIGNATURE_INVALID' };
}

export const without = <T>(xs: readonly T[], i: number): T[] => [...xs.slice(0, i), ...xs.slice(i + 1)];
export const swap = <T>(xs: readonly T[], i: number, j: number): T[] => xs.map((x, k) => (k === i ? xs[j]! : k === j ? xs[i]! : x));
export const replaceAt = <T>(xs: readonly T[], i: number, x: T): T[] => xs.map((y, k) => (k === i ? x : y));
