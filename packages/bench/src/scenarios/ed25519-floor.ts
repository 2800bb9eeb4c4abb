import { sign, verify, type KeyObject } from 'node:crypto';
import { nodeEd25519KeyPair } from '../peers/node-ed25519.js';
import { SINGLE_VERIFIER, type ChainScenario, type PreparedChain } from '../scenario.js';

/**
 * The floor for any scheme with one signature per hop: n Ed25519 verifies through node:crypto
 * with KeyObjects already built, no parsing, no hashing of our own. Messages are the size of
 * a typical layer's signing input.
 */
const MESSAGE_BYTES = 256;

interface Signed {
  readonly key: KeyObject;
  readonly message: Buffer;
  readonly signature: Buffer;
}

const signed: Signed[] = [];
function signedMessage(i: number): Signed {
  return (signed[i] ??= (() => {
    const { privateKey, publicKey } = nodeEd25519KeyPair(`floor-key-${i}`);
    const message = Buffer.alloc(MESSAGE_BYTES, i & 0xff);
    return { key: publicKey, message, signature: sign(null, message, privateKey) };
  })());
}

export function ed25519FloorScenario(): ChainScenario {
  return {
    id: 'ed25519-floor',
    label: 'n bare Ed25519 verifies (node:crypto)',
    family: 'floor',
    group: 'floor',
    verifiers: SINGLE_VERIFIER,
    note: `n crypto.verify calls with ready KeyObjects over ${MESSAGE_BYTES}-byte messages: no token, no parsing`,
    async prepare(hops): Promise<PreparedChain> {
      const items = Array.from({ length: hops }, (_, i) => signedMessage(i));
      return {
        verify: {
          verify: () => {
            for (const { key, message, signature } of items) {
              if (!verify(null, message, key, signature)) throw new Error('bare Ed25519 verify failed');
            }
          },
        },
      };
    },
  };
}
