import {
  createTrustBundle,
  encodeToken,
  extend,
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
import type { ChainScenario, PreparedChain, Verifier } from '../scenario.js';
import { DEFAULT_PREPARE_CONTEXT, pool, poolSize, roundRobin } from './first-sight.js';
import { onBackend, selectBackends } from './nestoken-backend.js';
import { buildIdChain } from './id-chain.js';
import { hopClaims } from './nestoken-claims.js';

/** Key 0 is the issuer's, key i the workload at hop i; one more than the longest chain for extend. */
function keyRing(count: number, alg: KeyAlg): SigningKey[] {
  return Array.from({ length: count }, (_, i) => signingKeyFromSeed(seed(`id-key-${i}`), alg));
}

function trustFor(keys: readonly SigningKey[]): TrustBundle {
  return createTrustBundle({ signers: keys.map((k, i) => ({ identity: i === 0 ? ISSUER : hopIdentity(i), key: k.publicKey })) });
}

const buildChain = (keys: readonly SigningKey[], hops: number, format: LayerFormat, n = 0): Promise<Token> => buildIdChain(keys, hops, format, n);

/** Every chain verified for the first time (the relying party's usual case), and one chain verified again (its signatures remembered). */
export const ID_VERIFIERS: readonly Verifier[] = [
  { id: 'first-sight', label: 'first sight' },
  { id: 'remembered', label: 'signatures remembered' },
];

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
    verifiers: ID_VERIFIERS,
    note:
      backendName === 'node'
        ? `ID mode, one ${alg} signature per layer, node:crypto fast path (cached KeyObjects); first sight: a different chain each call, from a pool holding more signatures than core remembers; remembered: the same chain again`
        : `ID mode (${alg}) through the portable @noble/curves path; first sight and remembered as for node:crypto`,
    async prepare(hops, context = DEFAULT_PREPARE_CONTEXT): Promise<PreparedChain> {
      selectBackends({ crypto: backend });
      if (keys.length < hops + 2) {
        keys = keyRing(hops + 2, alg);
        trust = trustFor(keys);
      }
      const bundle = trust!;
      const ring = keys;
      const wire = encodeToken(await buildChain(keys, hops, format), format);
      // Built once through node:crypto and shared with the noble rows: both backends sign the same bytes.
      const chains = await pool(`id-${alg}-${format}-${hops}`, poolSize(hops, context), (n) =>
        onBackend({ crypto: nodeBackend }, async () => encodeToken(await buildChain(ring, hops, format, n + 1), format))() as Promise<string | Uint8Array>,
      );
      const next = keys[hops]!;
      const checked = async (b: CryptoBackend, chain: string | Uint8Array) => {
        selectBackends({ crypto: b });
        const path = await verify(chain, { trust: bundle, now: VERIFY_AT, audience: next.publicKey });
        if (path.hops.length !== hops) throw new Error(`verified ${path.hops.length} hops, expected ${hops}`);
      };
      const after = keys[hops + 1]!.publicKey;
      return {
        bytes: typeof wire === 'string' ? Buffer.byteLength(wire) : wire.length,
        issue: onBackend({ crypto: backend }, async () => encodeToken(await buildChain(keys, hops, format), format)),
        extend: onBackend({ crypto: backend }, async () => encodeToken(await extend(wire, { key: next, audienceKey: after, claims: hopClaims(hops), format }), format)),
        verify: {
          'first-sight': roundRobin(chains, (chain) => checked(backend, chain)),
          remembered: () => checked(backend, wire),
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
