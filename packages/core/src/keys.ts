import { p256 } from '@noble/curves/nist.js';
import { b64u, equal, fromB64u, utf8 } from './bytes.js';
import { isKeyAlg, KEY_ALGORITHMS, keyAlgOfJwk, type KeyAlg, type KeyAlgorithm } from './crypto/algorithms.js';
import { cryptoBackend } from './crypto/backend.js';
import { sha256 } from './crypto/hash.js';
import { fail, NestokenError } from './errors.js';
import { checkOptions, checks } from './options.js';
import { BoundedCache } from './trust/bounded-cache.js';

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

/** A private key (Ed25519 or ES256) and its checked public key. */
export interface SigningKey {
  readonly publicKey: PublicKey;
  /** The 32-byte private key: the RFC 8032 seed (Ed25519) or the big-endian scalar d (ES256). */
  readonly seed: Uint8Array;
}

/** A public key as a JWK (OKP Ed25519, RFC 8037, or EC P-256), `kid` its RFC 7638 thumbprint. */
export interface PublicJwk {
  readonly kty: 'OKP' | 'EC';
  readonly crv: 'Ed25519' | 'P-256';
  readonly x: string;
  /** P-256 only. */
  readonly y?: string;
  readonly kid?: string;
  readonly [member: string]: unknown;
}

/** A private key as a JWK: the public members and the private part `d`. */
export interface PrivateJwk extends PublicJwk {
  readonly d: string;
}

const checked = new WeakSet<PublicKey>();
/** Keys already checked, by their bytes: the subgroup check is the costly part of reading a key. */
const validated = new BoundedCache<string, PublicKey>(4096);

function algorithm(alg: unknown): KeyAlgorithm {
  if (!isKeyAlg(alg)) fail('ERR_KEY_INVALID', `key algorithm ${JSON.stringify(alg)} is not Ed25519 or ES256`);
  return KEY_ALGORITHMS[alg];
}

/** A public key from its bytes, checked for its algorithm (spec §3.5): Ed25519 canonical and not of small order; P-256 on the curve. */
export function publicKeyFromBytes(bytes: Uint8Array, alg: KeyAlg = 'Ed25519'): PublicKey {
  const a = algorithm(alg);
  if (!(bytes instanceof Uint8Array)) fail('ERR_KEY_INVALID', 'a public key is bytes');
  const id = `${a.name} ${b64u(bytes)}`;
  const known = validated.get(id);
  // Compared again: key objects are shared, and a caller could have written into one's bytes.
  if (known && equal(known.bytes, bytes)) return known;
  a.checkPublicKey(bytes);
  const thumbprint = sha256(utf8(JSON.stringify(a.jwkMembers(bytes))));
  const key = Object.freeze({ alg: a.name, bytes: Uint8Array.from(bytes), thumbprint, kid: b64u(thumbprint) });
  checked.add(key);
  validated.set(id, key);
  return key;
}

/** Keys built here are trusted to have passed the checks; anything else is re-checked. */
export function assertPublicKey(key: PublicKey): PublicKey {
  if (checked.has(key)) return key;
  if (typeof key !== 'object' || key === null) fail('ERR_KEY_INVALID', 'not a public key');
  let bytes: unknown;
  let alg: unknown;
  try {
    ({ bytes, alg } = key);
  } catch {
    return fail('ERR_KEY_INVALID', 'not a public key');
  }
  return publicKeyFromBytes(bytes as Uint8Array, (alg ?? 'Ed25519') as KeyAlg);
}

/** Signing keys built here; any other object given as one is rebuilt from its seed first. */
const signingKeys = new WeakSet<SigningKey>();

/** A signing key from its 32-byte private key (deterministic: the same bytes give the same key). */
export function signingKeyFromSeed(seed: Uint8Array, alg: KeyAlg = 'Ed25519'): SigningKey {
  const a = algorithm(alg);
  if (!(seed instanceof Uint8Array)) fail('ERR_KEY_INVALID', 'a private key is bytes');
  a.checkPrivateKey(seed);
  const key = Object.freeze({ seed: Uint8Array.from(seed), publicKey: publicKeyFromBytes(a.publicFromPrivate(cryptoBackend(), seed), a.name) });
  signingKeys.add(key);
  return key;
}

/**
 * The boundary of every function that signs: a key built here is taken as it is; another object
 * of the same shape (a copy, a spread) is rebuilt from its seed and must carry the same public
 * key; anything else is `ERR_USAGE`, never a TypeError deep inside a signer.
 */
export function asSigningKey(key: unknown, what = 'a signing key'): SigningKey {
  if (signingKeys.has(key as SigningKey)) return key as SigningKey;
  let seed: unknown;
  let pub: unknown;
  try {
    seed = (key as SigningKey).seed;
    pub = (key as SigningKey).publicKey;
  } catch {
    return fail('ERR_USAGE', `${what} is required`);
  }
  if (typeof key !== 'object' || key === null || !(seed instanceof Uint8Array) || typeof pub !== 'object' || pub === null) return fail('ERR_USAGE', `${what} is required`);
  const rebuilt = signingKeyFromSeed(seed, (pub as PublicKey).alg);
  if (rebuilt.publicKey.kid !== (pub as PublicKey).kid) fail('ERR_KEY_INVALID', `${what}: its public key does not match its private key`);
  return rebuilt;
}

/** A key given where a public key is expected: a PublicKey, or the public half of a SigningKey. */
function publicOf(key: unknown): PublicKey {
  if (typeof key !== 'object' || key === null) return fail('ERR_USAGE', 'a key is a PublicKey or a SigningKey');
  try {
    return assertPublicKey('publicKey' in key ? (key as SigningKey).publicKey : (key as PublicKey));
  } catch (e) {
    if (e instanceof NestokenError) throw e;
    return fail('ERR_USAGE', 'a key is a PublicKey or a SigningKey');
  }
}

/** Options of `generateSigningKey`. */
export interface GenerateOptions {
  /** Default `Ed25519`. */
  readonly alg?: KeyAlg;
  /** A reproducible key: the 32-byte private key itself (for ES256, 1 ≤ d < n big-endian). */
  readonly seed?: Uint8Array;
}

/** A fresh key from the platform's CSPRNG, or a reproducible one from a seed. */
export function generateSigningKey(options?: Uint8Array | GenerateOptions): SigningKey {
  const { alg = 'Ed25519', seed } =
    options instanceof Uint8Array ? { seed: options } : checkOptions<GenerateOptions>(options ?? {}, 'generateSigningKey', { alg: checks.oneOf('Ed25519', 'ES256'), seed: checks.bytes });
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

/** Reads a public (or private: only its public part is kept) JWK, as an object or JSON text. */
export function importPublicJwk(jwk: unknown): PublicKey {
  const { o, alg } = jwkObject(jwk);
  return publicKeyFromBytes(alg.publicKeyFromJwk(o), alg.name);
}

/** Reads a private JWK, as an object or JSON text; the public members must match `d`. */
export function importPrivateJwk(jwk: unknown): SigningKey {
  const { o, alg } = jwkObject(jwk);
  if (typeof o.d !== 'string') fail('ERR_KEY_INVALID', 'JWK has no private part d');
  const key = signingKeyFromSeed(fromB64u(o.d, 'JWK d', alg.privateKeyLength), alg.name);
  if (!equal(key.publicKey.bytes, alg.publicKeyFromJwk(o))) fail('ERR_KEY_INVALID', `JWK ${alg.kty === 'EC' ? 'x and y do' : 'x does'} not match d`);
  return key;
}

/** The public JWK of a key, with `kid` and any extra members (such as `sub`, the identity). */
export function exportPublicJwk(key: PublicKey | SigningKey, extra?: Record<string, unknown>): PublicJwk {
  const pub = publicOf(key);
  if (extra !== undefined && (typeof extra !== 'object' || extra === null || Array.isArray(extra))) fail('ERR_USAGE', 'extra JWK members are an object');
  const { kty, crv, x, y } = KEY_ALGORITHMS[pub.alg].jwkMembers(pub.bytes) as Pick<PublicJwk, 'kty' | 'crv' | 'x' | 'y'>;
  return { kty, crv, x, ...(y !== undefined ? { y } : {}), kid: pub.kid, ...extra };
}

/** The private JWK of a key, with `kid` and any extra members. Keep it secret. */
export function exportPrivateJwk(key: SigningKey, extra?: Record<string, unknown>): PrivateJwk {
  const signing = asSigningKey(key);
  return { ...exportPublicJwk(signing, extra), d: b64u(signing.seed) };
}

/** `kid` / `cnf.jkt` form of a key, thumbprint bytes, or an already encoded thumbprint. */
export function thumbprintOf(key: PublicKey | SigningKey | string): string {
  if (typeof key === 'string') {
    fromB64u(key, 'key thumbprint', 32);
    return key;
  }
  if (typeof key !== 'object' || key === null) return fail('ERR_USAGE', 'a key is a PublicKey, a SigningKey or a thumbprint');
  return publicOf(key).kid;
}
