import { ed25519, ristretto255 } from '@noble/curves/ed25519.js';
import { fail } from '../errors.js';
import type { GroupBackend } from './group.js';
import { ORDER, encodeScalar } from './ristretto.js';

type Sodium = (typeof import('libsodium-wrappers-sumo'))['default'];

/**
 * ristretto255 through libsodium's WASM build (optional peer dependency). Elements are their
 * own canonical 32-byte encodings, so `encode` is a copy and `equals` is byte equality.
 * libsodium refuses a zero scalar and any product that is the identity, so both cases are
 * answered here before it is called; in a prime-order group a non-zero scalar below L times
 * a non-identity element is never the identity, so the remaining calls cannot fail.
 */
const IDENTITY = new Uint8Array(32);

const reduced = (s: bigint): bigint => ((s % ORDER) + ORDER) % ORDER;

function isZeroBytes(bytes: Uint8Array): boolean {
  let acc = 0;
  for (const b of bytes) acc |= b;
  return acc === 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

async function loadSodium(): Promise<Sodium> {
  let sodium: Sodium;
  try {
    sodium = (await import('libsodium-wrappers-sumo')).default;
  } catch (cause) {
    return fail('ERR_USAGE', `the libsodium group backend needs the optional package libsodium-wrappers-sumo (${String(cause)})`);
  }
  await sodium.ready;
  return sodium;
}

export async function createSodiumGroup(): Promise<GroupBackend<Uint8Array>> {
  const sodium = await loadSodium();

  const mul = (e: Uint8Array, s: bigint): Uint8Array => {
    const k = reduced(s);
    if (k === 0n || isZeroBytes(e)) return IDENTITY.slice();
    if (k === 1n) return e.slice();
    return sodium.crypto_scalarmult_ristretto255(encodeScalar(k), e);
  };
  const baseMul = (s: bigint): Uint8Array => {
    const k = reduced(s);
    if (k === 0n) return IDENTITY.slice();
    return sodium.crypto_scalarmult_ristretto255_base(encodeScalar(k));
  };
  const add = (a: Uint8Array, b: Uint8Array): Uint8Array => sodium.crypto_core_ristretto255_add(a, b);

  return {
    name: 'libsodium',
    decode(bytes) {
      if (bytes.length !== 32 || !sodium.crypto_core_ristretto255_is_valid_point(bytes)) return undefined;
      // A copy: the caller's buffer may be reused, the handle must not change under us.
      return bytes.slice();
    },
    encode: (e) => e.slice(),
    isIdentity: isZeroBytes,
    // libsodium has no Ed25519 -> ristretto255 map; noble does it once per key (cached by the caller).
    fromEd25519: (publicKey) => new ristretto255.Point(ed25519.Point.fromBytes(publicKey)).toBytes(),
    // libsodium's base multiplication is constant time; the zero test only ever reveals a zero nonce, which signing never uses.
    baseMulSecret: baseMul,
    baseMul,
    mul,
    add,
    // No MSM in libsodium: a plain sum of products, which is what its speed is measured as.
    msm(elements, scalars) {
      if (elements.length !== scalars.length) fail('ERR_USAGE', 'msm needs one scalar per element');
      let sum: Uint8Array = IDENTITY.slice();
      elements.forEach((e, i) => {
        sum = add(sum, mul(e, scalars[i]!));
      });
      return sum;
    },
    equals: sameBytes,
  };
}
