import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CrateBuilder, crateEquals, fromCar, fromCompact, merge, present, rootChain, toCar, toCompact, trim, verifyCrate, type Crate } from '../src/index.js';
import { applyStep, attesters, buildPlan, cratePlan, mask, NOW, pick, trust } from './fixtures.js';

const same = (a: Crate, b: Crate): void => {
  expect(a.root.toString()).toBe(b.root.toString());
  expect([...a.blocks.keys()]).toEqual([...b.blocks.keys()]);
  expect(a.trimmed.map(String)).toEqual(b.trimmed.map(String));
  expect(crateEquals(a, b)).toBe(true);
};

describe('trim', () => {
  it('keeps the root CID for any subset, and the trimmed crate is a valid crate in both transport forms', async () => {
    await fc.assert(
      fc.asyncProperty(cratePlan, mask, async (plan, m) => {
        const c = await buildPlan(plan);
        const keep = pick(c, m);
        const t = trim(c, keep);
        expect(t.root.toString()).toBe(c.root.toString());
        for (const k of keep) expect(t.blocks.get(k)?.bytes).toBe(c.blocks.get(k)!.bytes);
        for (const r of rootChain(c)) expect(t.blocks.has(r.toString())).toBe(true);
        for (const k of t.blocks.keys()) expect(c.blocks.has(k)).toBe(true);
        // Every trimmed CID is a node of the original: trimming never invents a link.
        for (const cid of t.trimmed) expect(c.blocks.has(cid.toString())).toBe(true);
        same(fromCar(toCar(t)), t);
        same(fromCompact(toCompact(t)), t);
        const report = await verifyCrate(t, { trust, now: NOW });
        expect(report.root).toBe(c.root.toString());
        expect(report.trimmed).toEqual(t.trimmed.map(String));
      }),
      { numRuns: 60 },
    );
  });

  it('trimming twice is trimming once with the smaller set; trimming everything kept is the identity', async () => {
    await fc.assert(
      fc.asyncProperty(cratePlan, mask, mask, async (plan, m1, m2) => {
        const c = await buildPlan(plan);
        same(trim(c, c.blocks.keys()), c);
        const t1 = trim(c, pick(c, m1));
        const second = pick(t1, m2);
        same(trim(t1, second), trim(c, second));
      }),
      { numRuns: 40 },
    );
  });

  it('keeps the containment path, not attestations, unless an attestation is all that holds a node', async () => {
    const c0 = await buildPlan({ steps: [{ buckets: [{ name: 'a', tokens: [{ nestoken: 0 }], reuse: [] }] }] });
    const b = new CrateBuilder(c0);
    const loose = b.token({ format: 'other', bytes: Uint8Array.of(42) });
    const att = await b.attest({ key: attesters[0], subjects: [c0.root, loose], expiresAt: NOW + 60 });
    const c = b.build();
    const token = [...c0.blocks.values()].find((x) => x.node.type === 'token')!.cid;
    const t = trim(c, [token]);
    expect(t.blocks.has(att.toString())).toBe(false);
    expect(t.trimmed.map(String)).toContain(att.toString());
    const l = trim(c, [loose]);
    expect(l.blocks.has(att.toString())).toBe(true);
    expect(l.blocks.has(loose.toString())).toBe(true);
    await verifyCrate(l, { trust, now: NOW });
  });

  it('refuses to keep a node it does not hold', async () => {
    const c = await buildPlan({ steps: [{ buckets: [{ name: 'a', tokens: [{ format: 'other', bytes: Uint8Array.of(1) }], reuse: [] }] }] });
    const token = [...c.blocks.values()].find((b) => b.node.type === 'token')!.cid;
    const t = trim(c, []);
    expect(() => trim(t, [token])).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
    expect(() => trim(c, ['not a cid'])).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
  });
});

describe('merge', () => {
  /** Three crates that share a history: two trims of c and an extension of a third trim. */
  const related = fc.record({ plan: cratePlan, m1: mask, m2: mask, m3: mask, ext: cratePlan });
  type Related = typeof related extends fc.Arbitrary<infer T> ? T : never;

  async function three(r: Related): Promise<[Crate, Crate, Crate, Crate]> {
    const c = await buildPlan(r.plan);
    const z = await buildPlan(r.ext, trim(c, pick(c, r.m3)));
    return [c, trim(c, pick(c, r.m1)), trim(c, pick(c, r.m2)), z];
  }

  it('is commutative, associative and idempotent on content', async () => {
    await fc.assert(
      fc.asyncProperty(related, async (r) => {
        const [, x, y, z] = await three(r);
        for (const [a, b] of [[x, y], [x, z], [y, z]] as const) same(merge(a, b), merge(b, a));
        same(merge(merge(x, y), z), merge(x, merge(y, z)));
        for (const a of [x, y, z]) same(merge(a, a), a);
        const xy = merge(x, y);
        same(merge(xy, x), xy);
      }),
      { numRuns: 40 },
    );
  });

  it('merge(trim(c), c) restores c, whichever side comes first', async () => {
    await fc.assert(
      fc.asyncProperty(cratePlan, mask, async (plan, m) => {
        const c = await buildPlan(plan);
        const t = trim(c, pick(c, m));
        same(merge(t, c), c);
        same(merge(c, t), c);
      }),
      { numRuns: 60 },
    );
  });

  it('a trimmed crate extended elsewhere merges back with the original, restoring what was trimmed', async () => {
    await fc.assert(
      fc.asyncProperty(related, async (r) => {
        const [c, , , z] = await three(r);
        const m = merge(c, z);
        expect(m.root.toString()).toBe(z.root.toString());
        for (const k of c.blocks.keys()) expect(m.blocks.has(k)).toBe(true);
        for (const k of z.blocks.keys()) expect(m.blocks.has(k)).toBe(true);
        await verifyCrate(m, { trust, now: NOW });
      }),
      { numRuns: 30 },
    );
  });

  it('refuses two histories that split, with a typed error', async () => {
    const c = await buildPlan({ steps: [{ buckets: [{ name: 'a', tokens: [{ nestoken: 0 }], reuse: [] }] }] });
    const left = await applyStep(c, { buckets: [{ name: 'left', tokens: [{ format: 'other', bytes: Uint8Array.of(1) }], reuse: [] }] });
    const right = await applyStep(c, { buckets: [{ name: 'right', tokens: [{ format: 'other', bytes: Uint8Array.of(2) }], reuse: [] }] });
    expect(() => merge(left, right)).toThrow(expect.objectContaining({ code: 'ERR_CRATE_MERGE_CONFLICT' }));
    const unrelated = await buildPlan({ steps: [{ buckets: [{ name: 'b', tokens: [], reuse: [] }] }] });
    expect(() => merge(c, unrelated)).toThrow(expect.objectContaining({ code: 'ERR_CRATE_MERGE_CONFLICT' }));
  });
});

describe('present (selective disclosure)', () => {
  it('discloses the chosen nodes with everything under them, proves membership, keeps the root', async () => {
    await fc.assert(
      fc.asyncProperty(cratePlan, mask, async (plan, m) => {
        const c = await buildPlan(plan);
        const chosen = pick(c, m);
        const p = present(c, chosen);
        expect(p.root.toString()).toBe(c.root.toString());
        for (const k of chosen) {
          expect(p.blocks.has(k)).toBe(true);
          for (const link of c.blocks.get(k)!.links) {
            if (c.blocks.has(link.cid.toString())) expect(p.blocks.has(link.cid.toString())).toBe(true);
          }
        }
        const report = await verifyCrate(p, { trust, now: NOW });
        for (const t of report.tokens) expect(t.path[0]).toBe(c.root.toString());
        // Every attestation vouching for a disclosed node travels with it.
        for (const b of c.blocks.values()) {
          if (b.node.type === 'attestation' && b.node.subjects.some((s) => chosen.includes(s.toString()))) expect(p.blocks.has(b.cid.toString())).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });
});
