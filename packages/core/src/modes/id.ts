import { b64u, concat, utf8 } from '../bytes.js';
import { isCanonicalEd25519Signature } from '../crypto/algorithms.js';
import { sha256 } from '../crypto/hash.js';
import { signatureValid, signWith } from '../crypto/signatures.js';
import { BoundedCache } from '../trust/bounded-cache.js';
import type { Layer, LayerAlg, LayerClaims, LayerCodec, LayerHeader } from '../encoding/layer.js';
import type { PublicKey, SigningKey } from '../keys.js';

/** 64 bytes with a canonical S (< L), for callers that check Ed25519 signatures outside a layer. */
export const checkEd25519Signature = isCanonicalEd25519Signature;

/** ID mode (spec §5.2): every layer carries its own signature, Ed25519 or ES256, by the key its header names. */
export async function signIdLayer(codec: LayerCodec, key: SigningKey, header: LayerHeader, claims: LayerClaims, previousAlg?: LayerAlg): Promise<Layer> {
  return codec.encode(header, claims, await signWith(key, codec.signingInput(header, claims, previousAlg)), previousAlg);
}

/**
 * Signatures already found valid, by the hash of algorithm, key, input and signature.
 * Validity is a pure function of these, so a hit answers what verifying again would; only
 * successes are kept, bounded. The layers a chain shares with earlier requests (the root,
 * upstream hops) are then checked once.
 */
const validSignatures = new BoundedCache<string, true>(8192);

/** Valid only when the layer's alg is the key's and the signature is the one canonical signature (spec §5.2). */
export async function idSignatureValid(layer: Layer, key: PublicKey, signingInput = layer.signingInput): Promise<boolean> {
  if (layer.header.alg !== key.alg) return false;
  const id = b64u(sha256(concat(utf8(key.alg), key.bytes, layer.signature, signingInput)));
  if (validSignatures.get(id)) return true;
  const valid = await signatureValid(key, signingInput, layer.signature);
  if (valid) validSignatures.set(id, true);
  return valid;
}
