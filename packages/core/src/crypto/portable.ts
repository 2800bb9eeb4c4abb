import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { base64urlnopad } from '@scure/base';
import type { CryptoBackend } from './backend.js';

/** Pure JavaScript: runs in every browser and JS runtime. */
export const portableBackend: CryptoBackend = {
  name: 'noble',
  sha256: (d) => sha256(d),
  sha512: (d) => sha512(d),
  ed25519PublicKey: (seed) => ed25519.getPublicKey(seed),
  ed25519Sign: (seed, msg) => ed25519.sign(msg, seed),
  // Strict RFC 8032 checks, matching OpenSSL on the inputs the seam lets through.
  ed25519Verify: (pk, msg, sig) => ed25519.verify(sig, msg, pk, { zip215: false }),
  base64urlEncode: (data) => base64urlnopad.encode(data),
  base64urlDecode: (text) => base64urlnopad.decode(text),
};
