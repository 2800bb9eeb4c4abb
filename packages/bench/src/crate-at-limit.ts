/**
 * A crate at the default node limit (10,000 nodes), decoded from its CAR and compact forms and
 * verified, against the floor of the signature checks that verification needs: every token's
 * hops and the attestation, each a bare node:crypto Ed25519 verify. Run it on its own
 * (`node packages/bench/dist/crate-at-limit.js [runs]`); `node --cpu-prof` on the same command
 * shows where the rest of the time goes.
 */
import { sign, verify } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createTrustBundle, encodeToken, extend, issue, signingKeyFromSeed } from '@nestoken/core';
import { CrateBuilder, DEFAULT_CRATE_LIMITS, decodeCrate, toCar, toCompact, verifyCrate, type Crate, type NodeCid } from '@nestoken/crate';
import { ISSUER, LIFETIME, NOW, VERIFY_AT, hopIdentity, seed } from './fixtures.js';
import { hopClaims, rootClaims } from './scenarios/nestoken-claims.js';
import { nodeKeyPair } from './peers/node-keys.js';
import { quantile } from './stats.js';

const BUCKET_SIZE = 10;
const ATTESTED_BUCKETS = 64;
const HOPS_PER_TOKEN = 2;
/** 9,000 two-hop tokens are about 6 MB: the byte bound is raised so that the node bound is the one reached. */
export const limits = { maxTotalBytes: 8 * 1024 * 1024 };

const issuer = signingKeyFromSeed(seed('limit-issuer'));
const gateway = signingKeyFromSeed(seed('limit-gateway'));
const service = signingKeyFromSeed(seed('limit-service'));
const attester = signingKeyFromSeed(seed('limit-attester'));
export const trust = createTrustBundle({
  signers: [
    { identity: ISSUER, key: issuer.publicKey },
    { identity: hopIdentity(1), key: gateway.publicKey },
    { identity: 'spiffe://example.org/limit-attester', key: attester.publicKey },
  ],
});

/** Tokens and buckets of ten filling maxNodes exactly, with the root and one attestation. */
export async function crateAtLimit(): Promise<{ crate: Crate; signatures: number }> {
  const maxNodes = DEFAULT_CRATE_LIMITS.maxNodes;
  const tokens = Math.floor(((maxNodes - 2) * BUCKET_SIZE) / (BUCKET_SIZE + 1));
  const b = new CrateBuilder(undefined, limits);
  const buckets: NodeCid[] = [];
  let items: NodeCid[] = [];
  for (let i = 0; i < tokens; i++) {
    const root = await issue({ key: issuer, audienceKey: gateway.publicKey, claims: { ...rootClaims(), jti: `limit-${i}` }, format: 'cbor' });
    const token = encodeToken(await extend(root, { key: gateway, audienceKey: service.publicKey, claims: hopClaims(1), format: 'cbor' }), 'cbor');
    items.push(b.token({ format: 'nestoken', bytes: token }));
    if (items.length === BUCKET_SIZE || i === tokens - 1) {
      buckets.push(b.bucket({ name: `bucket-${buckets.length}`, items }));
      items = [];
    }
  }
  // Fill the last slots with opaque tokens so the crate has exactly maxNodes nodes.
  const spare = maxNodes - 2 - tokens - buckets.length;
  const extra = Array.from({ length: Math.max(0, spare - 1) }, (_, i) => b.token({ format: 'other', bytes: new TextEncoder().encode(`spare-${i}`) }));
  if (spare > 0) buckets.push(b.bucket({ name: 'spare', items: extra }));
  await b.attest({ key: attester, subjects: buckets.slice(0, ATTESTED_BUCKETS), expiresAt: NOW + LIFETIME });
  return { crate: b.build(), signatures: tokens * HOPS_PER_TOKEN + 1 };
}

/** One bare Ed25519 verify through node:crypto, the per-signature floor, in ms (median of runs). */
function floorPerSignature(): number {
  const { privateKey, publicKey } = nodeKeyPair('limit-floor');
  const message = Buffer.alloc(256, 7);
  const signature = sign(null, message, privateKey);
  const times: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    for (let i = 0; i < 2000; i++) if (!verify(null, message, publicKey, signature)) throw new Error('floor signature refused');
    times.push((performance.now() - t) / 2000);
  }
  return quantile(times.sort((a, b) => a - b), 0.5);
}

async function time(run: () => Promise<unknown>, runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    await run();
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 5);
  const { crate, signatures } = await crateAtLimit();
  const car = toCar(crate);
  const compact = toCompact(crate);
  const floor = floorPerSignature() * signatures;
  const check = async (input: string | Uint8Array) => {
    const report = await verifyCrate(decodeCrate(input, limits), { trust, now: VERIFY_AT, limits });
    if (report.proven.length !== DEFAULT_CRATE_LIMITS.maxNodes) throw new Error(`proved ${report.proven.length} nodes`);
  };
  console.log(`crate: ${crate.blocks.size} nodes, CAR ${car.length} bytes, compact ${compact.length} chars, ${signatures} signatures`);
  console.log(`floor: ${floor.toFixed(1)} ms (${signatures} bare node:crypto Ed25519 verifies)`);
  for (const [name, input] of [['CAR', car], ['compact', compact]] as const) {
    await check(input);
    const decodeOnly = await time(async () => decodeCrate(input, limits), runs);
    const whole = await time(() => check(input), runs);
    const [p10, p50, p90] = [0.1, 0.5, 0.9].map((q) => quantile(whole, q));
    console.log(
      `${name}: decode ${quantile(decodeOnly, 0.5).toFixed(1)} ms; decode + verify ${p50!.toFixed(1)} ms (p10 ${p10!.toFixed(1)}, p90 ${p90!.toFixed(1)}) = ${(p50! / floor).toFixed(2)}x floor (p10-p90 ${(p10! / floor).toFixed(2)}-${(p90! / floor).toFixed(2)}x)`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
