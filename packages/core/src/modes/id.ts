import { ed25519 } from '@noble/curves/ed25519.js';
import { cryptoBackend } from '../crypto/backend.js';
import type { Layer, LayerClaims, LayerCodec, LayerHeader } from '../encoding/layer.js';
import type { PublicKey, SigningKey } from '../keys.js';

const L = ed25519.Point.Fn.ORDER;

/** 64 bytes with a canonical S (< L): rejects signature malleability before any backend sees it. */
export function checkEd25519Signature(sig: Uint8Array): boolean {
  if (sig.length !== 64) return false;
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]!);
  return s < L;
}

/** ID mode (spec §5.2): every layer carries its own Ed25519 signature. */
export async function signIdLayer(codec: LayerCodec, key: SigningKey, header: LayerHeader, claims: LayerClaims): Promise<Layer> {
  const signature = await cryptoBackend().ed25519Sign(key.seed, codec.signingInput(header, claims));
  return codec.encode(header, claims, signature);
}

export async function idSignatureValid(layer: Layer, key: PublicKey, signingInput = layer.signingInput): Promise<boolean> {
  if (!checkEd25519Signature(layer.signature)) return false;
  return cryptoBackend().ed25519Verify(key.bytes, signingInput, layer.signature);
}
