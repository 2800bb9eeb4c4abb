import type { BenchConfig } from '../config.js';
import { measure, type MeasureOptions, type Operation } from '../measure.js';
import type { Progress } from '../progress.js';
import type { CrateOperation, CratePoint, CrateResults } from '../results.js';

/** A crate of `tokens` tokens, ready to time each operation on. */
export interface PreparedCrate {
  readonly bytes: number;
  readonly operations: Readonly<Record<CrateOperation, Operation>>;
}

export interface CrateBench {
  readonly note: string;
  prepare(tokens: number): Promise<PreparedCrate>;
}

const OPERATIONS: readonly CrateOperation[] = ['build', 'trim', 'merge', 'verify'];

export async function runCrateBench(bench: CrateBench, config: BenchConfig, opts: MeasureOptions, progress: Progress): Promise<CrateResults> {
  const points: CratePoint[] = [];
  for (const tokens of config.crateSizes) {
    progress.step(`crate, ${tokens} tokens`);
    const crate = await bench.prepare(tokens);
    const operations = {} as Record<CrateOperation, Awaited<ReturnType<typeof measure>>>;
    for (const op of OPERATIONS) {
      await crate.operations[op]();
      operations[op] = await measure(crate.operations[op], opts);
    }
    points.push({ tokens, bytes: crate.bytes, operations });
  }
  return { available: true, reason: null, note: bench.note, points };
}
