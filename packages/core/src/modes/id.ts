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
 * Signatures already found valid. Validity is a pure function of algorithm, key, signing
 * input and signature, so a hit answers what verifying again would; only successes are kept,
 * bounded. The layers a chain shares with earlier requests (the root, upstream hops) are then
 * checked once.
 */
const validSignatures = new BoundedCache<string, true>(8192);

/** The cache's name for a signature: a hash of everything its validity depends on. */
const signatureId = (key: PublicKey, signingInput: Uint8Array, signature: Uint8Array): string =>
  b64u(sha256(concat(utf8(key.alg), key.bytes, signature, signingInput)));

/**
 * The signatures of a chain's layers over their own signing inputs, all started before any is
 * awaited (no layer waits on another's answer), each answered from the cache when it can be;
 * every one is awaited, and the valid ones are remembered (after the last answer: no extra
 * promise per layer). Valid only when a layer's alg is its key's and the signature is the one
 * canonical signature (spec §5.2).
 */
export async function idLayerSignaturesValid(layers: readonly Layer[], keys: readonly PublicKey[]): Promise<boolean[]> {
  const ids = layers.map((layer, i) => signatureId(keys[i]!, layer.signingInput, layer.signature));
  const valid = await Promise.all(
    layers.map((layer, i) => {
      const key = keys[i]!;
      if (layer.header.alg !== key.alg) return false;
      return validSignatures.get(ids[i]!) === true || signatureValid(key, layer.signingInput, layer.signature);
    }),
  );
  for (let i = 0; i < valid.length; i++) if (valid[i]) validSignatures.set(ids[i]!, true);
  return valid;
}

/** One layer's signature, over its own signing input or another (its other encoding, spec §4.5), remembered when valid. */
export async function idSignatureValid(layer: Layer, key: PublicKey, signingInput = layer.signingInput): Promise<boolean> {
  if (layer.header.alg !== key.alg) return false;
  const id = signatureId(key, signingInput, layer.signature);
  if (validSignatures.get(id)) return true;
  const valid = await signatureValid(key, signingInput, layer.signature);
  if (valid) validSignatures.set(id, true);
  return valid;
}
