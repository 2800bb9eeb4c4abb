import { calibrate, timeBatch, type MeasureOptions, type Operation } from './measure.js';
import type { ChainScenario, PreparedChain } from './scenario.js';
import { summarize, quantile, type TimingStats } from './stats.js';

/**
 * Verify times at one hop count, sampled round-robin: each round times one batch of every
 * operation, starting one further along each round. Load from other processes drifts over
 * seconds; within one round every system sees nearly the same machine, so a ratio taken per
 * round and then the median of those ratios is much steadier than a ratio of two medians
 * taken minutes apart.
 */
export interface PairedResults {
  readonly hops: number;
  readonly rounds: number;
  /** Row id -> per-call milliseconds, one per round (round order). */
  readonly samples: Readonly<Record<string, readonly number[]>>;
  readonly stats: Readonly<Record<string, TimingStats>>;
  readonly bytes: Readonly<Record<string, number | null>>;
}

interface Entry {
  readonly id: string;
  readonly op: Operation;
  readonly bytes: number | null;
  batch: number;
}

export const rowId = (scenario: ChainScenario, variant: string): string => (scenario.verifiers.length === 1 ? scenario.id : `${scenario.id}:${variant}`);

export async function runPaired(scenarios: readonly ChainScenario[], hops: number, rounds: number, opts: MeasureOptions): Promise<PairedResults> {
  const eligible = scenarios.filter((s) => !s.limit || hops <= s.limit.maxHops);
  const prepared: PreparedChain[] = [];
  for (const s of eligible) await s.setup?.();
  try {
    const entries: Entry[] = [];
    for (const s of eligible) {
      const p = await s.prepare(hops);
      prepared.push(p);
      for (const v of s.verifiers) {
        const op = p.verify[v.id];
        if (!op) throw new Error(`${s.id} prepared no verifier ${v.id}`);
        entries.push({ id: rowId(s, v.id), op, bytes: p.bytes ?? null, batch: 1 });
      }
    }
    for (const e of entries) e.batch = await calibrate(e.op, opts);
    const samples = new Map<string, number[]>(entries.map((e) => [e.id, []]));
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < entries.length; k++) {
        const e = entries[(k + r) % entries.length]!;
        opts.beforeSample?.();
        samples.get(e.id)!.push((await timeBatch(e.op, e.batch)) / e.batch);
      }
      opts.onSample?.();
    }
    return {
      hops,
      rounds,
      samples: Object.fromEntries(samples),
      stats: Object.fromEntries(entries.map((e) => [e.id, summarize(samples.get(e.id)!, e.batch)])),
      bytes: Object.fromEntries(entries.map((e) => [e.id, e.bytes])),
    };
  } finally {
    for (const p of prepared) p.dispose?.();
    for (const s of eligible) await s.teardown?.();
  }
}

/** Median over rounds of a[r] / b[r]; null when either was not measured. */
export function pairedRatio(paired: PairedResults, a: string, b: string): number | null {
  const xs = paired.samples[a];
  const ys = paired.samples[b];
  if (!xs || !ys || xs.length === 0 || xs.length !== ys.length) return null;
  return quantile(
    xs.map((x, i) => x / ys[i]!).sort((p, q) => p - q),
    0.5,
  );
}
