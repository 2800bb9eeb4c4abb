import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { seed } from '../fixtures.js';

export interface NodeKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const cache = new Map<string, NodeKeyPair>();

/** A reproducible node:crypto Ed25519 key pair, built once per label: building KeyObjects costs about a verify. */
export function nodeEd25519KeyPair(label: string): NodeKeyPair {
  let pair = cache.get(label);
  if (!pair) {
    const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed(label)]), format: 'der', type: 'pkcs8' });
    pair = { privateKey, publicKey: createPublicKey(privateKey) };
    cache.set(label, pair);
  }
  return pair;
}
