import { ed25519 } from '@noble/curves/ed25519.js';
import { concat } from '../bytes.js';
import { fail } from '../errors.js';
import type { PublicKey, SigningKey } from '../keys.js';
import { group } from './group.js';
import { sha512 } from './hash.js';

/**
 * Scalars mod L and strict element decoding for the aggregate modes (spec §6.2). Elements are
 * the active group backend's handles (crypto/group.ts).
 */
export type Element = object;
export const ORDER = ed25519.Point.Fn.ORDER;

export function decodePoint(bytes: Uint8Array, what: string): Element {
  if (bytes.length !== 32) fail('ERR_POINT_INVALID', `${what} must be 32 bytes`);
  const e = group().decode(bytes);
  if (e === undefined) fail('ERR_POINT_INVALID', `${what} is not a canonical ristretto255 encoding`);
  if (group().isIdentity(e)) fail('ERR_POINT_INVALID', `${what} is the identity`);
  return e;
}

/** 32-byte little-endian, canonical (< L) and not zero. */
export function decodeScalar(bytes: Uint8Array, what: string): bigint {
  if (bytes.length !== 32) fail('ERR_SCALAR_INVALID', `${what} must be 32 bytes`);
  const s = littleEndian(bytes);
  if (s >= ORDER) fail('ERR_SCALAR_INVALID', `${what} is not reduced below the group order`);
  if (s === 0n) fail('ERR_SCALAR_INVALID', `${what} is zero`);
  return s;
}

function littleEndian(bytes: Uint8Array): bigint {
  let x = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i]!);
  return x;
}

export function encodeScalar(s: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, s >>= 8n) out[i] = Number(s & 0xffn);
  return out;
}

/** A 512-bit hash reduced mod L: uniform enough, as in RFC 8032 and RFC 9496 §4.4. */
export const hashToScalar = (...parts: Uint8Array[]): bigint => littleEndian(sha512(concat(...parts))) % ORDER;

export const add = (a: bigint, b: bigint): bigint => (a + b) % ORDER;
export const mul = (a: bigint, b: bigint): bigint => (a * b) % ORDER;

/** A P-256 key has no ristretto255 twin: the aggregate modes take Ed25519 keys only (spec §6.1). */
function ed25519Only(key: PublicKey): void {
  if (key.alg !== 'Ed25519') fail('ERR_ALG_KEY_MISMATCH', `an aggregate link takes an Ed25519 key, not ${String(key.alg)}`);
}

/** The Ed25519 secret scalar (RFC 8032 §5.1.5) doubles as the key's ristretto255 scalar. */
const secretScalars = new WeakMap<SigningKey, bigint>();
export function secretScalar(key: SigningKey): bigint {
  ed25519Only(key.publicKey);
  let s = secretScalars.get(key);
  if (s === undefined) {
    s = ed25519.utils.getExtendedPublicKey(key.seed).scalar % ORDER;
    secretScalars.set(key, s);
  }
  return s;
}

/** The same key as a group element; torsion-freedom was checked when the key was imported. */
const publicElements = new WeakMap<PublicKey, { backend: string; element: Element }>();
export function publicElement(key: PublicKey): Element {
  ed25519Only(key);
  const cached = publicElements.get(key);
  if (cached?.backend === group().name) return cached.element;
  const element = group().fromEd25519(key.bytes);
  publicElements.set(key, { backend: group().name, element });
  return element;
}
