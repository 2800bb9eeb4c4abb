import { p256 } from '@noble/curves/nist.js';
import { cryptoBackend } from './backend.js';
import { isCanonicalEd25519Signature } from './algorithms.js';
import { sha256 } from './hash.js';
import type { PublicKey } from '../keys.js';

/**
 * A signature another system made with a nestoken key type (a Status List Token, a COSE
 * object): Ed25519 with a canonical S; ES256 as fixed-width r ‖ s with either S, since RFC
 * 7518 and RFC 9053 do not require low S. nestoken's own layers use `signatureValid`.
 */
export async function authoritySignatureValid(key: PublicKey, input: Uint8Array, sig: Uint8Array): Promise<boolean> {
  if (key.alg === 'Ed25519') return isCanonicalEd25519Signature(sig) && cryptoBackend().ed25519Verify(key.bytes, input, sig);
  if (sig.length !== 64) return false;
  return p256.verify(sig, sha256(input), key.bytes, { prehash: false, lowS: false, format: 'compact' });
}
