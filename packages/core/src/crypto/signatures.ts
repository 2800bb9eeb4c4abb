import type { PublicKey, SigningKey } from '../keys.js';
import { KEY_ALGORITHMS } from './algorithms.js';
import { cryptoBackend } from './backend.js';

/**
 * Signing and verification by a key's own algorithm (spec §5.2), through the active backend.
 * The one place that pairs a key with its row of the algorithm table: ID-mode layers use it,
 * and so can anything else that checks a nestoken key's signature.
 */
export function signWith(key: SigningKey, message: Uint8Array): Uint8Array | Promise<Uint8Array> {
  return KEY_ALGORITHMS[key.publicKey.alg].sign(cryptoBackend(), key.seed, message);
}

/**
 * A non-canonical signature (wrong width, S ≥ L, high S, r or s out of range) is false before
 * any backend sees it. Not async: a chain verifies one signature per layer, and an extra
 * promise per call shows in the ratio to bare verifies.
 */
export function signatureValid(key: PublicKey, message: Uint8Array, signature: Uint8Array): boolean | Promise<boolean> {
  const alg = KEY_ALGORITHMS[key.alg];
  if (!alg.isCanonicalSignature(signature)) return false;
  return alg.verify(cryptoBackend(), key.bytes, message, signature);
}
