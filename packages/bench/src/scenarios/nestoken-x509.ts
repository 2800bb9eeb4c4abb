import { createTrustBundle, encodeToken, extend, nodeBackend, signingKeyFromSeed, verify, type KeyAlg, type LayerFormat, type SigningKey, type Token, type TrustBundle } from '@nestoken/core';
import { ed25519CaKeys, leafPublicKey, mintCertificate, mintSvidChain } from '@nestoken/vectors';
import { ISSUER, NOW, VERIFY_AT, hopIdentity, seed } from '../fixtures.js';
import type { ChainScenario, PreparedChain } from '../scenario.js';
import { DEFAULT_PREPARE_CONTEXT, pool, poolSize, roundRobin } from './first-sight.js';
import { ID_VERIFIERS } from './nestoken-id.js';
import { onBackend, selectBackends } from './nestoken-backend.js';
import { buildIdChain } from './id-chain.js';
import { hopClaims } from './nestoken-claims.js';

const TD = 'example.org';
const DAY = 86_400;

interface Ring {
  readonly keys: readonly SigningKey[];
  /** Hop i's X.509-SVID chain (leaf, intermediate), DER, as SPIRE hands it out; index 0 unused. */
  readonly chains: ReadonlyArray<readonly Uint8Array[]>;
  readonly trust: TrustBundle;
}

/** The issuer is a bundle signer; every other hop proves its key with an X.509-SVID under one root (Ed25519 CAs). */
async function ring(count: number, alg: KeyAlg): Promise<Ring> {
  // The issuer stays Ed25519; the hops hold `alg` keys, P-256 as most SPIFFE deployments issue them.
  const keys = Array.from({ length: count }, (_, i) => signingKeyFromSeed(seed(`x509-key-${alg}-${i}`), i === 0 ? 'Ed25519' : alg));
  const intermediate = await ed25519CaKeys(seed('x509-intermediate'));
  const validity = { notBefore: NOW - DAY, notAfter: NOW + DAY };
  // Root and intermediate once; then one leaf per hop under the same intermediate, as one SPIRE server issues them.
  const first = await mintSvidChain({ trustDomain: TD, leafKey: keys[1]!.publicKey.bytes, uris: [hopIdentity(1)], root: await ed25519CaKeys(seed('x509-root')), intermediates: [intermediate], ...validity });
  const issuer = { subject: `CN=intermediate-1,O=${TD}`, keys: intermediate };
  const leaf = async (i: number) =>
    mintCertificate({ subject: `CN=svc-${i},O=${TD}`, serial: 100 + i, ...validity, ca: false, keyUsage: 1, uris: [hopIdentity(i)] }, await leafPublicKey(keys[i]!.publicKey.bytes), issuer);
  const chains = [[], first.chain, ...(await Promise.all(keys.slice(2).map(async (_, j) => [await leaf(j + 2), first.chain[1]!])))];
  const trust = createTrustBundle({ signers: [{ identity: ISSUER, key: keys[0]!.publicKey }], domains: [{ trustDomain: TD, x509Roots: [first.root] }] });
  return { keys, chains, trust };
}

const buildChain = (r: Ring, hops: number, format: LayerFormat, n = 0): Promise<Token> => buildIdChain(r.keys, hops, format, n, (i) => ({ x509Chain: r.chains[i]! }));

/** ID mode where every hop after the issuer carries its X.509-SVID (leaf + intermediate) instead of being a bundle signer. */
function x509Scenario(alg: KeyAlg, format: LayerFormat): ChainScenario {
  let r: Ring | undefined;
  const name = `${alg === 'ES256' ? 'ES256 ' : ''}ID + X.509-SVID`;
  return {
    id: `nestoken-x509-${alg === 'ES256' ? 'es256-' : ''}${format}`,
    label: `nestoken ${name} node:crypto ${format.toUpperCase()}`,
    sizeLabel: `nestoken ${name} ${format.toUpperCase()}`,
    family: 'nestoken',
    group: `nestoken-x509-${alg}`,
    verifiers: ID_VERIFIERS,
    note: `ID mode, ${alg} hop keys; hops 1..n-1 carry a two-certificate X.509-SVID chain (Ed25519 CAs, a ${alg === 'ES256' ? 'P-256' : 'Ed25519'} leaf) in x5c / x5chain, checked to the root at each verification (certificate parses and verified links cached, as for a long-running verifier); first sight: a new chain each call; remembered: the same chain again`,
    async prepare(hops, context = DEFAULT_PREPARE_CONTEXT): Promise<PreparedChain> {
      selectBackends({ crypto: nodeBackend });
      if (!r || r.keys.length < hops + 2) r = await ring(hops + 2, alg);
      const cur = r;
      const wire = encodeToken(await buildChain(cur, hops, format), format);
      const chains = await pool(`x509-${alg}-${format}-${hops}`, poolSize(hops, context), async (n) => encodeToken(await buildChain(cur, hops, format, n + 1), format));
      const next = cur.keys[hops]!;
      const after = cur.keys[hops + 1]!.publicKey;
      const checked = async (chain: string | Uint8Array) => {
        selectBackends({ crypto: nodeBackend });
        const path = await verify(chain, { trust: cur.trust, now: VERIFY_AT, audience: next.publicKey });
        if (path.hops.length !== hops) throw new Error(`verified ${path.hops.length} hops, expected ${hops}`);
      };
      return {
        bytes: typeof wire === 'string' ? Buffer.byteLength(wire) : wire.length,
        issue: onBackend({ crypto: nodeBackend }, async () => encodeToken(await buildChain(cur, hops, format), format)),
        extend: onBackend({ crypto: nodeBackend }, async () =>
          encodeToken(await extend(wire, { key: next, audienceKey: after, claims: hopClaims(hops), format, x509Chain: cur.chains[hops]! }), format),
        ),
        verify: {
          'first-sight': roundRobin(chains, checked),
          remembered: () => checked(wire),
        },
      };
    },
  };
}

export const nestokenX509Scenarios = (): ChainScenario[] => [x509Scenario('Ed25519', 'jwt'), x509Scenario('Ed25519', 'cbor'), x509Scenario('ES256', 'jwt'), x509Scenario('ES256', 'cbor')];
