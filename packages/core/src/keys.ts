import { p256 } from '@noble/curves/nist.js';
import { b64u, equal, fromB64u, utf8 } from './bytes.js';
import { isKeyAlg, KEY_ALGORITHMS, keyAlgOfJwk, type KeyAlg, type KeyAlgorithm } from './crypto/algorithms.js';
import { cryptoBackend } from './crypto/backend.js';
import { sha256 } from './crypto/hash.js';
import { fail } from './errors.js';

/**
 * A public key checked at the boundary (spec §3.5): Ed25519 (canonical, not of small order, in
 * the prime-order subgroup) or P-256 (canonical coordinates, on the curve).
 */
export interface PublicKey {
  readonly alg: KeyAlg;
  /** Ed25519: the 32-byte point encoding. ES256: the 65-byte uncompressed point 04 ‖ x ‖ y. */
  readonly bytes: Uint8Array;
  /** RFC 7638 JWK SHA-256 thumbprint; the only name a layer uses for a key. */
  readonly thumbprint: Uint8Array;
  /** The thumbprint in base64url, as it appears in `kid` and `cnf.jkt`. */
  readonly kid: string;
}

export interface SigningKey {
  readonly publicKey: PublicKey;
  /** The 32-byte private key: the RFC 8032 seed (Ed25519) or the big-endian scalar d (ES256). */
  readonly seed: Uint8Array;
}

export interface PublicJwk {
  readonly kty: 'OKP' | 'EC';
  readonly crv: 'Ed25519' | 'P-256';
  readonly x: string;
  /** P-256 only. */
  readonly y?: string;
  readonly kid?: string;
  readonly [member: string]: unknown;
}

export interface PrivateJwk extends PublicJwk {
  readonly d: string;
}

const checked = new WeakSet<PublicKey>();

function algorithm(alg: unknown): KeyAlgorithm {
  if (!isKeyAlg(alg)) fail('ERR_KEY_INVALID', `key algorithm ${JSON.stringify(alg)} is not Ed25519 or ES256`);
  return KEY_ALGORITHMS[alg];
}

export function publicKeyFromBytes(bytes: Uint8Array, alg: KeyAlg = 'Ed25519'): PublicKey {
  const a = algorithm(alg);
  a.checkPublicKey(bytes);
  const thumbprint = sha256(utf8(JSON.stringify(a.jwkMembers(bytes))));
  const key = Object.freeze({ alg: a.name, bytes: Uint8Array.from(bytes), thumbprint, kid: b64u(thumbprint) });
  checked.add(key);
  return key;
}

/** Keys built here are trusted to have passed the checks; anything else is re-checked. */
export function assertPublicKey(key: PublicKey): PublicKey {
  if (checked.has(key)) return key;
  if (typeof key !== 'object' || key === null) fail('ERR_KEY_INVALID', 'not a public key');
  return publicKeyFromBytes(key.bytes, key.alg ?? 'Ed25519');
}

export function signingKeyFromSeed(seed: Uint8Array, alg: KeyAlg = 'Ed25519'): SigningKey {
  const a = algorithm(alg);
  a.checkPrivateKey(seed);
  return Object.freeze({ seed: Uint8Array.from(seed), publicKey: publicKeyFromBytes(a.publicFromPrivate(cryptoBackend(), seed), a.name) });
}

export interface GenerateOptions {
  /** Default `Ed25519`. */
  readonly alg?: KeyAlg;
  /** A reproducible key: the 32-byte private key itself (for ES256, 1 ≤ d < n big-endian). */
  readonly seed?: Uint8Array;
}

/** A fresh key from the platform's CSPRNG, or a reproducible one from a seed. */
export function generateSigningKey(options?: Uint8Array | GenerateOptions): SigningKey {
  const { alg = 'Ed25519', seed } = options instanceof Uint8Array ? { seed: options } : (options ?? {});
  if (seed !== undefined) return signingKeyFromSeed(seed, alg);
  if (alg === 'ES256') return signingKeyFromSeed(p256.utils.randomSecretKey(), alg);
  return signingKeyFromSeed(crypto.getRandomValues(new Uint8Array(32)), alg);
}

function jwkObject(jwk: unknown): { o: Record<string, unknown>; alg: KeyAlgorithm } {
  if (typeof jwk === 'string') {
    try {
      jwk = JSON.parse(jwk);
    } catch {
      return fail('ERR_KEY_INVALID', 'JWK is not JSON');
    }
  }
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) fail('ERR_KEY_INVALID', 'JWK must be an object');
  const o = jwk as Record<string, unknown>;
  const alg = keyAlgOfJwk(o);
  if (alg === undefined) fail('ERR_KEY_INVALID', 'only OKP Ed25519 and EC P-256 JWKs are supported');
  return { o, alg: KEY_ALGORITHMS[alg] };
}

export function importPublicJwk(jwk: unknown): PublicKey {
  const { o, alg } = jwkObject(jwk);
  return publicKeyFromBytes(alg.publicKeyFromJwk(o), alg.name);
}

export function importPrivateJwk(jwk: unknown): SigningKey {
  const { o, alg } = jwkObject(jwk);
  if (typeof o.d !== 'string') fail('ERR_KEY_INVALID', 'JWK has no private part d');
  const key = signingKeyFromSeed(fromB64u(o.d, 'JWK d', alg.privateKeyLength), alg.name);
  if (!equal(key.publicKey.bytes, alg.publicKeyFromJwk(o))) fail('ERR_KEY_INVALID', `JWK ${alg.kty === 'EC' ? 'x and y do' : 'x does'} not match d`);
  return key;
}

export function exportPublicJwk(key: PublicKey | SigningKey, extra?: Record<string, unknown>): PublicJwk {
  const pub = assertPublicKey('publicKey' in key ? key.publicKey : key);
  const { kty, crv, x, y } = KEY_ALGORITHMS[pub.alg].jwkMembers(pub.bytes) as Pick<PublicJwk, 'kty' | 'crv' | 'x' | 'y'>;
  return { kty, crv, x, ...(y !== undefined ? { y } : {}), kid: pub.kid, ...extra };
}

export function exportPrivateJwk(key: SigningKey, extra?: Record<string, unknown>): PrivateJwk {
  return { ...exportPublicJwk(key, extra), d: b64u(key.seed) };
}

/** `kid` / `cnf.jkt` form of a key, thumbprint bytes, or an already encoded thumbprint. */
export function thumbprintOf(key: PublicKey | SigningKey | string): string {
  if (typeof key === 'string') {
    fromB64u(key, 'key thumbprint', 32);
    return key;
  }
  if (typeof key !== 'object' || key === null) return fail('ERR_USAGE', 'a key is a PublicKey, a SigningKey or a thumbprint');
  return assertPublicKey('publicKey' in key ? key.publicKey : key).kid;
}
