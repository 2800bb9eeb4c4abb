import { failureReason } from './failure.js';
import { calibrate, timeBatch, type MeasureOptions, type Operation } from './measure.js';
import type { ChainScenario, PreparedChain } from './scenario.js';
import { DEFAULT_PREPARE_CONTEXT, type PrepareContext } from './scenarios/first-sight.js';
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
  /** Row id -> why a failing row has no paired timings. */
  readonly failed?: Readonly<Record<string, string>>;
}

interface Entry {
  readonly id: string;
  readonly op: Operation;
  readonly bytes: number | null;
  batch: number;
}

export const rowId = (scenario: ChainScenario, variant: string): string => (scenario.verifiers.length === 1 ? scenario.id : `${scenario.id}:${variant}`);

/** A failure is recorded under its row id and that row leaves the rounds; every other row goes on. */
export async function runPaired(scenarios: readonly ChainScenario[], hops: number, rounds: number, opts: MeasureOptions, context: PrepareContext = DEFAULT_PREPARE_CONTEXT): Promise<PairedResults> {
  const eligible = scenarios.filter((s) => !s.limit || hops <= s.limit.maxHops);
  const prepared: PreparedChain[] = [];
  const ready: ChainScenario[] = [];
  const failed = new Map<string, string>();
  const failAll = (s: ChainScenario, e: unknown) => {
    for (const v of s.verifiers) failed.set(rowId(s, v.id), failureReason(e));
  };
  for (const s of eligible) {
    try {
      await s.setup?.();
      ready.push(s);
    } catch (e) {
      failAll(s, e);
    }
  }
  try {
    const entries: Entry[] = [];
    for (const s of ready) {
      let p: PreparedChain;
      try {
        p = await s.prepare(hops, context);
      } catch (e) {
        failAll(s, e);
        continue;
      }
      prepared.push(p);
      for (const v of s.verifiers) {
        const op = p.verify[v.id];
        if (op) entries.push({ id: rowId(s, v.id), op, bytes: p.bytes ?? null, batch: 1 });
        else failed.set(rowId(s, v.id), `failed: ${s.id} prepared no verifier ${v.id}`);
      }
    }
    const attempt = async (e: Entry, work: () => Promise<void>): Promise<void> => {
      if (failed.has(e.id)) return;
      try {
        await work();
      } catch (error) {
        failed.set(e.id, failureReason(error));
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
    for (const s of ready) {
      try {
        await s.teardown?.();
      } catch {
        // teardown of a scenario that already produced its figures: nothing left to record
      }
    }
  }
}

/** A ratio over rounds: the median of the per-round ratios and their 10th and 90th percentiles. */
export interface RatioSpread {
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
}

/** a[r] / b[r] over the rounds, summarised; null when either was not measured. */
export function pairedRatioSpread(paired: PairedResults, a: string, b: string): RatioSpread | null {
  const xs = paired.samples[a];
  const ys = paired.samples[b];
  if (!xs || !ys || xs.length === 0 || xs.length !== ys.length) return null;
  const ratios = xs.map((x, i) => x / ys[i]!).sort((p, q) => p - q);
  return { median: quantile(ratios, 0.5), p10: quantile(ratios, 0.1), p90: quantile(ratios, 0.9) };
}

/** Median over rounds of a[r] / b[r]; null when either was not measured. */
export const pairedRatio = (paired: PairedResults, a: string, b: string): number | null => pairedRatioSpread(paired, a, b)?.median ?? null;
