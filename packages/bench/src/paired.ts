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
  /** Row id -> why a failing peer has no paired timings. */
  readonly failed?: Readonly<Record<string, string>>;
}

interface Entry {
  readonly id: string;
  readonly op: Operation;
  readonly bytes: number | null;
  /** A peer that fails is dropped from the rounds, its error kept; ours fail the run. */
  readonly peer: boolean;
  batch: number;
}

/** The reason a failing peer's row gives for a hop count it could not measure. */
export const peerFailure = (e: unknown): string => `failed: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300);

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
        entries.push({ id: rowId(s, v.id), op, bytes: p.bytes ?? null, peer: s.family === 'peer', batch: 1 });
      }
    }
    const failed = new Map<string, string>();
    const attempt = async (e: Entry, work: () => Promise<void>): Promise<void> => {
      if (failed.has(e.id)) return;
      try {
        await work();
      } catch (error) {
        if (!e.peer) throw error;
        failed.set(e.id, peerFailure(error));
      }
    };
    for (const e of entries) await attempt(e, async () => void (e.batch = await calibrate(e.op, opts)));
    const samples = new Map<string, number[]>(entries.map((e) => [e.id, []]));
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < entries.length; k++) {
        const e = entries[(k + r) % entries.length]!;
        await attempt(e, async () => {
          opts.beforeSample?.();
          samples.get(e.id)!.push((await timeBatch(e.op, e.batch)) / e.batch);
        });
      }
      opts.onSample?.();
    }
    const measured = entries.filter((e) => !failed.has(e.id));
    return {
      hops,
      rounds,
      samples: Object.fromEntries(measured.map((e) => [e.id, samples.get(e.id)!])),
      stats: Object.fromEntries(measured.map((e) => [e.id, summarize(samples.get(e.id)!, e.batch)])),
      bytes: Object.fromEntries(entries.map((e) => [e.id, e.bytes])),
      ...(failed.size > 0 ? { failed: Object.fromEntries(failed) } : {}),
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
