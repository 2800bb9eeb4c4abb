import {
  createTrustBundle,
  encodeToken,
  extend,
  forgetVerifiedSignatures,
  issue,
  nodeBackend,
  portableBackend,
  signingKeyFromSeed,
  verify,
  type CryptoBackend,
  type KeyAlg,
  type LayerFormat,
  type SigningKey,
  type Token,
  type TrustBundle,
} from '@nestoken/core';
import { ISSUER, VERIFY_AT, hopIdentity, seed } from '../fixtures.js';
import { SINGLE_VERIFIER, type ChainScenario, type PreparedChain } from '../scenario.js';
import { onBackend, selectBackends } from './nestoken-backend.js';
import { hopClaims, rootClaims } from './nestoken-claims.js';

/** Key 0 is the issuer's, key i the workload at hop i; one more than the longest chain for extend. */
function keyRing(count: number, alg: KeyAlg): SigningKey[] {
  return Array.from({ length: count }, (_, i) => signingKeyFromSeed(seed(`id-key-${i}`), alg));
}

function trustFor(keys: readonly SigningKey[]): TrustBundle {
  return createTrustBundle({ signers: keys.map((k, i) => ({ identity: i === 0 ? ISSUER : hopIdentity(i), key: k.publicKey })) });
}

/** Layers 0..hops-1: the issuer hands to key 1, hop i (key i) hands to key i+1. */
async function buildChain(keys: readonly SigningKey[], hops: number, format: LayerFormat): Promise<Token> {
  let token = await issue({ key: keys[0]!, audienceKey: keys[1]!.publicKey, claims: rootClaims(), format });
  for (let i = 1; i < hops; i++) {
    token = await extend(token, { key: keys[i]!, audienceKey: keys[i + 1]!.publicKey, claims: hopClaims(i), format });
  }
  return token;
}

/** Ed25519 rows keep their historical ids (`nestoken-id-node-jwt`); ES256 rows say so (`nestoken-id-es256-node-jwt`). */
function idScenario(backendName: 'node' | 'portable', backend: CryptoBackend, format: LayerFormat, alg: KeyAlg = 'Ed25519'): ChainScenario {
  let keys: SigningKey[] = [];
  let trust: TrustBundle | undefined;
  const tag = alg === 'Ed25519' ? '' : 'es256-';
  const algLabel = alg === 'Ed25519' ? '' : ' ES256';
  return {
    id: `nestoken-id-${tag}${backendName}-${format}`,
    label: `nestoken ID${algLabel} ${backendName === 'node' ? 'node:crypto' : 'noble'} ${format.toUpperCase()}`,
    sizeLabel: `nestoken ID${algLabel} ${format.toUpperCase()}`,
    family: 'nestoken',
    group: `nestoken-id-${tag}${backendName}`,
    verifiers: SINGLE_VERIFIER,
    note:
      backendName === 'node'
        ? `ID mode, one ${alg} signature per layer, node:crypto fast path (cached KeyObjects)`
        : `ID mode (${alg}) through the portable @noble/curves path`,
    async prepare(hops): Promise<PreparedChain> {
      selectBackends({ crypto: backend });
      if (keys.length < hops + 2) {
        keys = keyRing(hops + 2, alg);
        trust = trustFor(keys);
      }
      const bundle = trust!;
      const wire = encodeToken(await buildChain(keys, hops, format), format);
      const next = keys[hops]!;
      const after = keys[hops + 1]!.publicKey;
      return {
        bytes: typeof wire === 'string' ? Buffer.byteLength(wire) : wire.length,
        issue: onBackend({ crypto: backend }, async () => encodeToken(await buildChain(keys, hops, format), format)),
        extend: onBackend({ crypto: backend }, async () => encodeToken(await extend(wire, { key: next, audienceKey: after, claims: hopClaims(hops), format }), format)),
        verify: {
          verify: onBackend({ crypto: backend }, async () => {
            // Every call checks all n signatures, as a verifier seeing this chain for the first time does:
            // core remembers valid layers, and timing that memory against n bare verifies would flatter it.
            forgetVerifiedSignatures();
            const path = await verify(wire, { trust: bundle, now: VERIFY_AT, audience: next.publicKey });
            if (path.hops.length !== hops) throw new Error(`verified ${path.hops.length} hops, expected ${hops}`);
          }),
        },
      };
    },
  };
}

export const nestokenIdScenarios = (): ChainScenario[] => [
  idScenario('node', nodeBackend, 'jwt'),
  idScenario('node', nodeBackend, 'cbor'),
  idScenario('portable', portableBackend, 'jwt'),
  idScenario('portable', portableBackend, 'cbor'),
  idScenario('node', nodeBackend, 'jwt', 'ES256'),
  idScenario('node', nodeBackend, 'cbor', 'ES256'),
  idScenario('portable', portableBackend, 'jwt', 'ES256'),
];
