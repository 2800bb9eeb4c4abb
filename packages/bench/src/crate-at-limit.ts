/**
 * A crate at the default node limit (10,000 nodes), decoded from its CAR and compact forms and
 * verified, against the floor of the signature checks that verification needs: every token's
 * hops and the attestation, each a bare node:crypto Ed25519 verify. Run it on its own
 * (`node packages/bench/dist/crate-at-limit.js [runs]`); `node --cpu-prof` on the same command
 * shows where the rest of the time goes.
 */
import { sign, verify } from 'node:crypto';
import { loadavg } from 'node:os';
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

/** Wall-clock and CPU milliseconds (user and system, every thread of the process) of one call. */
interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

async function timed(run: () => unknown): Promise<Timing> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  await run();
  const wall = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

/** The floor of one round: as many bare node:crypto Ed25519 verifies as the crate needs. */
function floorRound(signatures: number): Promise<Timing> {
  const { privateKey, publicKey } = nodeKeyPair('limit-floor');
  const message = Buffer.alloc(256, 7);
  const signature = sign(null, message, privateKey);
  return timed(() => {
    for (let i = 0; i < signatures; i++) if (!verify(null, message, publicKey, signature)) throw new Error('floor signature refused');
  });
}

const spread = (ratios: readonly number[]): string => {
  const sorted = [...ratios].sort((a, b) => a - b);
  const [p10, p50, p90] = [0.1, 0.5, 0.9].map((q) => quantile(sorted, q).toFixed(2));
  return `${p50}x (p10-p90 ${p10}-${p90}x)`;
};

const median = (values: readonly number[]): number => quantile([...values].sort((a, b) => a - b), 0.5);

/**
 * Rounds of floor, CAR and compact, in an order that rotates from round to round, each timed
 * against the floor of its own round: on a shared machine the load changes between rounds, and
 * a ratio within one round cancels most of it. CPU time is reported beside wall-clock time: a
 * process waiting for a core accrues wall time but not CPU time.
 */
async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 5);
  const { crate, signatures } = await crateAtLimit();
  const car = toCar(crate);
  const compact = toCompact(crate);
  const check = async (input: string | Uint8Array) => {
    const report = await verifyCrate(decodeCrate(input, limits), { trust, now: VERIFY_AT, limits });
    if (report.proven.length !== DEFAULT_CRATE_LIMITS.maxNodes) throw new Error(`proved ${report.proven.length} nodes`);
  };
  console.log(`crate: ${crate.blocks.size} nodes, CAR ${car.length} bytes, compact ${compact.length} chars, ${signatures} signatures`);
  const inputs = [
    ['CAR', car],
    ['compact', compact],
  ] as const;
  for (const [, input] of inputs) await check(input);
  const rounds = new Map<string, Timing[]>();
  const add = (name: string, timing: Timing) => rounds.set(name, [...(rounds.get(name) ?? []), timing]);
  const floors: Timing[] = [];
  for (let r = 0; r < runs; r++) {
    const steps: Array<() => Promise<void>> = [
      async () => void floors.push(await floorRound(signatures)),
      ...inputs.map(([name, input]) => async () => {
        add(`${name} decode`, await timed(() => decodeCrate(input, limits)));
        add(`${name} decode + verify`, await timed(() => check(input)));
      }),
    ];
    for (let i = 0; i < steps.length; i++) await steps[(i + r) % steps.length]!();
  }
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(
    `floor (${signatures} bare node:crypto Ed25519 verifies): ${median(floors.map((f) => f.wall)).toFixed(1)} ms wall, ${median(floors.map((f) => f.cpu)).toFixed(1)} ms CPU, medians of ${runs} rounds; load ${load}`,
  );
  for (const [name, timings] of rounds) {
    const wall = spread(timings.map((t, r) => t.wall / floors[r]!.wall));
    const cpu = spread(timings.map((t, r) => t.cpu / floors[r]!.cpu));
    console.log(`${name}: ${median(timings.map((t) => t.wall)).toFixed(1)} ms = wall ${wall}, CPU ${cpu} the floor`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
