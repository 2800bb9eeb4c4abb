import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTrustBundle, encodeToken, extend, issue, signingKeyFromSeed, verify, type SigningKey } from '@nestoken/core';
import {
  fastestZlib,
  fflateZlib,
  httpStatusListFetch,
  nodeZlib,
  StatusList,
  signStatusListJwt,
  statusListRevocation,
  useZlibBackend,
  verifyStatusListToken,
  type ZlibBackend,
} from '@nestoken/status-list';
import { hopIdentity, ISSUER, NOW, seed } from '../fixtures.js';
import { calibrate, measure, timeBatch, type MeasureOptions } from '../measure.js';
import { quantile, summarize, type TimingStats } from '../stats.js';

export const ENTRIES = 1_000_000;
/** One entry in a hundred is not VALID: a busy issuer's list, scattered so compression has work to do. */
export const BANNED = 10_000;
const URI = 'https://status.example/lists/bench';
const HOPS = 16;
const LOOKUPS = 1000;
const ROUNDS = 41;

const lister = signingKeyFromSeed(seed('status-lister'));
const hopKeys: SigningKey[] = Array.from({ length: HOPS + 1 }, (_, i) => signingKeyFromSeed(seed(`status-hop-${i}`)));
const trust = createTrustBundle({
  signers: [{ identity: 'https://status.example', key: lister.publicKey }, ...hopKeys.map((key, i) => ({ identity: i === 0 ? ISSUER : hopIdentity(i), key: key.publicKey }))],
});

/** A deterministic sequence of indexes (Lehmer), the same in every run. */
function indexes(count: number, salt: number): number[] {
  let s = 48271 * (salt + 1);
  return Array.from({ length: count }, () => (s = (s * 48271) % 2147483647) % ENTRIES);
}

function build(bits: 1 | 2): StatusList {
  const list = StatusList.create(bits, ENTRIES);
  for (const [n, i] of indexes(BANNED, bits).entries()) list.set(i, bits === 2 && n % 4 === 0 ? 2 : 1);
  return list;
}

const sign = (list: StatusList): Promise<string> => signStatusListJwt({ list, uri: URI, key: lister, iat: NOW, ttl: 3600 });

export interface BackendPoint {
  readonly backend: string;
  readonly compressedBytes: number;
  readonly tokenBytes: number;
  /** Build the list (1,000,000 entries, 10,000 set), compress, sign. */
  readonly buildSign: TimingStats;
  /** Verify the signed token, then inflate and read the list. */
  readonly decode: TimingStats;
  /** GET over HTTP on 127.0.0.1, then verify and decode. */
  readonly fetchDecode: TimingStats;
}

export interface ListPoint {
  readonly bits: 1 | 2;
  readonly entries: number;
  readonly banned: number;
  readonly backends: readonly BackendPoint[];
  /** One `get` on the decoded list (a batch of 1,000 random indexes, per lookup). */
  readonly lookup: TimingStats;
}

export interface ChainStatusPoint {
  readonly hops: number;
  readonly bits: 1 | 2;
  readonly rounds: number;
  readonly verify: TimingStats;
  readonly verifyWithStatus: TimingStats;
  /** Per-round ratio with/without, median and p10-p90 over the rounds. */
  readonly ratio: { readonly median: number; readonly p10: number; readonly p90: number };
}

export interface StatusListBenchResults {
  readonly schema: 'nestoken-bench-status-list/1';
  readonly lists: readonly ListPoint[];
  readonly chain: ChainStatusPoint;
}

async function withBackend<T>(backend: ZlibBackend, f: () => Promise<T>): Promise<T> {
  useZlibBackend(backend);
  try {
    return await f();
  } finally {
    useZlibBackend(fastestZlib);
  }
}

/** A status provider on 127.0.0.1 serving one token. */
async function provider(token: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/statuslist+jwt' }).end(token));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/lists/bench`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function measureList(bits: 1 | 2, opts: MeasureOptions): Promise<ListPoint> {
  const backends: BackendPoint[] = [];
  for (const backend of [fflateZlib, nodeZlib, fastestZlib]) {
    backends.push(
      await withBackend(backend, async () => {
        const list = build(bits);
        const token = await sign(list);
        const compressedBytes = list.compress().length;
        const buildSign = await measure(() => sign(build(bits)), opts);
        const decode = await measure(() => verifyStatusListToken(token, { trust, now: NOW, uri: URI }), opts);
        const server = await provider(token);
        const fetch = httpStatusListFetch();
        const fetchDecode = await measure(async () => verifyStatusListToken(await fetch(server.url), { trust, now: NOW, uri: URI }), opts);
        await server.close();
        return { backend: backend.name, compressedBytes, tokenBytes: token.length, buildSign, decode, fetchDecode };
      }),
    );
  }
  const list = build(bits);
  const probe = indexes(LOOKUPS, 7);
  let sink = 0;
  const batch = await measure(() => {
    for (const i of probe) sink += list.get(i);
  }, opts);
  if (sink < 0) throw new Error('unreachable');
  const perLookup = (x: number) => x / LOOKUPS;
  const lookup: TimingStats = { ...batch, medianMs: perLookup(batch.medianMs), q1Ms: perLookup(batch.q1Ms), q3Ms: perLookup(batch.q3Ms), p10Ms: perLookup(batch.p10Ms), p90Ms: perLookup(batch.p90Ms), minMs: perLookup(batch.minMs) };
  return { bits, entries: ENTRIES, banned: BANNED, backends, lookup };
}

/** A 16-hop ID-mode chain whose every layer names its own entry of the 1,000,000-entry list. */
async function measureChain(opts: MeasureOptions): Promise<ChainStatusPoint> {
  const bits = 1 as const;
  const token = await sign(build(bits));
  const status = (i: number) => ({ status: { status_list: { idx: 500_000 + 2 * i + 1, uri: URI } } });
  let t = await issue({ key: hopKeys[0]!, audienceKey: hopKeys[1]!.publicKey, format: 'cbor', claims: { iss: ISSUER, exp: NOW + 600, ...status(0) } });
  for (let i = 1; i < HOPS; i++) t = await extend(t, { key: hopKeys[i]!, audienceKey: hopKeys[i + 1]!.publicKey, format: 'cbor', claims: { iss: hopIdentity(i), ...status(i) } });
  const wire = encodeToken(t, 'cbor');
  const options = { trust, now: NOW + 10, audience: hopKeys[HOPS]!.publicKey };
  const isRevoked = statusListRevocation({ fetch: async () => token, trust, ttl: 3600, now: () => NOW });
  const path = await verify(wire, { ...options, isRevoked });
  if (path.hops.length !== HOPS) throw new Error('the chain did not verify');
  // Interleaved rounds (as packages/bench/src/paired.ts): both variants see the same machine load.
  const ops = [() => verify(wire, options), () => verify(wire, { ...options, isRevoked })];
  const batches = await Promise.all(ops.map((op) => calibrate(op, opts)));
  const times: [number[], number[]] = [[], []];
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < 2; k++) {
      const j = (k + r) % 2;
      opts.beforeSample?.();
      times[j]!.push((await timeBatch(ops[j]!, batches[j]!)) / batches[j]!);
    }
  }
  const ratios = times[1].map((t, r) => t / times[0][r]!).sort((a, b) => a - b);
  return {
    hops: HOPS,
    bits,
    rounds: ROUNDS,
    verify: summarize(times[0], batches[0]!),
    verifyWithStatus: summarize(times[1], batches[1]!),
    ratio: { median: quantile(ratios, 0.5), p10: quantile(ratios, 0.1), p90: quantile(ratios, 0.9) },
  };
}

export async function runStatusListBench(opts: MeasureOptions, progress: (step: string) => void): Promise<StatusListBenchResults> {
  const lists: ListPoint[] = [];
  for (const bits of [1, 2] as const) {
    progress(`status list, ${ENTRIES.toLocaleString('en-US')} entries at ${bits} bit${bits > 1 ? 's' : ''}`);
    lists.push(await measureList(bits, opts));
  }
  progress(`verify a ${HOPS}-hop chain with and without status checks`);
  const chain = await measureChain(opts);
  return { schema: 'nestoken-bench-status-list/1', lists, chain };
}
