import { isCanonicalEd25519Signature } from '../crypto/algorithms.js';
import { signatureValid, signWith } from '../crypto/signatures.js';
import type { Layer, LayerClaims, LayerCodec, LayerHeader } from '../encoding/layer.js';
import type { PublicKey, SigningKey } from '../keys.js';

/** 64 bytes with a canonical S (< L), for callers that check Ed25519 signatures outside a layer. */
export const checkEd25519Signature = isCanonicalEd25519Signature;

/** ID mode (spec §5.2): every layer carries its own signature, Ed25519 or ES256, by the key its header names. */
export async function signIdLayer(codec: LayerCodec, key: SigningKey, header: LayerHeader, claims: LayerClaims): Promise<Layer> {
  return codec.encode(header, claims, await signWith(key, codec.signingInput(header, claims)));
}

/** Valid only when the layer's alg is the key's and the signature is the one canonical signature (spec §5.2). */
export function idSignatureValid(layer: Layer, key: PublicKey, signingInput = layer.signingInput): boolean | Promise<boolean> {
  if (layer.header.alg !== key.alg) return false;
  return signatureValid(key, signingInput, layer.signature);
}
