import { equal } from '../bytes.js';
import { isCanonicalEd25519Signature } from '../crypto/algorithms.js';
import { signatureValid, signWith } from '../crypto/signatures.js';
import { BoundedCache } from '../trust/bounded-cache.js';
import type { Layer, LayerClaims, LayerCodec, LayerHeader } from '../encoding/layer.js';
import type { PublicKey, SigningKey } from '../keys.js';

/** 64 bytes with a canonical S (< L), for callers that check Ed25519 signatures outside a layer. */
export const checkEd25519Signature = isCanonicalEd25519Signature;

/** ID mode (spec §5.2): every layer carries its own signature, Ed25519 or ES256, by the key its header names. */
export async function signIdLayer(codec: LayerCodec, key: SigningKey, header: LayerHeader, claims: LayerClaims): Promise<Layer> {
  return codec.encode(header, claims, await signWith(key, codec.signingInput(header, claims)));
}

/**
 * Layers whose signature was found valid, by the base64url SHA-256 of the layer's bytes (the
 * digest the next layer's `prv` names, which `verify` computes anyway), each with the key it
 * verified under. The bytes fix the algorithm, the signature and the signing input, so a hit
 * for the same key answers what verifying again would; only successes are kept, bounded. The
 * layers a chain shares with earlier requests (the root, upstream hops) are then checked once,
 * and a chain seen for the first time pays one map lookup per layer: no hash, copy or string
 * of its own.
 */
const validLayers = new BoundedCache<string, PublicKey>(8192);

/**
 * Forgets every layer signature remembered as valid, so the next `verify` checks each one
 * again. For measurements of the full cost of verification (a benchmark verifying one token
 * over and over would otherwise time the memory, not the signatures) and for tests; a
 * verifier never needs it for correctness: only successes are remembered, and only for the
 * exact layer bytes and key that produced them.
 */
export function forgetVerifiedSignatures(): void {
  validLayers.clear();
}

const sameKey = (a: PublicKey, b: PublicKey): boolean => a === b || (a.alg === b.alg && equal(a.bytes, b.bytes));

/**
 * Valid only when the layer's alg is the key's and the signature is the one canonical signature
 * (spec §5.2). Synchronous when the backend is (node:crypto): a promise per layer shows in the
 * ratio to bare verifies.
 */
export function idSignatureValid(layer: Layer, key: PublicKey, signingInput = layer.signingInput): boolean | Promise<boolean> {
  if (layer.header.alg !== key.alg) return false;
  return signatureValid(key, signingInput, layer.signature);
}

/**
 * `idSignatureValid` over the layer's own signing input, remembered by `digest`, which must be
 * the base64url SHA-256 of `layer.bytes`.
 */
export function idLayerSignatureValid(layer: Layer, key: PublicKey, digest: string): boolean | Promise<boolean> {
  const known = validLayers.get(digest);
  if (known !== undefined && layer.header.alg === key.alg && sameKey(known, key)) return true;
  const remember = (valid: boolean): boolean => {
    if (valid) validLayers.set(digest, key);
    return valid;
  };
  const valid = idSignatureValid(layer, key);
  return typeof valid === 'boolean' ? remember(valid) : valid.then(remember);
}
