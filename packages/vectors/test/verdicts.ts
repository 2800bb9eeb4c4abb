import type { CrateGroup, CrateTest } from '../src/crate-model.js';
import { runCrateTest } from '../src/crate-outcome.js';
import type { TokenGroup, TokenTest } from '../src/model.js';
import { runTokenTest } from '../src/outcome.js';

/** One verdict: `file#tcId/inputKind` and what the verifier gave for that input. */
export interface Verdict {
  readonly id: string;
  readonly outcome: unknown;
}

/**
 * Every verdict of a set of vector files, one per input of each test. Bundled as it is into a
 * browser page (no Node globals here), so that what a browser's crypto backends give can be
 * held against the recorded results.
 */
export async function vectorVerdicts(files: ReadonlyArray<{ readonly name: string; readonly text: string }>): Promise<Verdict[]> {
  const lines: Verdict[] = [];
  for (const { name, text } of files) {
    const file = JSON.parse(text) as { schema: string; testGroups: Array<{ tests: unknown[] }> };
    const crates = file.schema === 'crate-vectors.schema.json';
    for (const group of file.testGroups) {
      for (const test of group.tests) {
        const runs = crates
          ? await runCrateTest(group as unknown as CrateGroup, test as CrateTest)
          : await runTokenTest(group as unknown as TokenGroup, test as TokenTest);
        for (const { kind, outcome } of runs) lines.push({ id: `${name}#${(test as { tcId: number }).tcId}/${kind}`, outcome });
      }
    }
  }
  return lines;
}

/** What a test records (check.ts reads it the same way): the path, report or merge when valid, else code and layer. */
export function recordedOutcome(test: Readonly<Record<string, unknown>>): unknown {
  if (test.result === 'valid') return { result: 'valid', value: test.path ?? test.report ?? test.merged };
  return { result: 'invalid', code: test.errorCode, ...(test.errorLayer !== undefined ? { layer: test.errorLayer } : {}) };
}
