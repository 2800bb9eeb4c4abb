import type { PublicJwk } from '@nestoken/core';
import { envelope, finishGroups, GroupBuilder, resultMembers, sortedRecord, type FileMeta } from './builder.js';
import type { CrateGroup, CrateInputs, CrateOptionsJson, CrateTest, CrateVectorFile } from './crate-model.js';
import { runCrateTest, type CrateValue } from './crate-outcome.js';
import type { Expectation } from './expectation.js';

export interface CrateCaseInit extends CrateInputs {
  readonly comment: string;
  readonly flags: readonly string[];
  readonly now: number;
  readonly options?: CrateOptionsJson;
  readonly expect: Expectation<CrateValue>;
}

export interface CrateGroupInit {
  readonly type: CrateGroup['type'];
  readonly comment: string;
  readonly keys: Readonly<Record<string, PublicJwk>>;
  readonly trust: unknown;
}

/** The crate counterpart of FileBuilder: the same prediction-then-reference discipline. */
export class CrateFileBuilder {
  private readonly groups: Array<GroupBuilder<CrateCaseInit, CrateGroupInit>> = [];
  constructor(private readonly seed: string) {}

  group(init: CrateGroupInit): GroupBuilder<CrateCaseInit, CrateGroupInit> {
    const g = new GroupBuilder<CrateCaseInit, CrateGroupInit>(init);
    this.groups.push(g);
    return g;
  }

  async finish(meta: FileMeta): Promise<CrateVectorFile> {
    const { groups, count, flags } = await finishGroups<CrateGroupInit, CrateCaseInit, CrateValue, CrateTest, CrateGroup>(
      meta.topic,
      this.groups,
      (init, c) => runCrateTest(init, c),
      (tcId, c, outcome, init) => ({
        tcId,
        comment: c.comment,
        flags: [...new Set(c.flags)].sort(),
        ...(c.compact !== undefined ? { compact: c.compact } : {}),
        ...(c.carHex !== undefined ? { carHex: c.carHex } : {}),
        ...(c.merge !== undefined ? { merge: c.merge } : {}),
        now: c.now,
        ...(c.options !== undefined ? { options: c.options } : {}),
        ...resultMembers(outcome, init.type === 'CrateMerge' ? 'merged' : 'report'),
      }),
      (init, tests) => ({ type: init.type, comment: init.comment, keys: sortedRecord(init.keys), trust: init.trust, tests }),
    );
    return envelope('crate-vectors.schema.json', this.seed, meta, count, flags, groups);
  }
}
