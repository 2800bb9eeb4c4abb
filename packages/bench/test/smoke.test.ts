import { describe, expect, it } from 'vitest';
import { floorCheck, PROFILES, renderMarkdown, runBench, sizeChart, verifyChart, type BenchConfig, type BenchResults, type ChainScenario } from '../src/index.js';
import { SINGLE_VERIFIER } from '../src/scenario.js';

/** The harness end to end with one tiny sample: shape and sanity only, never speed. */
const TINY: BenchConfig = { ...PROFILES.quick, profile: 'smoke', hops: [1, 2], warmup: 0, warmupMs: 0, samples: 1, minSampleMs: 0, maxBatch: 1, pairedRounds: 1, pairedMinSampleMs: 0, firstSightSignatures: 8, crateSizes: [10] };

describe('bench harness smoke', () => {
  let results: BenchResults;

  it('runs every scenario once at 1 and 2 hops', async () => {
    results = await runBench({ config: TINY });
    const ids = results.chains.map((r) => r.id);
    for (const id of ['nestoken-id-node-jwt:first-sight', 'nestoken-id-node-jwt:remembered', 'nestoken-id-portable-cbor:first-sight', 'nestoken-id-es256-node-jwt:first-sight', 'nestoken-id-es256-node-cbor:remembered', 'nestoken-wit-jwt:first-sight', 'nestoken-wit-cbor:new-bundle', 'nestoken-x509-cbor:first-sight', 'jwt-hash-list', 'nestoken-anon-cbor:msm', 'nestoken-anon-jwt:sequential', 'nestoken-hybrid-jwt', 'nestoken-anon-cbor-sodium:msm', 'nestoken-hybrid-cbor-sodium', 'nested-jwt', 'biscuit:signatures', 'biscuit:authorized', 'macaroon', 'ed25519-floor', 'es256-floor']) {
      expect(ids).toContain(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(results.failures.filter((f) => f.ours)).toEqual([]);
    for (const row of results.chains) {
      // A peer may fail on a loaded machine (Biscuit's 1 s run limit): its row says so instead.
      const failed = row.family === 'peer' ? row.skipped.filter((s) => s.reason.startsWith('failed:')).map((s) => s.hops) : [];
      expect(row.points.map((p) => p.hops)).toEqual([1, 2].filter((h) => !failed.includes(h)));
      for (const p of row.points) {
        expect(p.verify.samples).toBe(1);
        expect(p.verify.medianMs).toBeGreaterThan(0);
        if (row.family !== 'floor') {
          expect(p.issue?.medianMs).toBeGreaterThan(0);
          expect(p.extend?.medianMs).toBeGreaterThan(0);
        }
      }
    }
  });

  it('reports positive sizes that grow with the hop count', () => {
    for (const row of results.chains.filter((r) => r.family !== 'floor')) {
      const sizes = row.points.map((p) => p.bytes);
      for (const s of sizes) expect(s).toBeGreaterThan(0);
      expect(sizes[1]!).toBeGreaterThan(sizes[0]!);
    }
  });

  it('takes the headline at the measured hop count nearest 16, against every reference', () => {
    const h = results.headline;
    expect(h.hops).toBe(2);
    expect(h.interleaved).toBe(true);
    expect(results.paired?.rounds).toBe(1);
    const fast = h.rows.find((r) => r.id === 'nestoken-id-node-jwt:first-sight')!;
    const peerFailed = (id: string) => results.paired?.failed?.[id] !== undefined;
    for (const k of ['sizeVsNestedJwt', 'sizeVsBiscuit', 'verifyVsNestedJwt', 'verifyVsJwtList', 'verifyVsFloor'] as const) expect(fast[k]).toBeGreaterThan(0);
    // One round: the spread collapses onto the median, but it is there for every verify ratio.
    for (const k of ['verifyVsNestedJwt', 'verifyVsJwtList', 'verifyVsFloor'] as const) expect(fast.spreads[k]?.median).toBe(fast[k]);
    expect(h.idFastPathVsFloor.spreads.jwt?.p10).toBeGreaterThan(0);
    expect(h.idFastPathVsFloor.metLongRun).not.toBeNull();
    expect(h.idFastPathVsFloor.metFresh).toBeNull();
    if (!peerFailed('biscuit:signatures')) expect(fast.verifyVsBiscuitSignatures).toBeGreaterThan(0);
    if (!peerFailed('biscuit:authorized')) expect(fast.verifyVsBiscuitAuthorized).toBeGreaterThan(0);
    expect(h.msmSpeedup.jwt).toBeGreaterThan(0);
    expect(h.msmSpeedup.cbor).toBeGreaterThan(0);
    expect(h.msmSpeedup.sodiumCbor).toBeGreaterThan(0);
    expect(h.sodiumSpeedup.msm).toBeGreaterThan(0);
    expect(h.lines.join('\n')).toContain('bare Ed25519');
    expect(h.lines.join('\n')).toContain('ID mode ES256 fast path vs 2 bare ES256 verifies');
    expect(h.rows.find((r) => r.id === 'nestoken-id-es256-node-jwt:first-sight')!.verifyVsFloor).toBeGreaterThan(0);
  });

  it('records the machine, memory per group and crate operations', () => {
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.machine.node).toBe(process.version);
    expect(results.machine.packages['@biscuit-auth/biscuit-wasm']).toBe('0.6.0');
    expect(Object.keys(results.memory)).toEqual(expect.arrayContaining(['nestoken-id-node', 'peers', 'floor', 'crate']));
    for (const m of Object.values(results.memory)) expect(m.peakRssBytes).toBeGreaterThan(0);
    expect(results.crate.available).toBe(true);
    expect(results.crate.points.map((p) => p.tokens)).toEqual([10]);
    const crate = results.crate.points[0]!;
    expect(crate.bytes).toBeGreaterThan(0);
    expect(crate.keys).toBe(3);
    expect(crate.failed).toBeUndefined();
    for (const op of ['build', 'encode', 'decode', 'trim', 'merge', 'verify'] as const) expect(crate.operations[op]?.medianMs).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(results))).toEqual(results);
  });

  it('checks ID mode against the floor (in-process here; main runs it in a fresh process)', async () => {
    const check = await floorCheck(2, 1, { warmup: 0, warmupMs: 0, samples: 1, minSampleMs: 0, maxBatch: 1, budgetMs: 0 }, { firstSightSignatures: 8 });
    expect(check.hops).toBe(2);
    expect(check.jwt).toBeGreaterThan(0);
    expect(check.cbor).toBeGreaterThan(0);
    expect(check.es256Jwt).toBeGreaterThan(0);
    expect(check.es256Cbor).toBeGreaterThan(0);
    expect(check.spreads.jwt?.median).toBe(check.jwt);
    const rows = ['nestoken-id-es256-node-cbor', 'nestoken-id-es256-node-jwt', 'nestoken-id-node-cbor', 'nestoken-id-node-jwt'].flatMap((id) => [`${id}:first-sight`, `${id}:remembered`]);
    expect(Object.keys(check.medianMs).sort()).toEqual(['ed25519-floor', 'es256-floor', ...rows]);
  });

  it('records every failure in its row and goes on: peers and our own, whatever was thrown, at every stage', async () => {
    const failing = (family: 'peer' | 'nestoken', fail: { setup?: unknown; prepare?: unknown; verify?: unknown }): ChainScenario => ({
      id: `failing-${family}`,
      label: 'failing',
      family,
      group: 'peers',
      verifiers: [
        { id: 'a', label: 'a' },
        { id: 'b', label: 'b' },
      ],
      ...(fail.setup ? { setup: () => Promise.reject(fail.setup) } : {}),
      prepare: async () => {
        if (fail.prepare) throw fail.prepare;
        return { bytes: 1, verify: { a: async () => Promise.reject(fail.verify), b: () => undefined } };
      },
    });
    // Biscuit's wasm throws plain objects: the reason keeps what they say, never "[object Object]".
    const run = await runBench({ config: { ...TINY, hops: [1] }, scenarios: [failing('peer', { verify: { Timeout: 'run limit reached' } })], crate: null });
    const [a, b] = run.chains;
    expect(a!.points).toEqual([]);
    expect(a!.skipped).toEqual([{ hops: 1, reason: 'failed: {"Timeout":"run limit reached"}' }]);
    expect(b!.points.map((p) => p.hops)).toEqual([1]);
    expect(run.paired?.failed).toEqual({ 'failing-peer:a': 'failed: {"Timeout":"run limit reached"}' });
    expect(run.paired?.stats['failing-peer:b']).toBeDefined();
    expect(run.failures.map((f) => [f.id, f.operation, f.ours])).toEqual([
      ['failing-peer', 'verify (a)', false],
      ['failing-peer:a', 'interleaved verify', false],
    ]);
    // Ours fail the same way (the run finishes; main then exits non-zero), at setup or prepare too.
    const ours = await runBench({ config: { ...TINY, hops: [1] }, scenarios: [failing('nestoken', { setup: new Error('no wasm') })], crate: null });
    expect(ours.chains[0]!.skipped).toEqual([{ hops: 1, reason: 'failed: no wasm' }]);
    expect(ours.failures.every((f) => f.ours)).toBe(true);
    expect(ours.failures.map((f) => [f.id, f.operation])).toEqual([['failing-nestoken', 'setup'], ['failing-nestoken:a', 'interleaved verify'], ['failing-nestoken:b', 'interleaved verify']]);
    const prepared = await runBench({ config: { ...TINY, hops: [1] }, scenarios: [failing('nestoken', { prepare: 'no keys' })], crate: null });
    expect(prepared.chains[1]!.skipped).toEqual([{ hops: 1, reason: 'failed: no keys' }]);
    expect(prepared.paired?.failed).toEqual({ 'failing-nestoken:a': 'failed: no keys', 'failing-nestoken:b': 'failed: no keys' });
  });

  it('renders the Markdown and both charts', () => {
    const md = renderMarkdown(results, { size: 'smoke-size.svg', verify: 'smoke-verify.svg' });
    expect(md).toContain('## Headline at 2 hops');
    expect(md).toContain('| system | 1 hop | 2 hops |');
    for (const svg of [sizeChart(results), verifyChart(results)]) {
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      expect(svg).toContain('nested JWT (jose, EdDSA)');
    }
  });
});
