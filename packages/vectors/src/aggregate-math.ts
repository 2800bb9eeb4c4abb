import { createHash } from 'node:crypto';
import { ed25519, ristretto255 } from '@noble/curves/ed25519.js';
import { decodeToken, DEFAULT_LIMITS, type Layer } from '@nestoken/core';
import { concat, hex, scalarBytes, scalarOf, sha256, utf8 } from './bytes.js';
import { encodeLayer, signingInput } from './wire/layer.js';

const L = ed25519.Point.Fn.ORDER;
const Point = ristretto255.Point;
type Element = InstanceType<typeof Point>;
const DST_C = utf8('nestoken/v1/nst-r255/challenge');
const DST_K = utf8('nestoken/v1/nst-r255/key');
const DST_S = utf8('nestoken/v1/nst-r255/seal');

/** H(x) = LE(SHA-512(x)) mod L (spec §6.1). */
const H = (...parts: Uint8Array[]): bigint => scalarOf(new Uint8Array(createHash('sha512').update(concat(...parts)).digest())) % L;

/** The values a verifier computes on the way, per layer (spec §6.4 sequential form), for implementers to compare against. */
export interface Intermediate {
  /** c_i = H(DST_C ‖ enc(R_i) ‖ SI_i), 32 bytes little-endian; absent on the root. */
  readonly challenge?: string;
  /** e_i = H(DST_K ‖ enc(R_i) ‖ SI_i); present on the root and identified layers. */
  readonly keyChallenge?: string;
  /** S_i = R_i + [c_i]S_(i-1) + [e_i]X_i, its 32-byte ristretto255 encoding. */
  readonly S: string;
}

/**
 * The sequential verification of spec §6.4 and §6.5, written from the spec (not core's code)
 * over noble's ristretto255: returns the intermediate values, or throws when the equation
 * does not hold, so a valid aggregate vector is checked twice, independently.
 */
export function aggregateIntermediates(token: string | Uint8Array, keyOf: (kid: string) => Uint8Array | undefined): Intermediate[] {
  const { token: t } = decodeToken(token, DEFAULT_LIMITS);
  const out: Intermediate[] = [];
  let S: Element | undefined;
  t.layers.forEach((layer: Layer, i) => {
    const R = Point.fromBytes(layer.signature);
    const input = signingInput(layer.format, layer.header, layer.claims);
    let next = R;
    let challenge: bigint | undefined;
    let keyChallenge: bigint | undefined;
    if (S !== undefined) {
      challenge = H(DST_C, layer.signature, input);
      next = next.add(S.multiply(challenge));
    }
    if (layer.header.kid !== undefined) {
      const pub = keyOf(layer.header.kid);
      if (!pub) throw new Error(`no key for kid ${layer.header.kid}`);
      keyChallenge = H(DST_K, layer.signature, input);
      next = next.add(new Point(ed25519.Point.fromBytes(pub)).multiply(keyChallenge));
    }
    S = next;
    out.push({ ...(challenge !== undefined ? { challenge: hex(scalarBytes(challenge)) } : {}), ...(keyChallenge !== undefined ? { keyChallenge: hex(scalarBytes(keyChallenge)) } : {}), S: hex(next.toBytes()) });
  });
  const proof = t.proof!;
  const G = Point.BASE;
  const holds =
    proof.length === 32
      ? G.multiply(scalarOf(proof)).equals(S!)
      : G.multiply(scalarOf(proof.subarray(32))).equals(Point.fromBytes(proof.subarray(0, 32)).add(S!.multiply(H(DST_S, proof.subarray(0, 32), sha256(t.layers[t.layers.length - 1]!.bytes)))));
  if (!holds) throw new Error('the aggregate equation does not hold');
  return out;
}

/**
 * An anonymous link written from spec §6.3 (not core's code), so that a vector can carry a link
 * core's `extend` refuses to make: R = [r]G, c = H(DST_C ‖ enc(R) ‖ SI), s' = r + c·s. Only the
 * claims are at fault; the equation holds.
 */
export function anonymousLink(format: Layer['format'], header: Layer['header'], claims: Layer['claims'], previous: Uint8Array, nonce: Uint8Array): { layer: Layer; proof: Uint8Array } {
  const r = scalarOf(nonce) % L;
  const R = Point.BASE.multiply(r).toBytes();
  const c = H(DST_C, R, signingInput(format, header, claims));
  return { layer: encodeLayer(format, header, claims, R), proof: scalarBytes((r + c * scalarOf(previous)) % L) };
}
