import { sign, verify, type KeyObject } from 'node:crypto';
import { nodeKeyPair, type NodeKeyType } from '../peers/node-keys.js';
import { SINGLE_VERIFIER, type ChainScenario, type PreparedChain } from '../scenario.js';

/**
 * The floor for any scheme with one signature per hop: n verifies through node:crypto with
 * KeyObjects already built, no parsing, no hashing of our own. Messages are the size of a
 * typical layer's signing input. One floor per layer algorithm, so each ID-mode variant is
 * held to the bare cost of its own signatures.
 */
const MESSAGE_BYTES = 256;

interface Signed {
  readonly key: KeyObject;
  readonly message: Buffer;
  readonly signature: Buffer;
}

const FLOORS: Record<NodeKeyType, { readonly id: string; readonly digest: string | null; readonly dsaEncoding?: 'ieee-p1363' }> = {
  Ed25519: { id: 'ed25519-floor', digest: null },
  // ES256 layers carry r ‖ s, so the floor verifies that encoding too, with SHA-256 inside the call.
  ES256: { id: 'es256-floor', digest: 'sha256', dsaEncoding: 'ieee-p1363' },
};

export const FLOOR_IDS = { Ed25519: FLOORS.Ed25519.id, ES256: FLOORS.ES256.id } as const;

const signed = new Map<string, Signed>();
function signedMessage(type: NodeKeyType, i: number): Signed {
  const id = `${type}:${i}`;
  let s = signed.get(id);
  if (!s) {
    const { privateKey, publicKey } = nodeKeyPair(`floor-key-${i}`, type);
    const { digest, dsaEncoding } = FLOORS[type];
    const message = Buffer.alloc(MESSAGE_BYTES, i & 0xff);
    s = { key: publicKey, message, signature: sign(digest, message, dsaEncoding ? { key: privateKey, dsaEncoding } : privateKey) };
    signed.set(id, s);
  }
  return s;
}

export function signatureFloorScenario(type: NodeKeyType): ChainScenario {
  const { id, digest, dsaEncoding } = FLOORS[type];
  return {
    id,
    label: `n bare ${type} verifies (node:crypto)`,
    family: 'floor',
    group: 'floor',
    verifiers: SINGLE_VERIFIER,
    note: `n crypto.verify calls with ready KeyObjects over ${MESSAGE_BYTES}-byte messages: no token, no parsing`,
    async prepare(hops): Promise<PreparedChain> {
      const items = Array.from({ length: hops }, (_, i) => signedMessage(type, i));
      return {
        verify: {
          verify: () => {
            for (const { key, message, signature } of items) {
              if (!verify(digest, message, dsaEncoding ? { key, dsaEncoding } : key, signature)) throw new Error(`bare ${type} verify failed`);
            }
          },
        },
      };
    },
  };
}
