import { createPrivateKey, createPublicKey, hash, sign, verify, type KeyObject } from 'node:crypto';
import { KEY_ALGORITHMS, type KeyAlgorithm } from './algorithms.js';
import type { CryptoBackend } from './backend.js';
import { portableBackend } from './portable.js';

const PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

/** Building a KeyObject costs about as much as a verify, so keys seen again are reused. */
class KeyCache<K> {
  private readonly map = new Map<string, K>();
  constructor(private readonly capacity: number) {}
  get(id: string, make: () => K): K {
    const hit = this.map.get(id);
    if (hit !== undefined) return hit;
    const value = make();
    if (this.map.size >= this.capacity) this.map.delete(this.map.keys().next().value as string);
    this.map.set(id, value);
    return value;
  }
}

const der = (prefix: Uint8Array, raw: Uint8Array): Buffer => Buffer.concat([prefix, raw]);
const keyId = (raw: Uint8Array): string => Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1');

const publicKeys = new KeyCache<KeyObject>(4096);
/** Trusted keys arrive as the same byte arrays every time: find their KeyObject without building a string. */
const publicKeysByArray = new WeakMap<Uint8Array, KeyObject>();
const privateKeys = new KeyCache<KeyObject>(256);

const toBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** Key lengths differ between algorithms (32, 65 bytes), so one cache serves both without collisions. */
function publicKeyObject(alg: KeyAlgorithm, pk: Uint8Array): KeyObject {
  let key = publicKeysByArray.get(pk);
  if (key === undefined) {
    key = publicKeys.get(keyId(pk), () => createPublicKey({ key: der(alg.spkiPrefix, pk), format: 'der', type: 'spki' }));
    publicKeysByArray.set(pk, key);
  }
  return key;
}

export const nodeBackend: CryptoBackend = {
  name: 'node:crypto',
  sha256: (d) => toBytes(hash('sha256', d, 'buffer') as unknown as Buffer),
  sha256Base64url: (d) => hash('sha256', d, 'base64url'),
  sha512: (d) => toBytes(hash('sha512', d, 'buffer') as unknown as Buffer),
  ed25519PublicKey: (seed) => portableBackend.ed25519PublicKey(seed),
  ed25519Sign(seed, msg) {
    const key = privateKeys.get(keyId(seed), () => createPrivateKey({ key: der(PKCS8_PREFIX, seed), format: 'der', type: 'pkcs8' }));
    return toBytes(sign(null, msg, key));
  },
  ed25519Verify: (pk, msg, sig) => verify(null, msg, publicKeyObject(KEY_ALGORITHMS.Ed25519, pk), sig),
  es256PublicKey: (d) => portableBackend.es256PublicKey(d),
  // OpenSSL's ECDSA signing draws k at random; RFC 6979 through noble keeps tokens and vectors identical on every backend.
  es256Sign: (d, msg) => portableBackend.es256Sign(d, msg),
  es256Verify: (pk, msg, sig) => verify('sha256', msg, { key: publicKeyObject(KEY_ALGORITHMS.ES256, pk), dsaEncoding: 'ieee-p1363' }, sig),
  base64urlEncode: (data) => Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64url'),
  base64urlDecode: (text) => toBytes(Buffer.from(text, 'base64url')),
};
