import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { base64urlnopad } from '@scure/base';
import { concat } from '../bytes.js';
import type { CryptoBackend } from './backend.js';

const Point = ed25519.Point;

/**
 * The cofactorless equation [S]B - [k]A == R, compared as encodings, as OpenSSL checks it:
 * noble's own verify is cofactored, and the two would disagree on an R with a small-order
 * component, so verdicts would depend on the runtime (spec §5.2).
 */
function verifyCofactorless(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const r = signature.subarray(0, 32);
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(signature[i]!);
  const digest = sha512(concat(r, publicKey, message));
  let k = 0n;
  for (let i = 63; i >= 0; i--) k = (k << 8n) | BigInt(digest[i]!);
  k %= Point.Fn.ORDER;
  const A = Point.fromBytes(publicKey);
  const expected = Point.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(k)).toBytes();
  let d = 0;
  for (let i = 0; i < 32; i++) d |= expected[i]! ^ r[i]!;
  return d === 0;
}

/** Pure JavaScript: runs in every browser and JS runtime. */
export const portableBackend: CryptoBackend = {
  name: 'noble',
  sha256: (d) => sha256(d),
  sha512: (d) => sha512(d),
  ed25519PublicKey: (seed) => ed25519.getPublicKey(seed),
  ed25519Sign: (seed, msg) => ed25519.sign(msg, seed),
  ed25519Verify: verifyCofactorless,
  es256PublicKey: (d) => p256.getPublicKey(d, false),
  // noble derives k by RFC 6979 (no extra entropy) and returns the low-S form of (r, s).
  es256Sign: (d, msg) => p256.sign(sha256(msg), d, { prehash: false, lowS: true, extraEntropy: false, format: 'compact' }),
  es256Verify: (pk, msg, sig) => p256.verify(sig, sha256(msg), pk, { prehash: false, lowS: true, format: 'compact' }),
  base64urlEncode: (data) => base64urlnopad.encode(data),
  base64urlDecode: (text) => base64urlnopad.decode(text),
};
