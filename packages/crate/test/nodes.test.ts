import * as dagCbor from '@ipld/dag-cbor';
import { encode as cborgEncode } from 'cborg';
import { CID } from 'multiformats/cid';
import * as Digest from 'multiformats/hashes/digest';
import { describe, expect, it } from 'vitest';
import {
  blockFromBytes,
  blockFromNode,
  buildCrate,
  CrateBuilder,
  cidForBytes,
  DEFAULT_CRATE_LIMITS,
  fromCompactBytes,
  linkCrate,
  resolveCrateLimits,
  toCar,
  type CrateBlock,
  type CrateNode,
} from '../src/index.js';
import { buildPlan, cratePlan, nestokens } from './fixtures.js';
import fc from 'fast-check';

const L = DEFAULT_CRATE_LIMITS;
const code = (c: string) => expect.objectContaining({ code: c });
const tokenNode = (bytes = Uint8Array.of(1)): CrateNode => ({ type: 'token', format: 'other', bytes });
/** cborg hands the sorter [keyToken, valueToken] pairs. */
const keyOf = (entry: unknown): string => String((entry as Array<{ value: unknown }>)[0]!.value);
const asBlockBytes = (value: unknown) => blockFromBytes(dagCbor.encode(value), L);

describe('node schemas', () => {
  it('builds the same bytes for the same input: a plan gives one CAR', async () => {
    await fc.assert(
      fc.asyncProperty(cratePlan, async (plan) => {
        expect(toCar(await buildPlan(plan))).toEqual(toCar(await buildPlan(plan)));
      }),
      { numRuns: 20 },
    );
  });

  it('encodes each kind with exactly its schema members', () => {
    const token = blockFromNode({ type: 'token', format: 'nestoken', bytes: nestokens[0]!, meta: { hop: 1, via: 'gw' } }, L);
    expect(Object.keys(dagCbor.decode(token.bytes) as object)).toEqual(['meta', 'type', 'bytes', 'format']);
    const bucket = blockFromNode({ type: 'bucket', name: 'access', items: [token.cid] }, L);
    const decoded = dagCbor.decode(bucket.bytes) as { items: CID[] };
    expect(decoded.items[0]!.equals(token.cid)).toBe(true);
    const root = blockFromNode({ type: 'crate', version: 1, buckets: [bucket.cid], attestations: [] }, L);
    expect(dagCbor.decode(root.bytes)).toEqual({ type: 'crate', version: 1, buckets: [bucket.cid], attestations: [] });
  });

  it('refuses members, kinds and values outside the schema', () => {
    const t = blockFromNode(tokenNode(), L).cid;
    const cases: Array<[unknown, string]> = [
      [{ type: 'token', format: 'other', bytes: Uint8Array.of(1), extra: 1 }, 'ERR_CRATE_NODE_INVALID'],
      [{ type: 'token', format: 'saml', bytes: Uint8Array.of(1) }, 'ERR_CRATE_NODE_INVALID'],
      [{ type: 'token', format: 'other', bytes: new Uint8Array(0) }, 'ERR_CRATE_NODE_INVALID'],
      [{ type: 'token', format: 'other', bytes: 'text' }, 'ERR_CRATE_NODE_INVALID'],
      [{ type: 'token', format: 'other', bytes: Uint8Array.of(1), meta: { f: 1.5 } }, 'ERR_CRATE_NODE_INVALID'],
      [{ type: 'token', format: 'other', bytes: Uint8Array.of(1), meta: { l: t } }, 'ERR_CRATE_NODE_INVALID'],
      [{ type: 'token', format: 'other', bytes: Uint8Array.of(1), meta: [1] }, 'ERR_CRATE_NODE_INVALID'],
      [{ type: 'bucket', name: '', items: [] }, 'ERR_CRATE_NODE_INVALID'],
      [{ type: 'bucket', name: 'x'.repeat(257), items: [] }, 'ERR_CRATE_NODE_INVALID'],
      [{ type: 'bucket', name: 'b', items: [t, t] }, 'ERR_CRATE_NODE_INVALID'],
      [{ type: 'bucket', name: 'b', items: ['bafy'] }, 'ERR_CRATE_NODE_INVALID'],
      [{ type: 'bucket', name: 'b', items: [CID.createV1(0x55, t.multihash)] }, 'ERR_CRATE_NODE_INVALID'],
      [{ type: 'bucket', name: 'b', items: [CID.createV0(t.multihash as never)] }, 'ERR_CRATE_NODE_INVALID'],
      [{ type: 'bucket', name: 'b', items: [CID.createV1(0x71, Digest.create(0x13, new Uint8Array(64)))] }, 'ERR_CRATE_NODE_INVALID'],
      [{ type: 'attestation', subjects: [], statement: Uint8Array.of(1) }, 'ERR_CRATE_NODE_INVALID'],
      [{ type: 'crate', version: 2, buckets: [], attestations: [] }, 'ERR_CRATE_NODE_INVALID'],
      [{ type: 'crate', version: 1, buckets: [] }, 'ERR_CRATE_NODE_INVALID'],
      [{ type: 'crate', version: 1, buckets: [], attestations: [], prev: null }, 'ERR_CRATE_NODE_INVALID'],
      [{ type: 'box' }, 'ERR_CRATE_NODE_INVALID'],
      [[1, 2], 'ERR_CRATE_NODE_INVALID'],
    ];
    for (const [value, c] of cases) {
      expect(() => asBlockBytes(value), JSON.stringify(value, (_, v) => (v instanceof Uint8Array ? [...v] : v))).toThrow(code(c));
    }
  });

  it('attestation subjects must be sorted by CID bytes without repeats', () => {
    const a = blockFromNode(tokenNode(Uint8Array.of(1)), L).cid;
    const b = blockFromNode(tokenNode(Uint8Array.of(2)), L).cid;
    const [lo, hi] = Buffer.compare(a.bytes, b.bytes) < 0 ? [a, b] : [b, a];
    expect(asBlockBytes({ type: 'attestation', subjects: [lo, hi], statement: Uint8Array.of(1) }).node.type).toBe('attestation');
    expect(() => asBlockBytes({ type: 'attestation', subjects: [hi, lo], statement: Uint8Array.of(1) })).toThrow(code('ERR_CRATE_NODE_INVALID'));
    expect(() => asBlockBytes({ type: 'attestation', subjects: [lo, lo], statement: Uint8Array.of(1) })).toThrow(code('ERR_CRATE_NODE_INVALID'));
  });

  it('refuses non-canonical DAG-CBOR even when the CID matches the bytes', () => {
    const alphabetical = cborgEncode({ type: 'token', format: 'other', bytes: Uint8Array.of(1) }, { mapSorter: (a, b) => (keyOf(a) < keyOf(b) ? -1 : 1) });
    expect(() => blockFromBytes(alphabetical, L, cidForBytes(alphabetical))).toThrow(code('ERR_NONCANONICAL'));
    const canonical = dagCbor.encode({ type: 'token', format: 'other', bytes: Uint8Array.of(1) });
    expect(alphabetical).not.toEqual(canonical);
    // A map header with a needlessly long length: the same value, other bytes.
    const longHead = Uint8Array.from([0xb8, 0x03, ...canonical.subarray(1)]);
    expect(() => blockFromBytes(longHead, L)).toThrow(code('ERR_NONCANONICAL'));
    expect(() => blockFromBytes(Uint8Array.of(0xff), L)).toThrow(code('ERR_CBOR'));
    expect(() => fromCompactBytes(dagCbor.encode([1, [alphabetical], []]))).toThrow(code('ERR_NONCANONICAL'));
  });

  it('turns hostile nesting into typed errors, never a stack overflow', () => {
    const deep = new Uint8Array(200_000).fill(0x81);
    expect(() => blockFromBytes(deep, { ...L, maxNodeBytes: 1 << 20 })).toThrow(expect.objectContaining({ name: 'NestokenError' }));
    let meta: unknown = 1;
    for (let i = 0; i < 40; i++) meta = { m: meta };
    expect(() => blockFromNode({ type: 'token', format: 'other', bytes: Uint8Array.of(1), meta: meta as never }, L)).toThrow(code('ERR_LIMIT_EXCEEDED'));
  });
});

describe('limits', () => {
  it('are positive integers', () => {
    expect(() => resolveCrateLimits({ maxNodes: 0 })).toThrow(code('ERR_USAGE'));
    expect(() => resolveCrateLimits({ maxDepth: 1.5 })).toThrow(code('ERR_USAGE'));
  });

  it('bound fan-out, node size, depth and node count while building', () => {
    const b = new CrateBuilder(undefined, { maxFanout: 3 });
    const items = [1, 2, 3, 4].map((i) => b.token({ format: 'other', bytes: Uint8Array.of(i) }));
    expect(() => b.bucket({ name: 'wide', items })).toThrow(code('ERR_LIMIT_EXCEEDED'));
    expect(() => new CrateBuilder(undefined, { maxNodeBytes: 64 }).token({ format: 'other', bytes: new Uint8Array(100) })).toThrow(code('ERR_INPUT_TOO_LARGE'));
    const spec = { buckets: [{ name: 'b', tokens: [1, 2, 3].map((i) => ({ format: 'other' as const, bytes: Uint8Array.of(i) })) }] };
    expect(() => buildCrate(spec, { limits: { maxNodes: 4 } })).toThrow(code('ERR_LIMIT_EXCEEDED'));
    expect(buildCrate(spec, { limits: { maxNodes: 5 } }).blocks.size).toBe(5);
    expect(() => buildCrate(spec, { limits: { maxTotalBytes: 50 } })).toThrow(code('ERR_INPUT_TOO_LARGE'));
    // root -> b1 -> b0 -> token: four nodes deep.
    const nestedAt = (maxDepth: number) => {
      const nested = new CrateBuilder(undefined, { maxDepth });
      const b0 = nested.bucket({ name: 'b0', items: [nested.token({ format: 'other', bytes: Uint8Array.of(0) })] });
      nested.bucket({ name: 'b1', items: [b0] });
      return nested.build();
    };
    expect(nestedAt(4).depth).toBe(4);
    expect(() => nestedAt(3)).toThrow(code('ERR_LIMIT_EXCEEDED'));
    expect(new CrateBuilder().build().depth).toBe(1);
  });

  it('count a root\'s buckets, attestations and prev together against the fan-out', () => {
    const [a, b] = [1, 2].map((i) => blockFromNode({ type: 'bucket', name: `b${i}`, items: [] }, L).cid);
    const limits = { ...L, maxFanout: 2 };
    expect(blockFromNode({ type: 'crate', version: 1, buckets: [a!, b!], attestations: [] }, limits).node.type).toBe('crate');
    expect(() => blockFromNode({ type: 'crate', version: 1, buckets: [a!, b!], attestations: [], prev: a! }, limits)).toThrow(code('ERR_LIMIT_EXCEEDED'));
  });

  it('a builder links only to nodes that already exist, so it cannot make a cycle', () => {
    const b = new CrateBuilder();
    const stranger = blockFromNode(tokenNode(Uint8Array.of(7)), L).cid;
    expect(() => b.bucket({ name: 'b', items: [stranger] })).toThrow(code('ERR_CRATE_DANGLING_LINK'));
    b.token({ format: 'other', bytes: Uint8Array.of(1) });
    expect(() => b.build()).toThrow(code('ERR_CRATE_NODE_INVALID'));
  });

  it('link fields point at the right kinds', () => {
    const token = blockFromNode(tokenNode(), L);
    const root = blockFromNode({ type: 'crate', version: 1, buckets: [token.cid], attestations: [] }, L);
    const blocks = new Map<string, CrateBlock>([[root.cid.toString(), root], [token.cid.toString(), token]]);
    expect(() => linkCrate(root.cid, blocks, L)).toThrow(code('ERR_CRATE_NODE_INVALID'));
    const bucket = blockFromNode({ type: 'bucket', name: 'b', items: [root.cid] }, L);
    const top = blockFromNode({ type: 'crate', version: 1, buckets: [bucket.cid], attestations: [] }, L);
    const more = new Map<string, CrateBlock>([[top.cid.toString(), top], [bucket.cid.toString(), bucket], [root.cid.toString(), root], [token.cid.toString(), token]]);
    expect(() => linkCrate(top.cid, more, L)).toThrow(code('ERR_CRATE_NODE_INVALID'));
    expect(() => linkCrate(bucket.cid, new Map([[bucket.cid.toString(), bucket]]), L, [root.cid])).toThrow(code('ERR_CRATE_NODE_INVALID'));
  });
});
