import { ed25519 } from '@noble/curves/ed25519.js';
import { b64u, fromB64u, utf8 } from './bytes.js';
import { cryptoBackend } from './crypto/backend.js';
import { sha256 } from './crypto/hash.js';
import { fail } from './errors.js';

/** An Ed25519 public key checked at the boundary: canonical, not of small order, in the prime-order subgroup. */
export interface PublicKey {
  readonly bytes: Uint8Array;
  /** RFC 7638 JWK SHA-256 thumbprint; the only name a layer uses for a key. */
  readonly thumbprint: Uint8Array;
  /** The thumbprint in base64url, as it appears in `kid` and `cnf.jkt`. */
  readonly kid: string;
}

/** An Ed25519 private key: the 32-byte seed and its checked public key. */
export interface SigningKey {
  readonly publicKey: PublicKey;
  /** The 32-byte RFC 8032 private key (seed). */
  readonly seed: Uint8Array;
}

/** An Ed25519 public key as a JWK (RFC 8037), `kid` its RFC 7638 thumbprint. */
export interface PublicJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly kid?: string;
  readonly [member: string]: unknown;
}

/** An Ed25519 private key as a JWK: the public members and the seed `d`. */
export interface PrivateJwk extends PublicJwk {
  readonly d: string;
}

const checked = new WeakSet<PublicKey>();

/** A public key from its 32 bytes, checked: canonical encoding, on the curve, not of small order (spec §3.5). */
export function publicKeyFromBytes(bytes: Uint8Array): PublicKey {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) fail('ERR_KEY_INVALID', 'an Ed25519 public key is 32 bytes');
  let point;
  try {
    point = ed25519.Point.fromBytes(bytes, false);
  } catch {
    return fail('ERR_KEY_INVALID', 'public key is not a canonical Ed25519 point');
  }
  if (point.isSmallOrder()) fail('ERR_KEY_INVALID', 'public key is of small order');
  if (!point.isTorsionFree()) fail('ERR_KEY_INVALID', 'public key has a torsion component');
  const x = b64u(bytes);
  const thumbprint = sha256(utf8(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`));
  const key = Object.freeze({ bytes: Uint8Array.from(bytes), thumbprint, kid: b64u(thumbprint) });
  checked.add(key);
  return key;
}

/** Keys built here are trusted to have passed the checks; anything else is re-checked. */
export function assertPublicKey(key: PublicKey): PublicKey {
  if (checked.has(key)) return key;
  if (typeof key !== 'object' || key === null) fail('ERR_KEY_INVALID', 'not a public key');
  return publicKeyFromBytes(key.bytes);
}

/** A signing key from a 32-byte seed (deterministic: the same seed gives the same key). */
export function signingKeyFromSeed(seed: Uint8Array): SigningKey {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) fail('ERR_KEY_INVALID', 'an Ed25519 private key is 32 bytes');
  return Object.freeze({ seed: Uint8Array.from(seed), publicKey: publicKeyFromBytes(cryptoBackend().ed25519PublicKey(seed)) });
}

/** A fresh key from the platform's CSPRNG, or a reproducible one from a seed. */
export function generateSigningKey(seed?: Uint8Array): SigningKey {
  return signingKeyFromSeed(seed ?? crypto.getRandomValues(new Uint8Array(32)));
}

function jwkObject(jwk: unknown): Record<string, unknown> {
  if (typeof jwk === 'string') {
    try {
      jwk = JSON.parse(jwk);
    } catch {
      return fail('ERR_KEY_INVALID', 'JWK is not JSON');
    }
  }
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) fail('ERR_KEY_INVALID', 'JWK must be an object');
  const o = jwk as Record<string, unknown>;
  if (o.kty !== 'OKP' || o.crv !== 'Ed25519') fail('ERR_KEY_INVALID', 'only OKP Ed25519 JWKs are supported');
  if (typeof o.x !== 'string') fail('ERR_KEY_INVALID', 'JWK has no x');
  return o;
}

/** Reads a public (or private: only its public part is kept) Ed25519 JWK, as an object or JSON text. */
export function importPublicJwk(jwk: unknown): PublicKey {
  const o = jwkObject(jwk);
  return publicKeyFromBytes(fromB64u(o.x as string, 'JWK x', 32));
}

/** Reads a private Ed25519 JWK, as an object or JSON text; `x` must match `d`. */
export function importPrivateJwk(jwk: unknown): SigningKey {
  const o = jwkObject(jwk);
  if (typeof o.d !== 'string') fail('ERR_KEY_INVALID', 'JWK has no private part d');
  const key = signingKeyFromSeed(fromB64u(o.d, 'JWK d', 32));
  if (b64u(key.publicKey.bytes) !== o.x) fail('ERR_KEY_INVALID', 'JWK x does not match d');
  return key;
}

/** The public JWK of a key, with `kid` and any extra members (such as `sub`, the identity). */
export function exportPublicJwk(key: PublicKey | SigningKey, extra?: Record<string, unknown>): PublicJwk {
  const pub = 'publicKey' in key ? key.publicKey : key;
  return { kty: 'OKP', crv: 'Ed25519', x: b64u(pub.bytes), kid: pub.kid, ...extra };
}

/** The private JWK of a key, with `kid` and any extra members. Keep it secret. */
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
