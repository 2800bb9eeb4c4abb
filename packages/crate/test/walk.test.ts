import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockFromNode, cidForBytes, cidKey, DEFAULT_CRATE_LIMITS, walkDag, type NodeCid, type WalkNode } from '../src/index.js';

/** Stand-in CIDs: only their string form matters to the walk. */
const cids: NodeCid[] = Array.from({ length: 64 }, (_, i) => blockFromNode({ type: 'token', format: 'other', bytes: Uint8Array.of(i) }, DEFAULT_CRATE_LIMITS).cid);

/** A synthetic graph over bucket nodes: edges[i] lists the children of node i. */
function graphOf(edges: readonly (readonly number[])[]): (key: string) => WalkNode | undefined {
  const index = new Map(cids.map((c, i) => [c.toString(), i]));
  return (key) => {
    const i = index.get(key)!;
    const out = edges[i];
    return out && { type: 'bucket', links: out.map((j) => ({ field: 'items' as const, cid: cids[j]! })) };
  };
}

describe('walkDag', () => {
  it('rejects a cycle, which hashing makes impossible but input may still claim', () => {
    expect(() => walkDag(cids[0]!.toString(), graphOf([[1], [2], [0]]), 100)).toThrow(expect.objectContaining({ code: 'ERR_CRATE_CYCLE' }));
    expect(() => walkDag(cids[0]!.toString(), graphOf([[0]]), 100)).toThrow(expect.objectContaining({ code: 'ERR_CRATE_CYCLE' }));
  });

  it('accepts shared children (a diamond) and reports pre-order, absent targets and the longest path', () => {
    const r = walkDag(cids[0]!.toString(), graphOf([[1, 2], [3], [3, 5], [4], []]), 100);
    expect(r.order).toEqual([0, 1, 3, 4, 2].map((i) => cids[i]!.toString()));
    expect([...r.absent.keys()]).toEqual([cids[5]!.toString()]);
    expect(r.depth).toBe(4);
  });

  it('finds every cycle in random graphs and accepts every graph whose edges only point forward', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(15), { maxLength: 4 }), { minLength: 1, maxLength: 16 }), (raw) => {
        const n = raw.length;
        const edges = raw.map((out) => [...new Set(out.map((j) => j % n))]);
        const forward = edges.map((out, i) => out.filter((j) => j > i));
        expect(() => walkDag(cids[0]!.toString(), graphOf(forward), 100)).not.toThrow();
        // Reference: a cycle reachable from node 0, by brute force over paths.
        const reach = (from: number, seen: Set<number>): boolean => edges[from]!.some((j) => seen.has(j) || reach(j, new Set([...seen, j])));
        const cyclic = reach(0, new Set([0]));
        let threw: string | undefined;
        try {
          walkDag(cids[0]!.toString(), graphOf(edges), 100);
        } catch (e) {
          threw = (e as { code: string }).code;
        }
        expect(threw).toBe(cyclic ? 'ERR_CRATE_CYCLE' : undefined);
      }),
      { numRuns: 300 },
    );
  });

  it('depth is the longest path, also when a node is first reached by a shorter one (spec §10.5.1)', () => {
    // 0 > 1 > 2 > 3 > 4, and 0 > 5 > 1: node 1 is finished (height 4) before 5 reaches it.
    const edges = [[1, 5], [2], [3], [4], [], [1]];
    expect(walkDag(cids[0]!.toString(), graphOf(edges), 100).depth).toBe(6);
    expect(() => walkDag(cids[0]!.toString(), graphOf(edges), 5)).toThrow(expect.objectContaining({ code: 'ERR_LIMIT_EXCEEDED' }));
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(40), { maxLength: 4 }), { minLength: 1, maxLength: 16 }), (raw) => {
        // Forward edges only (a DAG); targets past the last node are absent and count as one node.
        const edges = raw.map((out, i) => [...new Set(out.map((j) => i + 1 + (j % 20)))]);
        const longest = (i: number): number => (i >= edges.length ? 1 : 1 + Math.max(0, ...edges[i]!.map(longest)));
        const depth = longest(0);
        expect(walkDag(cids[0]!.toString(), graphOf(edges), depth).depth).toBe(depth);
        if (depth > 1) expect(() => walkDag(cids[0]!.toString(), graphOf(edges), depth - 1)).toThrow(expect.objectContaining({ code: 'ERR_LIMIT_EXCEEDED' }));
      }),
      { numRuns: 300 },
    );
  });

  it('stops at the depth limit before the path grows further', () => {
    const chain = Array.from({ length: 40 }, (_, i) => (i < 39 ? [i + 1] : []));
    expect(() => walkDag(cids[0]!.toString(), graphOf(chain), 39)).toThrow(expect.objectContaining({ code: 'ERR_LIMIT_EXCEEDED' }));
    expect(walkDag(cids[0]!.toString(), graphOf(chain), 40).depth).toBe(40);
  });
});

describe('cidKey', () => {
  it('is exactly the multiformats base32 string of the CID', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const cid = cidForBytes(bytes);
        expect(cidKey(cid)).toBe(cid.toString());
        expect(cidKey(cid)).toBe(cidKey(cid));
      }),
      { numRuns: 200 },
    );
  });
});
