import type { BrowserResults } from './browser/run.js';
import type { BenchConfig } from './config.js';
import type { Headline } from './report/headline.js';
import type { MachineInfo } from './machine.js';
import type { MemoryPeak } from './memory.js';
import type { FloorCheck } from './floor-check.js';
import type { RunFailure } from './failure.js';
import type { PairedResults } from './paired.js';
import type { Family } from './scenario.js';
import type { TimingStats } from './stats.js';

export interface ChainPoint {
  readonly hops: number;
  readonly bytes: number | null;
  readonly issue: TimingStats | null;
  readonly extend: TimingStats | null;
  readonly verify: TimingStats;
}

/** One system (and verifier variant) across hop counts. */
export interface ChainRow {
  readonly id: string;
  readonly scenario: string;
  readonly variant: string;
  readonly label: string;
  readonly sizeLabel: string;
  readonly family: Family;
  readonly group: string;
  readonly note: string | null;
  readonly points: readonly ChainPoint[];
  /** Hop counts not measured, and why. */
  readonly skipped: readonly { readonly hops: number; readonly reason: string }[];
}

export type CrateOperation = 'build' | 'encode' | 'decode' | 'trim' | 'merge' | 'verify';

export interface CratePoint {
  readonly tokens: number;
  /** Bytes of the crate as a CAR file; null when it could not be built. */
  readonly bytes: number | null;
  /** Distinct signing keys among the crate's tokens and attestation. */
  readonly keys: number | null;
  /** Per operation: its timings, or null when it failed (the reason in `failed`). */
  readonly operations: Readonly<Record<CrateOperation, TimingStats | null>>;
  readonly failed?: Readonly<Partial<Record<CrateOperation | 'prepare', string>>>;
}

export interface CrateResults {
  readonly available: boolean;
  /** Why crate operations were not measured, when they were not. */
  readonly reason: string | null;
  readonly note: string | null;
  readonly points: readonly CratePoint[];
}

export interface BenchResults {
  readonly schema: 'nestoken-bench/1';
  readonly profile: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly machine: MachineInfo;
  readonly config: BenchConfig;
  readonly chains: readonly ChainRow[];
  /** Interleaved verify timings at the headline hop count; the headline ratios come from here. */
  readonly paired: PairedResults | null;
  /** ID mode vs the floor in a fresh process; null when not run. */
  readonly floorCheck: FloorCheck | null;
  readonly crate: CrateResults;
  /** The browser scenario; null when not run. */
  readonly browser: BrowserResults | null;
  /** Peak memory per scenario group, in run order. */
  readonly memory: Readonly<Record<string, MemoryPeak>>;
  /** Everything that threw, in run order; the run went on past each. */
  readonly failures: readonly RunFailure[];
  readonly headline: Headline;
}
