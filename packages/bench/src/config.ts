import type { MeasureOptions } from './measure.js';
import { REMEMBERED_SIGNATURES } from './scenarios/first-sight.js';
/** The sampling settings are MeasureOptions' own (measure.ts). */
export interface BenchConfig extends Pick<MeasureOptions, 'warmup' | 'warmupMs' | 'samples' | 'minSampleMs' | 'maxBatch' | 'budgetMs'> {
  readonly profile: string;
  /** Hop counts at which every chain scenario is measured. */
  readonly hops: readonly number[];
  /** The hop count the headline ratios are taken at (the nearest measured one if absent). */
  readonly headlineHops: number;
  /** Rounds of the interleaved verify phase at the headline hop count (0: headline from the sweep). */
  readonly pairedRounds: number;
  /**
   * The shortest sample of the interleaved phases (the headline and the fresh-process check).
   * Systems take turns there, and each one's first call after another's runs with the caches
   * the other left: a JavaScript verifier refills far more of them than n native verifies do.
   * Samples of a few calls charge that refill to every sample; longer ones measure the verifier.
   */
  readonly pairedMinSampleMs: number;
  /** Rounds of the ID-vs-floor check in a fresh process (0: skip). */
  readonly floorCheckRounds: number;
  /** Signatures a first-sight pool holds (scenarios/first-sight.ts): more than core remembers. */
  readonly firstSightSignatures: number;
  /** Token counts for crate operations. */
  readonly crateSizes: readonly number[];
  /** Run only scenarios whose id starts with one of these (all when empty). */
  readonly only: readonly string[];
}

export const PROFILES = {
  quick: {
    profile: 'quick',
    hops: [1, 4, 16, 64],
    headlineHops: 16,
    warmup: 3,
    warmupMs: 25,
    samples: 15,
    minSampleMs: 2,
    maxBatch: 200,
    budgetMs: 1500,
    pairedRounds: 61,
    pairedMinSampleMs: 10,
    floorCheckRounds: 101,
    firstSightSignatures: REMEMBERED_SIGNATURES + 1,
    crateSizes: [10, 100, 1000, 10_000],
    only: [],
  },
  full: {
    profile: 'full',
    hops: [1, 2, 4, 8, 16, 32, 64],
    headlineHops: 16,
    warmup: 5,
    warmupMs: 200,
    samples: 41,
    minSampleMs: 5,
    maxBatch: 1000,
    budgetMs: 8000,
    pairedRounds: 201,
    pairedMinSampleMs: 20,
    floorCheckRounds: 401,
    firstSightSignatures: REMEMBERED_SIGNATURES + 1,
    crateSizes: [10, 100, 1000, 10_000],
    only: [],
  },
} as const satisfies Record<string, BenchConfig>;

/** The hop count actually used for the headline: the configured one, else the nearest measured. */
export function headlineHopsOf(config: BenchConfig): number {
  if (config.hops.includes(config.headlineHops)) return config.headlineHops;
  return [...config.hops].sort((a, b) => Math.abs(a - config.headlineHops) - Math.abs(b - config.headlineHops))[0]!;
}
