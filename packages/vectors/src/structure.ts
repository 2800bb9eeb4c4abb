import type { ErrorCode, Layer } from '@nestoken/core';
import { digestOf } from './chains.js';
import type { Expectation } from './expectation.js';

/**
 * The checks a layer out of place can fail first (spec §7.3): it takes alg, kid and prv from
 * the layer before it, so either it sends what that position implies (a root inside the
 * chain), or its signer, algorithm or signature does not fit what it now implies.
 */
export const OUT_OF_PLACE: readonly ErrorCode[] = ['ERR_CHAIN_LINK', 'ERR_SIGNATURE_INVALID', 'ERR_ISSUER_MISMATCH', 'ERR_ALG_KEY_MISMATCH', 'ERR_IDENTITY_DOCUMENT'];

/**
 * What spec §7.3 gives a list of genuine layers: a first layer that is not a root is
 * truncation (it sends no alg or no kid); a later layer that does not extend its predecessor
 * fails one of the checks of its position. When every layer extends the one before, the list
 * is a prefix of the chain: in ID mode a valid chain addressed to someone else (the audience
 * check, §7.8, when the verifier names its key), in the aggregate modes one whose scalar
 * belongs to a removed layer.
 */
export function structuralExpectation(layers: readonly Layer[], mode: 'id' | 'aggregate'): Expectation {
  if (layers.length === 0) return { code: 'ERR_CHAIN_TRUNCATED' };
  if (layers[0]!.header.prv !== undefined) return { code: 'ERR_CHAIN_TRUNCATED', layer: 0 };
  for (let i = 1; i < layers.length; i++) {
    const prv = layers[i]!.header.prv;
    if (prv === undefined || prv !== digestOf(layers[i - 1]!.bytes)) return { oneOf: OUT_OF_PLACE };
  }
  return mode === 'id' ? { code: 'ERR_AUDIENCE_MISMATCH', layer: layers.length - 1 } : { code: 'ERR_SIGNATURE_INVALID' };
}

/**
 * A changed layer fails its own signature, the first in order to fail (spec §7.5); in the
 * aggregate modes the whole chain is one equation (no layer index).
 */
export function tamperExpectation(index: number, _length: number, mode: 'id' | 'aggregate'): Expectation {
  return mode === 'id' ? { code: 'ERR_SIGNATURE_INVALID', layer: index } : { code: 'ERR_SIGNATURE_INVALID' };
}

export const without = <T>(xs: readonly T[], i: number): T[] => [...xs.slice(0, i), ...xs.slice(i + 1)];
export const swap = <T>(xs: readonly T[], i: number, j: number): T[] => xs.map((x, k) => (k === i ? xs[j]! : k === j ? xs[i]! : x));
export const replaceAt = <T>(xs: readonly T[], i: number, x: T): T[] => xs.map((y, k) => (k === i ? x : y));
