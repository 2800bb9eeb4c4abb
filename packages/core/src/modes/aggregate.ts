import { utf8 } from '../bytes.js';
import { group } from '../crypto/group.js';
import { add, decodePoint, decodeScalar, encodeScalar, hashToScalar, mul, publicElement, type Element } from '../crypto/ristretto.js';
import type { Layer, LayerClaims, LayerCodec, LayerHeader } from '../encoding/layer.js';
import { atLayer, fail } from '../errors.js';
import type { PublicKey } from '../keys.js';

/**
 * Aggregate modes (spec §6): Schnorr signature concatenation over ristretto255. Each layer
 * carries its commitment R_i; the token carries only the last scalar. Layer i is signed with
 * the previous scalar as secret and, when the hop is identified, with its own key under a
 * challenge of its own:
 *   s_i = r_i + c_i · s_(i-1) + e_i · x_i     (no c-term on the root; no e-term when anonymous)
 * A shared challenge, c_i · (s_(i-1) + x_i), would let anyone with a certified key chosen as
 * x'G - S_(i-1) append an identified hop without the scalar (spec §6.6.4). Independent
 * challenges over a transcript that names the key rule that out.
 */
const DST_NONCE = utf8('nestoken/v1/nst-r255/nonce');
const DST_CHALLENGE = utf8('nestoken/v1/nst-r255/challenge');
const DST_KEY = utf8('nestoken/v1/nst-r255/key');
const DST_SEAL = utf8('nestoken/v1/nst-r255/seal');

/** How an aggregate chain is verified: one multi-scalar multiplication, or hop by hop. */
export type AggregateVerifier = 'msm' | 'sequential';

export const challenge = (commitment: Uint8Array, signingInput: Uint8Array): bigint =>
  hashToScalar(DST_CHALLENGE, commitment, signingInput);

export const keyChallenge = (commitment: Uint8Array, signingInput: Uint8Array): bigint =>
  hashToScalar(DST_KEY, commitment, signingInput);

/** Hedged nonce: secrets, message and fresh randomness, so neither a bad RNG nor a fault alone leaks a secret. */
function nonce(secrets: readonly bigint[], random: Uint8Array, message: Uint8Array): bigint {
  const r = hashToScalar(DST_NONCE, ...secrets.map(encodeScalar), random, message);
  return r === 0n ? 1n : r;
}

export interface SignedLink {
  readonly layer: Layer;
  /** The new last scalar: whoever holds it can extend the chain. */
  readonly scalar: bigint;
}

export interface LinkSecrets {
  /** s_(i-1): absent on the root layer. */
  readonly previous?: bigint;
  /** x_i: the hop's own key scalar, for the root and identified hops. */
  readonly own?: bigint;
}

export function signAggregateLayer(
  codec: LayerCodec,
  header: LayerHeader,
  claims: LayerClaims,
  { previous, own }: LinkSecrets,
  random: Uint8Array,
): SignedLink {
  const signingInput = codec.signingInput(header, claims);
  const r = nonce([previous ?? 0n, own ?? 0n], random, signingInput);
  // The nonce is secret: constant-time base multiplication here, unlike verification.
  const commitment = group().encode(group().baseMulSecret(r));
  let scalar = r;
  if (previous !== undefined) scalar = add(scalar, mul(challenge(commitment, signingInput), previous));
  if (own !== undefined) scalar = add(scalar, mul(keyChallenge(commitment, signingInput), own));
  return { layer: codec.encode(header, claims, commitment), scalar };
}

/** Replaces s_n by a proof of knowledge of it bound to the last layer, so nobody can extend further. */
export function sealProof(scalar: bigint, lastLayerDigest: Uint8Array, random: Uint8Array): Uint8Array {
  const r = nonce([scalar], random, lastLayerDigest);
  const commitment = group().encode(group().baseMulSecret(r));
  const c = hashToScalar(DST_SEAL, commitment, lastLayerDigest);
  const proof = new Uint8Array(64);
  proof.set(commitment, 0);
  proof.set(encodeScalar(add(r, mul(c, scalar))), 32);
  return proof;
}

export interface AggregateProof {
  readonly sealed: boolean;
  /** s_n, or z of the seal. */
  readonly scalar: bigint;
  readonly sealCommitment?: Element;
  readonly sealChallenge?: bigint;
}

export function decodeProof(proof: Uint8Array, lastLayerDigest: Uint8Array): AggregateProof {
  if (proof.length === 32) return { sealed: false, scalar: decodeScalar(proof, 'the chain scalar') };
  if (proof.length !== 64) fail('ERR_MALFORMED', 'the proof is 32 bytes (open) or 64 bytes (sealed)');
  const commitmentBytes = proof.subarray(0, 32);
  return {
    sealed: true,
    sealCommitment: decodePoint(commitmentBytes, 'the seal commitment'),
    scalar: decodeScalar(proof.subarray(32), 'the seal response'),
    sealChallenge: hashToScalar(DST_SEAL, commitmentBytes, lastLayerDigest),
  };
}

export interface AggregateLinkInput {
  readonly layer: Layer;
  /** The hop's proven key when the layer is identified (always for the root). */
  readonly key: PublicKey | undefined;
}

interface Prepared {
  readonly commitments: Element[];
  readonly challenges: bigint[];
  readonly keys: Array<{ readonly element: Element; readonly challenge: bigint } | undefined>;
}

function prepare(links: readonly AggregateLinkInput[], lastSigningInput?: Uint8Array): Prepared {
  const commitments: Element[] = [];
  const challenges: bigint[] = [];
  const keys: Prepared['keys'] = [];
  links.forEach(({ layer, key }, i) => {
    try {
      commitments.push(decodePoint(layer.signature, 'the commitment R'));
    } catch (e) {
      throw atLayer(e, i);
    }
    const input = i === links.length - 1 && lastSigningInput ? lastSigningInput : layer.signingInput;
    challenges.push(challenge(layer.signature, input));
    keys.push(key ? { element: publicElement(key), challenge: keyChallenge(layer.signature, input) } : undefined);
  });
  return { commitments, challenges, keys };
}

/**
 * S_n = Σ_j π_j·R_j + Σ_identified e_j·π_j·X_j with π_j = c_(j+1)···c_(n-1): one multi-scalar
 * multiplication checked against s_n·G (or, sealed, z·G = R' + c'·S_n).
 */
function msmValid({ commitments, challenges, keys }: Prepared, proof: AggregateProof): boolean {
  const points: Element[] = [];
  const scalars: bigint[] = [];
  const factor = proof.sealed ? proof.sealChallenge! : 1n;
  let suffix = factor;
  for (let j = commitments.length - 1; j >= 0; j--) {
    points.push(commitments[j]!);
    scalars.push(suffix);
    const key = keys[j];
    if (key) {
      points.push(key.element);
      scalars.push(mul(key.challenge, suffix));
    }
    suffix = mul(suffix, challenges[j]!);
  }
  if (proof.sealed) {
    points.push(proof.sealCommitment!);
    scalars.push(1n);
  }
  const g = group();
  return g.equals(g.baseMul(proof.scalar), g.msm(points, scalars));
}

/** The reference: rebuild every intermediate public key S_i = R_i + c_i·S_(i-1) + e_i·X_i, hop by hop. */
function sequentialValid({ commitments, challenges, keys }: Prepared, proof: AggregateProof): boolean {
  const g = group();
  let running: Element | undefined;
  commitments.forEach((commitment, i) => {
    let next = commitment;
    if (running !== undefined) next = g.add(next, g.mul(running, challenges[i]!));
    const key = keys[i];
    if (key) next = g.add(next, g.mul(key.element, key.challenge));
    running = next;
  });
  let expected = running!;
  if (proof.sealed) expected = g.add(proof.sealCommitment!, g.mul(expected, proof.sealChallenge!));
  return g.equals(g.baseMul(proof.scalar), expected);
}

export function aggregateValid(
  links: readonly AggregateLinkInput[],
  proof: AggregateProof,
  verifier: AggregateVerifier,
  lastSigningInput?: Uint8Array,
): boolean {
  const prepared = prepare(links, lastSigningInput);
  return verifier === 'msm' ? msmValid(prepared, proof) : sequentialValid(prepared, proof);
}
