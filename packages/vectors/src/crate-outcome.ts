import { decodeCrate, merge, verifyCrate, type Crate, type CrateReport } from '@nestoken/crate';
import { fromHex } from './bytes.js';
import type { CrateGroup, CrateInputs, CrateOptionsJson, CrateReportJson, MergedJson } from './crate-model.js';
import { failureOf, loadGroupTrust, verifyOptionsOf, type Outcome } from './outcome.js';

export type CrateValue = CrateReportJson | MergedJson;

export function projectReport(r: CrateReport): CrateReportJson {
  return {
    root: r.root,
    proven: r.proven.map((p) => ({ cid: p.cid, type: p.type })),
    trimmed: [...r.trimmed],
    tokens: r.tokens.map((t) => ({ cid: t.cid, format: t.format, buckets: [...t.buckets], ...(t.chain ? { issuer: t.chain.issuer } : {}) })),
    attestations: r.attestations.map((a) => ({ cid: a.cid, attester: a.attester, subjects: [...a.subjects] })),
    depth: r.depth,
  };
}

export const projectCrate = (c: Crate): MergedJson => ({ root: c.root.toString(), present: [...c.blocks.keys()], trimmed: c.trimmed.map(String) });

async function attempt(run: () => Promise<CrateValue>): Promise<Outcome<CrateValue>> {
  try {
    return { result: 'valid', value: await run() };
  } catch (e) {
    return failureOf(e);
  }
}

/** Reads and verifies (or merges) the crate of one test with the project's crate package. */
export async function runCrateTest(
  group: Pick<CrateGroup, 'trust'>,
  test: CrateInputs & { now: number; options?: CrateOptionsJson },
): Promise<Array<{ kind: string; outcome: Outcome<CrateValue> }>> {
  const trust = loadGroupTrust(group);
  const o = test.options ?? {};
  const limits = o.limits;
  const inputs: Array<[string, string | Uint8Array]> = [];
  if (test.compact !== undefined) inputs.push(['compact', test.compact]);
  if (test.carHex !== undefined) inputs.push(['carHex', fromHex(test.carHex)]);
  const out: Array<{ kind: string; outcome: Outcome<CrateValue> }> = [];
  if (test.merge) {
    const { a, b } = test.merge;
    out.push({ kind: 'merge', outcome: await attempt(async () => projectCrate(merge(decodeCrate(a, limits), decodeCrate(b, limits), limits))) });
  }
  for (const [kind, input] of inputs) {
    if ('result' in trust) {
      out.push({ kind, outcome: trust });
      continue;
    }
    const tokens = verifyOptionsOf(o.tokens, trust, test.now);
    const { trust: _t, now: _n, ...tokenOptions } = tokens;
    out.push({
      kind,
      outcome: await attempt(async () =>
        projectReport(
          await verifyCrate(decodeCrate(input, limits), {
            trust,
            now: test.now,
            ...(limits ? { limits } : {}),
            ...(o.attesters ? { attesters: o.attesters } : {}),
            ...(o.tokens ? { tokens: tokenOptions } : {}),
          }),
        ),
      ),
    });
  }
  return out;
}
