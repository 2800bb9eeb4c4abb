import {
  createTrustBundle,
  encodeToken,
  extend,
  issue,
  nodeBackend,
  signingKeyFromSeed,
  verify,
  type AggregateVerifier,
  type GroupBackend,
  type LayerFormat,
  type SigningKey,
  type Token,
  type TrustBundle,
} from '@nestoken/core';
import { ISSUER, VERIFY_AT, hopIdentity, seed } from '../fixtures.js';
import type { ChainScenario, PreparedChain } from '../scenario.js';
import { onBackend, selectBackends, type Backends } from './nestoken-backend.js';
import { anonymousHopClaims, hopClaims, rootClaims } from './nestoken-claims.js';

type AggregateMode = 'anon' | 'hybrid';

/** Hybrid chains in this bench identify every second hop; the others stay anonymous. */
const identified = (mode: AggregateMode, i: number): boolean => mode === 'hybrid' && i % 2 === 0;

const keys: SigningKey[] = [];
/** Keys are derived once: deriving one checks its point, which would dwarf what we time. */
function keyFor(i: number): SigningKey {
  return (keys[i] ??= signingKeyFromSeed(seed(`aggregate-key-${i}`)));
}

function trustFor(mode: AggregateMode, hops: number): TrustBundle {
  const signers = [{ identity: ISSUER, key: keyFor(0).publicKey }];
  for (let i = 1; i <= hops; i++) if (identified(mode, i)) signers.push({ identity: hopIdentity(i), key: keyFor(i).publicKey });
  return createTrustBundle({ signers });
}

const extendOptions = (mode: AggregateMode, i: number, format: LayerFormat) =>
  identified(mode, i) ? { key: keyFor(i), claims: hopClaims(i), format } : { claims: anonymousHopClaims(i), format };

async function buildChain(mode: AggregateMode, hops: number, format: LayerFormat): Promise<Token> {
  let token = await issue({ mode, key: keyFor(0), claims: rootClaims(), format });
  for (let i = 1; i < hops; i++) token = await extend(token, extendOptions(mode, i, format));
  return token;
}

const VERIFIER_LABEL: Record<AggregateVerifier, string> = { msm: 'MSM', sequential: 'sequential' };

type GroupName = 'noble' | 'sodium';

function aggregateScenario(mode: AggregateMode, format: LayerFormat, verifiers: readonly AggregateVerifier[], groupName: GroupName = 'noble'): ChainScenario {
  let sodiumGroup: GroupBackend | undefined;
  const sodium = groupName === 'sodium';
  return {
    id: `nestoken-${mode}-${format}${sodium ? '-sodium' : ''}`,
    label: `nestoken ${mode === 'anon' ? 'anonymous' : 'hybrid'} ${format.toUpperCase()}${sodium ? ' libsodium' : ''}`,
    sizeLabel: `nestoken ${mode === 'anon' ? 'anonymous' : 'hybrid'} ${format.toUpperCase()}`,
    family: 'nestoken',
    group: `nestoken-${mode}${sodium ? '-sodium' : ''}`,
    verifiers: verifiers.map((v) => ({ id: v, label: verifiers.length > 1 ? VERIFIER_LABEL[v] : '' })),
    note: sodium
      ? `as ${mode === 'anon' ? 'anonymous' : 'hybrid'}, with the group arithmetic in libsodium's WASM build (@nestoken/core/sodium) instead of noble: same bytes`
      : mode === 'anon'
        ? 'Schnorr concatenation over ristretto255 (noble): one point per hop plus one scalar; root signed by the issuer, all later hops anonymous'
        : 'as anonymous, with every second hop identified (its key folded into the aggregate and named in the trust bundle)',
    ...(sodium
      ? {
          async setup() {
            const { createSodiumGroup } = await import('@nestoken/core/sodium');
            sodiumGroup = await createSodiumGroup();
          },
        }
      : {}),
    async prepare(hops): Promise<PreparedChain> {
      const backends: Backends = sodiumGroup ? { crypto: nodeBackend, group: sodiumGroup } : { crypto: nodeBackend };
      selectBackends(backends);
      const trust = trustFor(mode, hops + 1);
      const wire = encodeToken(await buildChain(mode, hops, format), format);
      const verifyWith = (v: AggregateVerifier) =>
        onBackend(backends, async () => {
          const path = await verify(wire, { allowAnyAudience: true, trust, now: VERIFY_AT, aggregateVerifier: v });
          if (path.hops.length !== hops) throw new Error(`verified ${path.hops.length} hops, expected ${hops}`);
        });
      return {
        bytes: typeof wire === 'string' ? Buffer.byteLength(wire) : wire.length,
        issue: onBackend(backends, async () => encodeToken(await buildChain(mode, hops, format), format)),
        extend: onBackend(backends, async () => encodeToken(await extend(wire, extendOptions(mode, hops, format)), format)),
        verify: Object.fromEntries(verifiers.map((v) => [v, verifyWith(v)])),
      };
    },
  };
}

export const nestokenAggregateScenarios = (): ChainScenario[] => [
  aggregateScenario('anon', 'jwt', ['msm', 'sequential']),
  aggregateScenario('anon', 'cbor', ['msm', 'sequential']),
  aggregateScenario('hybrid', 'jwt', ['msm']),
  aggregateScenario('hybrid', 'cbor', ['msm']),
  // Encoding does not touch the group arithmetic: one encoding is enough to compare backends.
  aggregateScenario('anon', 'cbor', ['msm', 'sequential'], 'sodium'),
  aggregateScenario('hybrid', 'cbor', ['msm'], 'sodium'),
];
