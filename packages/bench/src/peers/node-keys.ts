import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { seed } from '../fixtures.js';

export interface NodeKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export type NodeKeyType = 'Ed25519' | 'ES256';

/** PKCS#8 prefixes over the 32 private bytes: RFC 8410 for Ed25519, RFC 5915 ECPrivateKey (no public key) for P-256. */
const PKCS8_PREFIX: Record<NodeKeyType, Buffer> = {
  Ed25519: Buffer.from('302e020100300506032b657004220420', 'hex'),
  ES256: Buffer.from('3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420', 'hex'),
};
const cache = new Map<string, NodeKeyPair>();

/** A reproducible node:crypto key pair, built once per label: building KeyObjects costs about a verify. */
export function nodeKeyPair(label: string, type: NodeKeyType = 'Ed25519'): NodeKeyPair {
  const id = `${type}:${label}`;
  let pair = cache.get(id);
  if (!pair) {
    const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX[type], seed(label)]), format: 'der', type: 'pkcs8' });
    pair = { privateKey, publicKey: createPublicKey(privateKey) };
    cache.set(id, pair);
  }
  return pair;
}

export const nodeEd25519KeyPair = (label: string): NodeKeyPair => nodeKeyPair(label, 'Ed25519');
