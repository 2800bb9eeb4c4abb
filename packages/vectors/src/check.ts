import { isDeepStrictEqual } from 'node:util';
import { aggregateIntermediates } from './aggregate-math.js';
import { fromB64u, fromHex } from './bytes.js';
import type { CrateTest, CrateVectorFile } from './crate-model.js';
import { runCrateTest, type CrateValue } from './crate-outcome.js';
import type { TokenGroup, TokenTest, TokenVectorFile, VectorFile } from './model.js';
import { runTokenTest, type Outcome } from './outcome.js';

/** What checking one vector file found: counts, and one line per test whose result differs. */
export interface FileReport {
  readonly name: string;
  readonly total: number;
  readonly valid: number;
  readonly invalid: number;
  /** One line per disagreement; empty when every test gives its recorded result. */
  readonly failures: readonly string[];
}

type AnyTest = (TokenTest | CrateTest) & { readonly errorLayer?: number };

function recorded<V>(t: AnyTest, value: V | undefined): Outcome<V> {
  if (t.result === 'valid') return { result: 'valid', value: value! };
  return { result: 'invalid', code: t.errorCode!, ...(t.errorLayer !== undefined ? { layer: t.errorLayer } : {}) };
}

const show = <V>(o: Outcome<V>): string => (o.result === 'valid' ? 'valid' : `${o.code}${o.layer === undefined ? '' : `@${o.layer}`}`);

function compare<V>(name: string, t: AnyTest, want: Outcome<V>, runs: ReadonlyArray<{ kind: string; outcome: Outcome<V> }>, failures: string[]): void {
  if (runs.length === 0) failures.push(`${name} #${t.tcId}: no input`);
  for (const { kind, outcome } of runs) {
    if (isDeepStrictEqual(outcome, want)) continue;
    const other = outcome.result === 'valid' && want.result === 'valid' ? ' with another result' : '';
    failures.push(`${name} #${t.tcId} (${kind}): expected ${show(want)}, got ${show(outcome)}${other}`);
  }
}

/** The file's own bookkeeping: counts, unique ids, flags described in notes, codes on invalid tests. */
function shapeProblems(file: VectorFile<{ readonly tests: readonly AnyTest[] }>): string[] {
  const problems: string[] = [];
  const tests = file.testGroups.flatMap((g) => g.tests);
  if (file.numberOfTests !== tests.length) problems.push(`numberOfTests is ${file.numberOfTests}, the file has ${tests.length}`);
  const ids = new Set(tests.map((t) => t.tcId));
  if (ids.size !== tests.length) problems.push('tcId values repeat');
  for (const t of tests) {
    if (t.flags.length === 0) problems.push(`#${t.tcId}: no flag`);
    for (const f of t.flags) if (!(f in file.notes)) problems.push(`#${t.tcId}: flag ${f} is not in notes`);
    if (t.result === 'invalid' && !t.errorCode) problems.push(`#${t.tcId}: invalid without errorCode`);
    if (t.result === 'valid' && !('path' in t || 'report' in t || 'merged' in t)) problems.push(`#${t.tcId}: valid without its result`);
  }
  return problems;
}

/** Re-verifies every test of a token vector file with the project's verifier. */
export async function checkTokenFile(name: string, file: TokenVectorFile): Promise<FileReport> {
  const failures = shapeProblems(file).map((p) => `${name}: ${p}`);
  let valid = 0;
  let invalid = 0;
  for (const group of file.testGroups as TokenGroup[]) {
    for (const test of group.tests) {
      if (test.result === 'valid') valid++;
      else invalid++;
      compare(name, test, recorded(test, test.path), await runTokenTest(group, test), failures);
      if (test.intermediates) failures.push(...intermediateProblems(name, group, test));
    }
  }
  return { name, total: valid + invalid, valid, invalid, failures };
}

/** Recomputes c_i, e_i and S_i of a valid aggregate vector from the spec's formulas and the group's keys. */
function intermediateProblems(name: string, group: TokenGroup, test: TokenTest): string[] {
  const keys = new Map(Object.values(group.keys).flatMap((k) => (typeof k.kid === 'string' ? [[k.kid, fromB64u(k.x)] as const] : [])));
  try {
    const input = test.cborHex !== undefined ? fromHex(test.cborHex) : test.jwt!;
    return isDeepStrictEqual(aggregateIntermediates(input, (kid) => keys.get(kid)), test.intermediates) ? [] : [`${name} #${test.tcId}: intermediates differ`];
  } catch (e) {
    return [`${name} #${test.tcId}: intermediates: ${(e as Error).message}`];
  }
}

/** Re-reads, re-verifies and re-merges every test of a crate vector file with the project's crate package. */
export async function checkCrateFile(name: string, file: CrateVectorFile): Promise<FileReport> {
  const failures = shapeProblems(file).map((p) => `${name}: ${p}`);
  let valid = 0;
  let invalid = 0;
  for (const group of file.testGroups) {
    for (const test of group.tests) {
      if (test.result === 'valid') valid++;
      else invalid++;
      compare<CrateValue>(name, test, recorded<CrateValue>(test, test.report ?? test.merged), await runCrateTest(group, test), failures);
    }
  }
  return { name, total: valid + invalid, valid, invalid, failures };
}

/** Checks one vector file given as text, whichever kind its schema names. */
export async function checkVectorText(name: string, text: string): Promise<FileReport> {
  let file: VectorFile<unknown>;
  try {
    file = JSON.parse(text) as VectorFile<unknown>;
  } catch {
    return { name, total: 0, valid: 0, invalid: 0, failures: [`${name}: not JSON`] };
  }
  if (file.schema === 'crate-vectors.schema.json') return checkCrateFile(name, file as CrateVectorFile);
  if (file.schema === 'token-vectors.schema.json') return checkTokenFile(name, file as TokenVectorFile);
  return { name, total: 0, valid: 0, invalid: 0, failures: [`${name}: unknown schema ${String(file.schema)}`] };
}
