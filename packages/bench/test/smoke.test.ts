import { describe, expect, it } from 'vitest';
import { floorCheck, PROFILES, renderMarkdown, runBench, sizeChart, verifyChart, type BenchConfig, type BenchResults, type ChainScenario } from '../src/index.js';
import { SINGLE_VERIFIER } from '../src/scenario.js';

/** The harness end to end with one tiny sample: shape and sanity only, never speed. */
const TINY: BenchConfig = { ...PROFILES.quick, profile: 'smoke', hops: [1, 2], warmup: 0, warmupMs: 0, samples: 1, minSampleMs: 0, maxBatch: 1, pairedRounds: 1, crateSizes: [10] };

describe('bench harness smoke', () => {
  let results: BenchResults;

  it('runs every scenario once at 1 and 2 hops', async () => {
    results = await runBench({ config: TINY });
    const ids = results.chains.map((r) => r.id);
    for (const id of ['nestoken-id-node-jwt', 'nestoken-id-portable-cbor', 'nestoken-id-es256-node-jwt', 'nestoken-id-es256-node-cbor', 'nestoken-anon-cbor:msm', 'nestoken-anon-jwt:sequential', 'nestoken-hybrid-jwt', 'nestoken-anon-cbor-sodium:msm', 'nestoken-hybrid-cbor-sodium', 'nested-jwt', 'biscuit:signatures', 'biscuit:authorized', 'macaroon', 'ed25519-floor', 'es256-floor']) {
      expect(ids).toContain(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
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
    const fast = h.rows.find((r) => r.id === 'nestoken-id-node-jwt')!;
    const peerFailed = (id: string) => results.paired?.failed?.[id] !== undefined;
    for (const k of ['sizeVsNestedJwt', 'sizeVsBiscuit', 'verifyVsNestedJwt', 'verifyVsFloor'] as const) expect(fast[k]).toBeGreaterThan(0);
    if (!peerFailed('biscuit:signatures')) expect(fast.verifyVsBiscuitSignatures).toBeGreaterThan(0);
    if (!peerFailed('biscuit:authorized')) expect(fast.verifyVsBiscuitAuthorized).toBeGreaterThan(0);
    expect(h.msmSpeedup.jwt).toBeGreaterThan(0);
    expect(h.msmSpeedup.cbor).toBeGreaterThan(0);
    expect(h.msmSpeedup.sodiumCbor).toBeGreaterThan(0);
    expect(h.sodiumSpeedup.msm).toBeGreaterThan(0);
    expect(h.lines.join('\n')).toContain('bare Ed25519');
    expect(h.lines.join('\n')).toContain('ID mode ES256 fast path vs 2 bare ES256 verifies');
    expect(h.rows.find((r) => r.id === 'nestoken-id-es256-node-jwt')!.verifyVsFloor).toBeGreaterThan(0);
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
    for (const op of ['build', 'trim', 'merge', 'verify'] as const) expect(crate.operations[op].medianMs).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(results))).toEqual(results);
  });

  it('checks ID mode against the floor (in-process here; main runs it in a fresh process)', async () => {
    const check = await floorCheck(2, 1, { warmup: 0, warmupMs: 0, samples: 1, minSampleMs: 0, maxBatch: 1, budgetMs: 0 });
    expect(check.hops).toBe(2);
    expect(check.jwt).toBeGreaterThan(0);
    expect(check.cbor).toBeGreaterThan(0);
    expect(check.es256Jwt).toBeGreaterThan(0);
    expect(check.es256Cbor).toBeGreaterThan(0);
    expect(Object.keys(check.medianMs).sort()).toEqual(['ed25519-floor', 'es256-floor', 'nestoken-id-es256-node-cbor', 'nestoken-id-es256-node-jwt', 'nestoken-id-node-cbor', 'nestoken-id-node-jwt']);
  });

  it('records a failing peer in its row (and out of the paired rounds) instead of failing the run', async () => {
    const failing = (family: 'peer' | 'nestoken'): ChainScenario => ({
      id: `failing-${family}`,
      label: 'failing',
      family,
      group: 'peers',
      verifiers: SINGLE_VERIFIER,
      prepare: async () => ({ bytes: 1, verify: { verify: async () => Promise.reject(new Error('run limit reached')) } }),
    });
    const run = await runBench({ config: { ...TINY, hops: [1] }, scenarios: [failing('peer')], crate: null });
    expect(run.chains[0]!.points).toEqual([]);
    expect(run.chains[0]!.skipped).toEqual([{ hops: 1, reason: 'failed: run limit reached' }]);
    expect(run.paired?.failed).toEqual({ 'failing-peer': 'failed: run limit reached' });
    await expect(runBench({ config: { ...TINY, hops: [1] }, scenarios: [failing('nestoken')], crate: null })).rejects.toThrow('run limit reached');
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
