import { createTrustBundle, encodeToken, extend, issue, signingKeyFromSeed, type SigningKey, type TrustBundle } from '@nestoken/core';
import { CrateBuilder, decodeCrate, merge, toCar, trim, verifyCrate, type Crate, type CrateLimits, type NodeCid } from '@nestoken/crate';
import { LIFETIME, NOW, VERIFY_AT, hopIdentity, seed } from '../fixtures.js';
import type { CrateBench, PreparedCrate } from './crate.js';
import { pool, roundRobin, type PrepareContext } from './first-sight.js';
import { hopClaims, rootClaims } from './nestoken-claims.js';

/**
 * Tokens per bucket: 10, so a crate of n tokens has n/10 buckets under its root; 100 above
 * 1,000 tokens, because the one attestation lists every bucket and an attestation over 1,000
 * buckets (61 kB) exceeds the layer size limit that verifyCrate applies.
 */
const bucketSize = (tokens: number): number => (tokens > 1000 ? 100 : 10);
/** Tokens per issuer and gateway key pair, whatever the bucket size. */
const KEY_GROUP = 10;

/**
 * The default crate limits (10,000 nodes, 4 MiB) refuse a crate of 10,000 tokens (plus its
 * buckets, root and attestation): above 1,000 tokens every operation that reads a crate is
 * given these, and the note says so.
 */
const LARGE: Partial<CrateLimits> = { maxNodes: 12_000, maxTotalBytes: 32 * 1024 * 1024 };
const limitsFor = (tokens: number): Partial<CrateLimits> | undefined => (tokens > 1000 ? LARGE : undefined);

const attester = signingKeyFromSeed(seed('crate-attester'));
const service = signingKeyFromSeed(seed('crate-service'));
const ATTESTER = 'spiffe://example.org/crate-attester';

/** Every ten tokens have their own issuer and their own gateway: a crate of n tokens holds 2n/10 + 1 distinct keys. */
interface BucketKeys {
  readonly issuer: SigningKey;
  readonly gateway: SigningKey;
}
const bucketKeys: BucketKeys[] = [];
function keysOf(bucket: number): BucketKeys {
  while (bucketKeys.length <= bucket) {
    const b = bucketKeys.length;
    bucketKeys.push({ issuer: signingKeyFromSeed(seed(`crate-issuer-${b}`)), gateway: signingKeyFromSeed(seed(`crate-gateway-${b}`)) });
  }
  return bucketKeys[bucket]!;
}
const issuerIdentity = (b: number) => `spiffe://issuers.example/idp-${b}`;

function trustFor(groups: number): TrustBundle {
  const signers = [{ identity: ATTESTER, key: attester.publicKey }];
  for (let b = 0; b < groups; b++) {
    const k = keysOf(b);
    signers.push({ identity: issuerIdentity(b), key: k.issuer.publicKey }, { identity: `${hopIdentity(1)}-${b}`, key: k.gateway.publicKey });
  }
  return createTrustBundle({ signers });
}

/** Distinct two-hop ID-mode tokens in CBOR form (issuer of its bucket -> gateway of its bucket -> service); `variant` makes another crate's tokens. */
async function tokens(count: number, variant: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const b = Math.floor(i / KEY_GROUP);
    const { issuer, gateway } = keysOf(b);
    const root = await issue({ key: issuer, audienceKey: gateway.publicKey, claims: { ...rootClaims(), iss: issuerIdentity(b), jti: `crate-${variant}-${i}` }, format: 'cbor' });
    out.push(encodeToken(await extend(root, { key: gateway, audienceKey: service.publicKey, claims: { ...hopClaims(1), iss: `${hopIdentity(1)}-${b}` }, format: 'cbor' }), 'cbor'));
  }
  return out;
}

/** Tokens in buckets of ten, and one attestation over every bucket. */
async function build(bytes: readonly Uint8Array[]): Promise<{ crate: Crate; tokenCids: NodeCid[] }> {
  const b = new CrateBuilder(undefined, limitsFor(bytes.length));
  const size = bucketSize(bytes.length);
  const tokenCids: NodeCid[] = [];
  const buckets: NodeCid[] = [];
  for (let start = 0; start < bytes.length; start += size) {
    const items = bytes.slice(start, start + size).map((t) => b.token({ format: 'nestoken', bytes: t }));
    tokenCids.push(...items);
    buckets.push(b.bucket({ name: `bucket-${start / size}`, items }));
  }
  await b.attest({ key: attester, subjects: buckets, expiresAt: NOW + LIFETIME });
  return { crate: b.build(), tokenCids };
}

export const nestokenCrateBench: CrateBench = {
  note:
    'Crates of n two-hop ID-mode CBOR tokens in buckets of 10 (of 100 above 1,000 tokens: an attestation over 1,000 buckets exceeds the layer size limit), every ten tokens with their own issuer and gateway key (2n/10 + 1 distinct keys, all in the trust bundle), and one attestation over all buckets. build: hash every node and link the crate; encode: write the CAR file; decode: read it back (hash and bounds checks); trim: keep every other token; merge: union of the two complementary trims (every token comes back); verify: rehash every node, relink, verify the attestation and every token with core, each call on a crate never verified before (a pool of distinct crates holding more signatures than core remembers). Size is the CAR file. Above 1,000 tokens build, decode, merge and verify are given raised limits (12,000 nodes, 32 MiB): the defaults (10,000 nodes, 4 MiB) refuse a crate of 10,000 tokens.',
  async prepare(count: number, context: PrepareContext): Promise<PreparedCrate> {
    const groups = Math.ceil(count / KEY_GROUP);
    const trust = trustFor(groups);
    const limits = limitsFor(count);
    const bytes = await tokens(count, 0);
    const { crate, tokenCids } = await build(bytes);
    const car = toCar(crate);
    const evens = tokenCids.filter((_, i) => i % 2 === 0);
    const odds = tokenCids.filter((_, i) => i % 2 === 1);
    const left = trim(crate, evens);
    const right = trim(crate, odds);
    // Two signatures per token and the attestation's: a crate that alone holds more than core remembers is its own pool.
    const needed = Math.ceil(context.firstSightSignatures / (2 * count + 1));
    const crates = needed <= 1 ? [crate] : await pool(`crate-${count}`, needed, async (n) => (await build(await tokens(count, n + 1))).crate);
    return {
      bytes: car.length,
      keys: 2 * groups + 1,
      operations: {
        build: () => build(bytes),
        encode: () => toCar(crate),
        decode: () => decodeCrate(car, limits),
        trim: () => trim(crate, evens),
        merge: () => {
          const merged = merge(left, right, limits);
          if (!tokenCids.every((c) => merged.blocks.has(c.toString()))) throw new Error('merging the two trims lost a token');
        },
        verify: roundRobin(crates, async (c) => {
          const report = await verifyCrate(c, { trust, now: VERIFY_AT, ...(limits ? { limits } : {}) });
          if (report.tokens.length !== count) throw new Error(`crate verify proved ${report.tokens.length} tokens, expected ${count}`);
        }),
      },
    };
  },
};
