import type { PrivateJwk } from '@nestoken/core';
import { reconcile, type Expectation } from './expectation.js';
import { noteFor } from './flags.js';
import { GENERATOR_VERSION, SPEC_VERSION, INPUT_KINDS, type ExpectedPath, type GroupKeys, type Note, type TokenGroup, type TokenInputs, type TokenTest, type TokenVectorFile, type VectorFile, type VerifierOptionsJson } from './model.js';
import { runTokenTest, type Outcome } from './outcome.js';

export interface CaseInit extends TokenInputs {
  readonly comment: string;
  readonly flags: readonly string[];
  readonly now: number;
  readonly options?: VerifierOptionsJson;
  readonly expect: Expectation;
  readonly randomness?: readonly string[];
  readonly intermediates?: TokenTest['intermediates'];
  readonly txnToken?: string;
}

export interface GroupInit {
  readonly comment: string;
  readonly keys: GroupKeys;
  readonly privateKeys?: Readonly<Record<string, PrivateJwk>>;
  readonly trust: unknown;
  readonly txnTokenKeys?: NonNullable<TokenGroup['txnTokenKeys']>;
  readonly txnTrustDomain?: string;
}

export class GroupBuilder<C = CaseInit, I = GroupInit> {
  readonly cases: C[] = [];
  constructor(readonly init: I) {}
  add(c: C): void {
    this.cases.push(c);
  }
}

export interface FileMeta {
  readonly topic: string;
  readonly algorithm: string;
  readonly header: readonly string[];
}

export const sortedRecord = <T>(r: Readonly<Record<string, T>>): Record<string, T> =>
  Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]!]));

/**
 * A verifier names its audience or says explicitly that any will do (spec §7.8): a test whose
 * options name neither records `allowAnyAudience: true`, as a conforming verifier must be told.
 */
function withAudienceChoice(c: CaseInit): CaseInit {
  const o = c.options ?? {};
  if (o.audience !== undefined || o.audienceIdentity !== undefined || o.allowAnyAudience !== undefined) return c;
  return { ...c, options: { ...o, allowAnyAudience: true } };
}

/** Thrown when the reference verifier contradicts the generator's prediction: the vectors are not written. */
export class GenerationError extends Error {
  override readonly name = 'GenerationError';
}

/** The result members of a test: `result`, then the code and layer, or the valid value under its name. */
export function resultMembers<V>(outcome: Outcome<V>, validMember: string): Pick<TokenTest, 'result' | 'errorCode' | 'errorLayer'> & Record<string, unknown> {
  if (outcome.result === 'invalid') return { result: 'invalid', errorCode: outcome.code, ...(outcome.layer !== undefined ? { errorLayer: outcome.layer } : {}) };
  return { result: 'valid', [validMember]: outcome.value };
}

/** The file around its groups, Wycheproof style; notes describe exactly the flags used. */
export function envelope<G>(schema: string, seed: string, meta: FileMeta, count: number, flags: Iterable<string>, testGroups: G[]): VectorFile<G> {
  const notes: Record<string, Note> = {};
  for (const f of [...new Set(flags)].sort()) notes[f] = noteFor(f);
  return { schema, specVersion: SPEC_VERSION, topic: meta.topic, algorithm: meta.algorithm, generatorVersion: GENERATOR_VERSION, seed, numberOfTests: count, header: meta.header, notes, testGroups };
}

export function fail(problems: readonly string[]): void {
  if (problems.length > 0) throw new GenerationError(`${problems.length} case(s) disagree with the reference verifier:\n${problems.join('\n')}`);
}

interface CaseBase<V> {
  readonly comment: string;
  readonly flags: readonly string[];
  readonly expect: Expectation<V>;
}

/**
 * Runs every case of every group, numbers the tests across the file and turns them into JSON;
 * any case the reference implementation contradicts stops the file (GenerationError).
 */
export async function finishGroups<I, C extends CaseBase<V>, V, T, G>(
  topic: string,
  groups: ReadonlyArray<GroupBuilder<C, I>>,
  run: (init: I, c: C) => Promise<ReadonlyArray<{ kind: string; outcome: Outcome<V> }>>,
  testOf: (tcId: number, c: C, outcome: Outcome<V>, init: I) => T,
  groupOf: (init: I, tests: T[]) => G,
): Promise<{ groups: G[]; count: number; flags: string[] }> {
  const problems: string[] = [];
  const flags: string[] = [];
  const out: G[] = [];
  let tcId = 0;
  for (const g of groups) {
    const tests: T[] = [];
    for (const c of g.cases) {
      tcId++;
      const where = `${topic} #${tcId} (${c.comment})`;
      if (c.flags.length === 0) problems.push(`${where}: no flag`);
      flags.push(...c.flags);
      const { outcome, problems: p } = reconcile(await run(g.init, c), c.expect, where);
      problems.push(...p);
      if (outcome) tests.push(testOf(tcId, c, outcome, g.init));
    }
    out.push(groupOf(g.init, tests));
  }
  fail(problems);
  return { groups: out, count: tcId, flags };
}

export class FileBuilder {
  private readonly groups: GroupBuilder[] = [];
  constructor(private readonly seed: string) {}

  group(init: GroupInit): GroupBuilder {
    const g = new GroupBuilder<CaseInit, GroupInit>(init);
    this.groups.push(g);
    return g;
  }

  async finish(meta: FileMeta): Promise<TokenVectorFile> {
    for (const g of this.groups) g.cases.splice(0, g.cases.length, ...g.cases.map(withAudienceChoice));
    const { groups, count, flags } = await finishGroups<GroupInit, CaseInit, ExpectedPath, TokenTest, TokenGroup>(
      meta.topic,
      this.groups,
      (init, c) => runTokenTest(init, c),
      (tcId, c, outcome) => ({
        tcId,
        comment: c.comment,
        flags: [...new Set(c.flags)].sort(),
        ...Object.fromEntries(INPUT_KINDS.flatMap((k) => (c[k] === undefined ? [] : [[k, c[k]]]))),
        now: c.now,
        ...(c.options !== undefined ? { options: c.options } : {}),
        ...resultMembers(outcome, 'path'),
        ...(c.randomness !== undefined ? { randomness: c.randomness } : {}),
        ...(c.intermediates !== undefined ? { intermediates: c.intermediates } : {}),
        ...(c.txnToken !== undefined ? { txnToken: c.txnToken } : {}),
      }),
      (init, tests) => ({
        type: 'TokenVerify',
        comment: init.comment,
        keys: sortedRecord(init.keys),
        ...(init.privateKeys ? { privateKeys: sortedRecord(init.privateKeys) } : {}),
        trust: init.trust,
        ...(init.txnTokenKeys !== undefined ? { txnTokenKeys: init.txnTokenKeys } : {}),
        ...(init.txnTrustDomain !== undefined ? { txnTrustDomain: init.txnTrustDomain } : {}),
        tests,
      }),
    );
    return envelope('token-vectors.schema.json', this.seed, meta, count, flags, groups);
  }
}
