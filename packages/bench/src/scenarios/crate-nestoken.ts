import { createTrustBundle, encodeToken, extend, forgetVerifiedSignatures, issue, signingKeyFromSeed, type TrustBundle } from '@nestoken/core';
import { CrateBuilder, carSize, merge, trim, verifyCrate, type Crate, type NodeCid } from '@nestoken/crate';
import { ISSUER, LIFETIME, NOW, VERIFY_AT, hopIdentity, seed } from '../fixtures.js';
import type { CrateBench, PreparedCrate } from './crate.js';
import { hopClaims, rootClaims } from './nestoken-claims.js';

/** Tokens per bucket: a crate of n tokens has n/10 buckets under its root. */
const BUCKET_SIZE = 10;

const issuer = signingKeyFromSeed(seed('crate-issuer'));
const gateway = signingKeyFromSeed(seed('crate-gateway'));
const service = signingKeyFromSeed(seed('crate-service'));
const attester = signingKeyFromSeed(seed('crate-attester'));

const trust: TrustBundle = createTrustBundle({
  signers: [
    { identity: ISSUER, key: issuer.publicKey },
    { identity: hopIdentity(1), key: gateway.publicKey },
    { identity: 'spiffe://example.org/crate-attester', key: attester.publicKey },
  ],
});

/** Distinct two-hop ID-mode tokens in CBOR form (issuer -> gateway -> service). */
async function tokens(count: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const root = await issue({ key: issuer, audienceKey: gateway.publicKey, claims: { ...rootClaims(), jti: `crate-${i}` }, format: 'cbor' });
    out.push(encodeToken(await extend(root, { key: gateway, audienceKey: service.publicKey, claims: hopClaims(1), format: 'cbor' }), 'cbor'));
  }
  return out;
}

/** Tokens in buckets of ten, and one attestation over every bucket. */
async function build(bytes: readonly Uint8Array[]): Promise<{ crate: Crate; tokenCids: NodeCid[] }> {
  const b = new CrateBuilder();
  const tokenCids: NodeCid[] = [];
  const buckets: NodeCid[] = [];
  for (let start = 0; start < bytes.length; start += BUCKET_SIZE) {
    const items = bytes.slice(start, start + BUCKET_SIZE).map((t) => b.token({ format: 'nestoken', bytes: t }));
    tokenCids.push(...items);
    buckets.push(b.bucket({ name: `bucket-${start / BUCKET_SIZE}`, items }));
  }
  await b.attest({ key: attester, subjects: buckets, expiresAt: NOW + LIFETIME });
  return { crate: b.build(), tokenCids };
}

export const nestokenCrateBench: CrateBench = {
  note:
    'Crates of n two-hop ID-mode CBOR tokens in buckets of 10 with one attestation over all buckets. build: hash every node and link the crate; trim: keep every other token; merge: union of the two complementary trims (every token comes back); verify: rehash every node, relink, verify the attestation and every token with core. Size is the CAR file.',
  async prepare(count): Promise<PreparedCrate> {
    const bytes = await tokens(count);
    const { crate, tokenCids } = await build(bytes);
    const evens = tokenCids.filter((_, i) => i % 2 === 0);
    const odds = tokenCids.filter((_, i) => i % 2 === 1);
    const left = trim(crate, evens);
    const right = trim(crate, odds);
    return {
      bytes: carSize(crate),
      operations: {
        build: () => build(bytes),
        trim: () => trim(crate, evens),
        merge: () => {
          const merged = merge(left, right);
          if (!tokenCids.every((c) => merged.blocks.has(c.toString()))) throw new Error('merging the two trims lost a token');
        },
        verify: async () => {
          // Every token's signatures are checked on every call, not answered from core's memory of valid layers.
          forgetVerifiedSignatures();
          const report = await verifyCrate(crate, { trust, now: VERIFY_AT });
          if (report.tokens.length !== count) throw new Error(`crate verify proved ${report.tokens.length} tokens, expected ${count}`);
        },
      },
    };
  },
};
