import { b64u, concat } from '../bytes.js';
import { cryptoBackend } from '../crypto/backend.js';
import { sha256 } from '../crypto/hash.js';
import { BoundedCache } from '../trust/bounded-cache.js';
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

/**
 * Signatures already found valid, by the hash of key, input and signature. Validity is a pure
 * function of the three, so a hit answers what verifying again would; only successes are kept,
 * bounded. The layers a chain shares with earlier requests (the root, upstream hops) are then
 * checked once.
 */
const validSignatures = new BoundedCache<string, true>(8192);

export async function idSignatureValid(layer: Layer, key: PublicKey, signingInput = layer.signingInput): Promise<boolean> {
  if (!checkEd25519Signature(layer.signature)) return false;
  const id = b64u(sha256(concat(key.bytes, layer.signature, signingInput)));
  if (validSignatures.get(id)) return true;
  const valid = await cryptoBackend().ed25519Verify(key.bytes, signingInput, layer.signature);
  if (valid) validSignatures.set(id, true);
  return valid;
}
