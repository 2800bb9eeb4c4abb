import { b64uValue, equal } from '../bytes.js';
import { isCanonicalEd25519Signature } from '../crypto/algorithms.js';
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
 * Layers whose signature was found valid, each with the key it verified under, by the digest of
 * the layer before and the layer's own digest (the digests `verify` computes anyway). In format 2
 * a layer signs what its position implies (the previous layer's digest, its `kid` and `alg`,
 * spec §4.6.1), and the previous layer's bytes fix all of that: the pair fixes the algorithm, the
 * signature and the whole signing input, so a hit for the same key answers what verifying again
 * would. The layer's own digest alone would not: the same bytes after another layer sign other
 * input, and a remembered layer would splice. Only successes are kept, bounded; the layers a
 * chain shares with earlier requests (the root, upstream hops) are then checked once.
 */
const validLayers = new BoundedCache<number, RememberedLayer>(8192);

/**
 * A remembered layer: its own digest and the digest of the layer before, compared in full. The
 * map is keyed by 30 bits of the layer's digest, a small integer: a string key costs a look at
 * every stored key string it is compared with, memory the processor mostly has not cached. Two
 * layers whose digests share those bits take one slot, and the newer displaces the older: a
 * forged collision can only make a verifier check a signature again.
 */
interface RememberedLayer {
  readonly digest: string;
  readonly previous: string;
  readonly key: PublicKey;
}

/** The first 30 bits of a base64url digest (five characters): its slot in the memory. */
function slotOf(digest: string): number {
  let slot = 0;
  for (let i = 0; i < 5; i++) slot = (slot << 6) | b64uValue(digest, i);
  return slot;
}

/**
 * Forgets every layer signature remembered as valid, so the next `verify` checks each one
 * again (tests of the memory itself). A verifier never needs it for correctness: only
 * successes are remembered, and only for the exact layer bytes and key that produced them.
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
 * The signatures of a chain's layers over their own signing inputs, all started before any is
 * awaited (no layer waits on another's answer: an asynchronous backend such as Web Crypto works
 * on them together), each answered from the memory of valid layers when it can be, and the
 * valid ones remembered after the last answer. Synchronous when every answer is (node:crypto):
 * no promise per layer. `digests[i]` must be the base64url SHA-256 of `layers[i].bytes`, and
 * `layers` the whole chain from its root (the memory is keyed by each layer's place in it).
 */
export function idLayerSignaturesValid(layers: readonly Layer[], keys: readonly PublicKey[], digests: readonly string[]): boolean[] | Promise<boolean[]> {
  const n = layers.length;
  const results = new Array<boolean | Promise<boolean>>(n);
  let synchronous = true;
  for (let i = 0; i < n; i++) {
    const layer = layers[i]!;
    const key = keys[i]!;
    if (layer.header.alg !== key.alg) {
      results[i] = false;
      continue;
    }
    const known = validLayers.get(slotOf(digests[i]!));
    const r = (known !== undefined && known.digest === digests[i] && known.previous === (i === 0 ? '' : digests[i - 1]!) && sameKey(known.key, key)) || idSignatureValid(layer, key);
    if (typeof r !== 'boolean') synchronous = false;
    results[i] = r;
  }
  const remember = (valid: boolean[]): boolean[] => {
    for (let i = 0; i < n; i++) if (valid[i]) validLayers.set(slotOf(digests[i]!), { digest: digests[i]!, previous: i === 0 ? '' : digests[i - 1]!, key: keys[i]! });
    return valid;
  };
  return synchronous ? remember(results as boolean[]) : Promise.all(results).then(remember);
}
