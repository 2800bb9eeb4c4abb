import { cryptoBackend } from '../crypto/backend.js';
import type { Layer, LayerClaims, LayerCodec, LayerHeader } from '../encoding/layer.js';
import type { PublicKey, SigningKey } from '../keys.js';

/** The group order L, little-endian, as S is encoded. */
const L_LE = Uint8Array.from([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
]);

/** 64 bytes with a canonical S (< L): rejects signature malleability before any backend sees it. */
export function checkEd25519Signature(sig: Uint8Array): boolean {
  if (sig.length !== 64) return false;
  for (let i = 31; i >= 0; i--) {
    const d = sig[32 + i]! - L_LE[i]!;
    if (d !== 0) return d < 0;
  }
  return false;
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

/** A plain Ed25519 signature through the crypto seam, for documents core does not model (e.g. a status list CWT). */
export async function signEd25519(key: SigningKey, message: Uint8Array): Promise<Uint8Array> {
  return cryptoBackend().ed25519Sign(key.seed, message);
}
