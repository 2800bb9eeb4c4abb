import { utf8 } from '../bytes.js';
import { group } from '../crypto/group.js';
import { add, decodePoint, decodeScalar, encodeScalar, hashToScalar, mul, ORDER, publicElement, type Element } from '../crypto/ristretto.js';
import type { Layer, LayerAlg, LayerClaims, LayerCodec, LayerHeader } from '../encoding/layer.js';
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
  previousAlg?: LayerAlg,
): SignedLink {
  const signingInput = codec.signingInput(header, claims, previousAlg);
  const r = nonce([previous ?? 0n, own ?? 0n], random, signingInput);
  // The nonce is secret: constant-time base multiplication here, unlike verification.
  const commitment = group().encode(group().baseMulSecret(r));
  let scalar = r;
  if (previous !== undefined) scalar = add(scalar, mul(challenge(commitment, signingInput), previous));
  if (own !== undefined) scalar = add(scalar, mul(keyChallenge(commitment, signingInput), own));
  return { layer: codec.encode(header, claims, commitment, previousAlg), scalar };
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

function prepare(links: readonly AggregateLinkInput[]): Prepared {
  const commitments: Element[] = [];
  const challenges: bigint[] = [];
  const keys: Prepared['keys'] = [];
  links.forEach(({ layer, key }, i) => {
    try {
      commitments.push(decodePoint(layer.signature, 'the commitment R'));
    } catch (e) {
      throw atLayer(e, i);
    }
    const input = layer.signingInput;
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
): boolean {
  const prepared = prepare(links);
  return verifier === 'msm' ? msmValid(prepared, proof) : sequentialValid(prepared, proof);
}

/**
 * Which link, read in the other format, makes the equation hold (spec §4.5): `variants[j]`
 * holds the signing inputs that change if layer j was signed in the other format (its own, and
 * the next layer's, whose implied `prv` then names the other bytes), `proofs[j]` the proof as
 * read for it (a seal binds the last layer's bytes). Returns the first such j,
 * or -1. Built on the running keys S_i of the chain as sent, so each candidate costs a few
 * group operations rather than a whole verification: a forged chain cannot make the
 * verifier's failure path quadratic.
 */
export function reencodedLink(links: readonly AggregateLinkInput[], proofs: readonly AggregateProof[], variants: ReadonlyArray<ReadonlyMap<number, Uint8Array>>): number {
  const { commitments, challenges, keys } = prepare(links);
  const g = group();
  const n = links.length;
  const step = (i: number, previous: Element | undefined, c: bigint, key: { readonly element: Element; readonly challenge: bigint } | undefined): Element => {
    let next = commitments[i]!;
    if (previous !== undefined) next = g.add(next, g.mul(previous, c));
    if (key) next = g.add(next, g.mul(key.element, key.challenge));
    return next;
  };
  const running: Element[] = [];
  for (let i = 0; i < n; i++) running.push(step(i, running[i - 1], challenges[i]!, keys[i]));
  // suffix[k] = c_(k+1) ··· c_(n-1): how S_k enters S_(n-1).
  const suffix: bigint[] = new Array<bigint>(n);
  suffix[n - 1] = 1n;
  for (let k = n - 2; k >= 0; k--) suffix[k] = mul(suffix[k + 1]!, challenges[k + 1]!);
  const holds = (last: Element, proof: AggregateProof): boolean => g.equals(g.baseMul(proof.scalar), proof.sealed ? g.add(proof.sealCommitment!, g.mul(last, proof.sealChallenge!)) : last);
  for (let j = 0; j < variants.length; j++) {
    const inputs = variants[j];
    if (!inputs || inputs.size === 0) continue;
    const changed = [...inputs.keys()].sort((a, b) => a - b);
    const lo = changed[0]!;
    const hi = changed[changed.length - 1]!;
    let s = lo > 0 ? running[lo - 1] : undefined;
    for (let i = lo; i <= hi; i++) {
      const { layer } = links[i]!;
      const input = inputs.get(i) ?? layer.signingInput;
      const key = keys[i] ? { element: keys[i]!.element, challenge: keyChallenge(layer.signature, input) } : undefined;
      s = step(i, s, challenge(layer.signature, input), key);
    }
    const last = hi === n - 1 ? s! : g.add(running[n - 1]!, g.msm([s!, running[hi]!], [suffix[hi]!, ORDER - suffix[hi]!]));
    if (holds(last, proofs[j]!)) return j;
  }
  return -1;
}
