import {
  createTrustBundle,
  encodeToken,
  extend,
  issueIdentityDocument,
  loadWitIssuers,
  mergeTrustBundles,
  nodeBackend,
  signingKeyFromSeed,
  verify,
  witIssuerJwks,
  type LayerFormat,
  type SigningKey,
  type Token,
  type TrustBundle,
} from '@nestoken/core';
import { ISSUER, NOW, VERIFY_AT, hopIdentity, seed } from '../fixtures.js';
import type { ChainScenario, PreparedChain } from '../scenario.js';
import { DEFAULT_PREPARE_CONTEXT, pool, poolSize, roundRobin } from './first-sight.js';
import { onBackend, selectBackends } from './nestoken-backend.js';
import { buildIdChain } from './id-chain.js';
import { hopClaims } from './nestoken-claims.js';

const TD = 'example.org';
const DAY = 86_400;

interface Ring {
  readonly keys: readonly SigningKey[];
  /** Hop i's WIT (index 0 unused: the issuer is a bundle signer). */
  readonly wits: readonly string[];
  /** The WIT issuer set as a verifier reads it from disk or the network. */
  readonly issuerJwks: string;
  readonly trust: TrustBundle;
}

const authority = signingKeyFromSeed(seed('wit-authority'));

/** The trust a verifier builds: the root issuer as a signer, the WIT issuer of example.org as an authority. */
const trustOf = (issuerKey: SigningKey, issuerJwks: string): TrustBundle =>
  mergeTrustBundles(createTrustBundle({ signers: [{ identity: ISSUER, key: issuerKey.publicKey }] }), loadWitIssuers(issuerJwks, { trustDomain: TD }));

async function ring(count: number): Promise<Ring> {
  const keys = Array.from({ length: count }, (_, i) => signingKeyFromSeed(seed(`wit-key-${i}`)));
  const wits = ['', ...(await Promise.all(keys.slice(1).map((k, j) => issueIdentityDocument({ authority, subject: hopIdentity(j + 1), key: k.publicKey, issuedAt: NOW - DAY, expiresAt: NOW + DAY }))))];
  const issuerJwks = JSON.stringify(witIssuerJwks(authority));
  return { keys, wits, issuerJwks, trust: trustOf(keys[0]!, issuerJwks) };
}

const buildChain = (r: Ring, hops: number, format: LayerFormat, n = 0): Promise<Token> => buildIdChain(r.keys, hops, format, n, (i) => ({ identityDocument: r.wits[i]! }));

/**
 * ID mode where hop keys come from identity documents, as on the HTTP path: every hop after
 * the issuer is not in the trust bundle but presents a WIT (minted by core's wit-mint, an
 * Ed25519 WIT issuer for example.org) that binds its key; the verifier knows only the root
 * issuer and the WIT issuer set.
 */
function witScenario(format: LayerFormat): ChainScenario {
  let r: Ring | undefined;
  return {
    id: `nestoken-wit-${format}`,
    label: `nestoken ID + WIT node:crypto ${format.toUpperCase()}`,
    sizeLabel: `nestoken ID + WIT ${format.toUpperCase()}`,
    family: 'nestoken',
    group: 'nestoken-wit',
    verifiers: [
      { id: 'first-sight', label: 'first sight, WITs known' },
      { id: 'new-bundle', label: 'first sight, WITs new' },
    ],
    note: 'ID mode (Ed25519) where hops 1..n-1 present a WIT (wit+jwt, EdDSA, minted with core) binding their key, and only the root issuer is a bundle signer; first sight, WITs known: a new chain each call, its WITs already verified by this verifier (a long-running service; core keeps verified WITs per bundle); WITs new: a new chain and a trust bundle freshly loaded from the WIT issuer JWKS each call, so every WIT is verified through jose',
    async prepare(hops, context = DEFAULT_PREPARE_CONTEXT): Promise<PreparedChain> {
      selectBackends({ crypto: nodeBackend });
      if (!r || r.keys.length < hops + 2) r = await ring(hops + 2);
      const cur = r;
      const wire = encodeToken(await buildChain(cur, hops, format), format);
      const chains = await pool(`wit-${format}-${hops}`, poolSize(hops, context), async (n) => encodeToken(await buildChain(cur, hops, format, n + 1), format));
      const next = cur.keys[hops]!;
      const after = cur.keys[hops + 1]!.publicKey;
      const checked = async (chain: string | Uint8Array, trust: TrustBundle) => {
        selectBackends({ crypto: nodeBackend });
        const path = await verify(chain, { trust, now: VERIFY_AT, audience: next.publicKey });
        if (path.hops.length !== hops) throw new Error(`verified ${path.hops.length} hops, expected ${hops}`);
      };
      return {
        bytes: typeof wire === 'string' ? Buffer.byteLength(wire) : wire.length,
        issue: onBackend({ crypto: nodeBackend }, async () => encodeToken(await buildChain(cur, hops, format), format)),
        extend: onBackend({ crypto: nodeBackend }, async () => encodeToken(await extend(wire, { key: next, audienceKey: after, claims: hopClaims(hops), format, identityDocument: cur.wits[hops]! }), format)),
        verify: {
          'first-sight': roundRobin(chains, (chain) => checked(chain, cur.trust)),
          'new-bundle': roundRobin(chains, (chain) => checked(chain, trustOf(cur.keys[0]!, cur.issuerJwks))),
        },
      };
    },
  };
}

export const nestokenWitScenarios = (): ChainScenario[] => [witScenario('jwt'), witScenario('cbor')];
