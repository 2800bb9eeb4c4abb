import type { BenchConfig } from '../config.js';
import { failureReason } from '../failure.js';
import { measure, type MeasureOptions, type Operation } from '../measure.js';
import type { Progress } from '../progress.js';
import type { CrateOperation, CratePoint, CrateResults } from '../results.js';
import type { TimingStats } from '../stats.js';
import type { PrepareContext } from './first-sight.js';

/** A crate of `tokens` tokens, ready to time each operation on. */
export interface PreparedCrate {
  readonly bytes: number;
  /** Distinct signing keys in the crate (tokens and attestation). */
  readonly keys: number;
  readonly operations: Readonly<Record<CrateOperation, Operation>>;
}

export interface CrateBench {
  readonly note: string;
  prepare(tokens: number, context: PrepareContext): Promise<PreparedCrate>;
}

export const CRATE_OPERATIONS: readonly CrateOperation[] = ['build', 'encode', 'decode', 'trim', 'merge', 'verify'];

const none = (): Record<CrateOperation, null> => Object.fromEntries(CRATE_OPERATIONS.map((op) => [op, null])) as Record<CrateOperation, null>;

/** Each size and each operation fails alone: its reason is recorded and the next one runs. */
export async function runCrateBench(bench: CrateBench, config: BenchConfig, opts: MeasureOptions, progress: Progress): Promise<CrateResults> {
  const points: CratePoint[] = [];
  for (const tokens of config.crateSizes) {
    progress.step(`crate, ${tokens} tokens`);
    let crate: PreparedCrate;
    try {
      crate = await bench.prepare(tokens, { firstSightSignatures: config.firstSightSignatures });
    } catch (e) {
      points.push({ tokens, bytes: null, keys: null, operations: none(), failed: { prepare: failureReason(e) } });
      continue;
    }
    const operations: Record<CrateOperation, TimingStats | null> = none();
    const failed: Partial<Record<CrateOperation, string>> = {};
    for (const op of CRATE_OPERATIONS) {
      try {
        await crate.operations[op]();
        operations[op] = await measure(crate.operations[op], opts);
      } catch (e) {
        failed[op] = failureReason(e);
      }
    }
    points.push({ tokens, bytes: crate.bytes, keys: crate.keys, operations, ...(Object.keys(failed).length ? { failed } : {}) });
  }
  return { available: true, reason: null, note: bench.note, points };
}
