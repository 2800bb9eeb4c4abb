import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { b64u, fromB64u } from '../bytes.js';
import { fail } from '../errors.js';
import type { CryptoBackend } from './backend.js';

/**
 * The signature algorithms of nestoken, one row each (spec §3.5, §5.2). Codecs, keys, the ID
 * mode and both crypto backends read these rows, so adding an algorithm is adding a row, not
 * a branch in every file.
 */
export type KeyAlg = 'Ed25519' | 'ES256';

/** A layer's `alg`: a key algorithm signs an ID-mode layer; `nst-r255` is one link of an aggregate chain (spec §6). */
export type LayerAlg = KeyAlg | 'nst-r255';

export interface KeyAlgorithm {
  /** The fully-specified JOSE name (RFC 9864 for Ed25519, RFC 7518 for ES256): the layer `alg`. */
  readonly name: KeyAlg;
  /** The COSE algorithm value (RFC 9864: -19; RFC 9053: -7). */
  readonly cose: number;
  readonly kty: 'OKP' | 'EC';
  readonly crv: 'Ed25519' | 'P-256';
  /** Length of `PublicKey.bytes`: Ed25519 the point encoding, ES256 the uncompressed SEC 1 point. */
  readonly publicKeyLength: number;
  /** Length of the private key: the RFC 8032 seed, or the big-endian scalar d. */
  readonly privateKeyLength: number;
  readonly signatureLength: number;
  /** DER prefix of a SubjectPublicKeyInfo over `PublicKey.bytes` (RFC 8410, RFC 5480), for platform crypto. */
  readonly spkiPrefix: Uint8Array;
  /** Throws `ERR_KEY_INVALID` unless the bytes are a canonical, valid public key (spec §3.5). */
  checkPublicKey(bytes: Uint8Array): void;
  /** Throws `ERR_KEY_INVALID` unless the bytes are a usable private key. */
  checkPrivateKey(bytes: Uint8Array): void;
  /** The JWK members RFC 7638 hashes, in its lexicographic order; also the public JWK's key members. */
  jwkMembers(publicKey: Uint8Array): Readonly<Record<string, string>>;
  /** `PublicKey.bytes` from a JWK's key members (checked by `checkPublicKey` afterwards). */
  publicKeyFromJwk(jwk: Readonly<Record<string, unknown>>): Uint8Array;
  /** The one canonical form of a signature (spec §5.2): anything else fails before a backend sees it. */
  isCanonicalSignature(signature: Uint8Array): boolean;
  publicFromPrivate(backend: CryptoBackend, privateKey: Uint8Array): Uint8Array;
  sign(backend: CryptoBackend, privateKey: Uint8Array, message: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** Only called on a checked key and a canonical signature. */
  verify(backend: CryptoBackend, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean | Promise<boolean>;
}

/** The Ed25519 group order L, little-endian, as S is encoded. */
const L_LE = Uint8Array.from([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
]);

/** 64 bytes with a canonical S (< L): rejects signature malleability before any backend sees it. */
export function isCanonicalEd25519Signature(sig: Uint8Array): boolean {
  if (!(sig instanceof Uint8Array) || sig.length !== 64) return false;
  for (let i = 31; i >= 0; i--) {
    const d = sig[32 + i]! - L_LE[i]!;
    if (d !== 0) return d < 0;
  }
  return false;
}

/** The P-256 group order n. */
export const P256_ORDER = p256.Point.Fn.ORDER;
const bigEndian32 = (x: bigint): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => Number((x >> BigInt(8 * (31 - i))) & 0xffn));
const N_BE = bigEndian32(P256_ORDER);
const HALF_N_BE = bigEndian32(P256_ORDER >> 1n);

/** Compares the 32 big-endian bytes of `sig` at `offset` with `bound`: negative, zero or positive. Verify runs this per layer, so no BigInt. */
function compare32(sig: Uint8Array, offset: number, bound: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const d = sig[offset + i]! - bound[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

function isZero32(sig: Uint8Array, offset: number): boolean {
  let acc = 0;
  for (let i = 0; i < 32; i++) acc |= sig[offset + i]!;
  return acc === 0;
}

/**
 * Fixed-width r ‖ s (RFC 7518 §3.4, RFC 9053 §2.1) with 1 ≤ r < n and 1 ≤ s ≤ n/2 (low S):
 * (r, n − s) verifies too, so without the low-S rule anyone could make a second valid
 * signature of a layer (spec §5.2). DER signatures are refused by their width.
 */
export function isCanonicalEs256Signature(sig: Uint8Array): boolean {
  if (!(sig instanceof Uint8Array) || sig.length !== 64) return false;
  return !isZero32(sig, 0) && compare32(sig, 0, N_BE) < 0 && !isZero32(sig, 32) && compare32(sig, 32, HALF_N_BE) <= 0;
}

const ED25519: KeyAlgorithm = {
  name: 'Ed25519',
  cose: -19,
  kty: 'OKP',
  crv: 'Ed25519',
  publicKeyLength: 32,
  privateKeyLength: 32,
  signatureLength: 64,
  spkiPrefix: Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]),
  checkPublicKey(bytes) {
    if (!(bytes instanceof Uint8Array) || bytes.length !== 32) fail('ERR_KEY_INVALID', 'an Ed25519 public key is 32 bytes');
    let point;
    try {
      point = ed25519.Point.fromBytes(bytes, false);
    } catch {
      return fail('ERR_KEY_INVALID', 'public key is not a canonical Ed25519 point');
    }
    if (point.isSmallOrder()) fail('ERR_KEY_INVALID', 'public key is of small order');
    if (!point.isTorsionFree()) fail('ERR_KEY_INVALID', 'public key has a torsion component');
  },
  checkPrivateKey(bytes) {
    if (!(bytes instanceof Uint8Array) || bytes.length !== 32) fail('ERR_KEY_INVALID', 'an Ed25519 private key is 32 bytes');
  },
  jwkMembers: (pk) => ({ crv: 'Ed25519', kty: 'OKP', x: b64u(pk) }),
  publicKeyFromJwk: (jwk) => coordinate(jwk.x, 'JWK x'),
  isCanonicalSignature: isCanonicalEd25519Signature,
  publicFromPrivate: (b, seed) => b.ed25519PublicKey(seed),
  sign: (b, seed, msg) => b.ed25519Sign(seed, msg),
  verify: (b, pk, msg, sig) => b.ed25519Verify(pk, msg, sig),
};

const ES256: KeyAlgorithm = {
  name: 'ES256',
  cose: -7,
  kty: 'EC',
  crv: 'P-256',
  publicKeyLength: 65,
  privateKeyLength: 32,
  signatureLength: 64,
  // SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING (65 bytes) }
  spkiPrefix: Uint8Array.from([
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03,
    0x01, 0x07, 0x03, 0x42, 0x00,
  ]),
  checkPublicKey(bytes) {
    if (!(bytes instanceof Uint8Array) || bytes.length !== 65 || bytes[0] !== 0x04) {
      fail('ERR_KEY_INVALID', 'a P-256 public key is the 65-byte uncompressed point 04 ‖ x ‖ y');
    }
    // Rejects x or y ≥ p (non-canonical coordinates) and points off the curve; the identity has no such encoding.
    try {
      p256.Point.fromBytes(bytes).assertValidity();
    } catch {
      fail('ERR_KEY_INVALID', 'public key is not a valid P-256 point');
    }
  },
  checkPrivateKey(bytes) {
    if (!(bytes instanceof Uint8Array) || bytes.length !== 32 || !p256.utils.isValidSecretKey(bytes)) {
      fail('ERR_KEY_INVALID', 'a P-256 private key is 32 bytes, big-endian, 1 ≤ d < n');
    }
  },
  jwkMembers: (pk) => ({ crv: 'P-256', kty: 'EC', x: b64u(pk.subarray(1, 33)), y: b64u(pk.subarray(33, 65)) }),
  publicKeyFromJwk(jwk) {
    const point = new Uint8Array(65);
    point[0] = 0x04;
    point.set(coordinate(jwk.x, 'JWK x'), 1);
    point.set(coordinate(jwk.y, 'JWK y'), 33);
    return point;
  },
  isCanonicalSignature: isCanonicalEs256Signature,
  publicFromPrivate: (b, d) => b.es256PublicKey(d),
  sign: (b, d, msg) => b.es256Sign(d, msg),
  verify: (b, pk, msg, sig) => b.es256Verify(pk, msg, sig),
};

function coordinate(v: unknown, what: string): Uint8Array {
  if (typeof v !== 'string') fail('ERR_KEY_INVALID', `${what} is missing`);
  return fromB64u(v, what, 32);
}

export const KEY_ALGORITHMS: Readonly<Record<KeyAlg, KeyAlgorithm>> = Object.freeze({ Ed25519: ED25519, ES256 });
export const KEY_ALGS: readonly KeyAlg[] = Object.freeze(['Ed25519', 'ES256']);

export interface LayerAlgorithm {
  readonly name: LayerAlg;
  /** The value of COSE label 1: an integer for a registered algorithm, text for the private `nst-r255`. */
  readonly cose: number | string;
  /** The only key type that may sign such a layer. */
  readonly key: KeyAlg;
  readonly mode: 'id' | 'aggregate';
}

/**
 * Every layer `alg`, each with exactly one JOSE name and one COSE value, so that a layer has
 * one encoding in each format and the JWT ↔ CBOR mapping stays one to one (spec §4.5). The
 * deprecated polymorphic `EdDSA` (COSE -8) is not a layer algorithm (spec §3.2).
 */
export const LAYER_ALGORITHMS: Readonly<Record<LayerAlg, LayerAlgorithm>> = Object.freeze({
  Ed25519: { name: 'Ed25519', cose: ED25519.cose, key: 'Ed25519', mode: 'id' },
  ES256: { name: 'ES256', cose: ES256.cose, key: 'ES256', mode: 'id' },
  // ristretto255 with the Ed25519 key as a group element (spec §6.1): no other key type can take part.
  'nst-r255': { name: 'nst-r255', cose: 'nst-r255', key: 'Ed25519', mode: 'aggregate' },
});
export const LAYER_ALGS: readonly LayerAlg[] = Object.freeze(Object.keys(LAYER_ALGORITHMS) as LayerAlg[]);

export const isKeyAlg = (x: unknown): x is KeyAlg => typeof x === 'string' && Object.hasOwn(KEY_ALGORITHMS, x);
export const isLayerAlg = (x: unknown): x is LayerAlg => typeof x === 'string' && Object.hasOwn(LAYER_ALGORITHMS, x);

/** The layer algorithm a COSE label-1 value names, if any. */
export function layerAlgOfCose(value: unknown): LayerAlg | undefined {
  for (const a of LAYER_ALGS) if (LAYER_ALGORITHMS[a].cose === value) return a;
  return undefined;
}

/** The key algorithm of a JWK's `kty`/`crv`, if nestoken has one. */
export function keyAlgOfJwk(jwk: Readonly<Record<string, unknown>>): KeyAlg | undefined {
  for (const a of KEY_ALGS) if (KEY_ALGORITHMS[a].kty === jwk.kty && KEY_ALGORITHMS[a].crv === jwk.crv) return a;
  return undefined;
}
