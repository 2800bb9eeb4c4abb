import { isCanonicalEd25519Signature, KEY_ALGORITHMS } from '../crypto/algorithms.js';
import { cryptoBackend } from '../crypto/backend.js';
import type { Layer, LayerClaims, LayerCodec, LayerHeader } from '../encoding/layer.js';
import type { PublicKey, SigningKey } from '../keys.js';

/** 64 bytes with a canonical S (< L), for callers that check Ed25519 signatures outside a layer. */
export const checkEd25519Signature = isCanonicalEd25519Signature;

/** ID mode (spec §5.2): every layer carries its own signature, Ed25519 or ES256, by the key its header names. */
export async function signIdLayer(codec: LayerCodec, key: SigningKey, header: LayerHeader, claims: LayerClaims): Promise<Layer> {
  const signature = await KEY_ALGORITHMS[key.publicKey.alg].sign(cryptoBackend(), key.seed, codec.signingInput(header, claims));
  return codec.encode(header, claims, signature);
}

/** A non-canonical signature is refused before any backend sees it, so every backend gives the same verdict. */
export async function idSignatureValid(layer: Layer, key: PublicKey, signingInput = layer.signingInput): Promise<boolean> {
  const alg = KEY_ALGORITHMS[key.alg];
  if (layer.header.alg !== alg.name || !alg.isCanonicalSignature(layer.signature)) return false;
  return alg.verify(cryptoBackend(), key.bytes, signingInput, layer.signature);
}
