import { CarReader, CarWriter } from '@ipld/car';
import * as dagCbor from '@ipld/dag-cbor';
import { isNestokenError } from '@nestoken/core';
import fc from 'fast-check';
import { CID } from 'multiformats/cid';
import { base64url } from 'multiformats/bases/base64';
import { describe, expect, it } from 'vitest';
import {
  blockFromBytes,
  cidForBytes,
  crateEquals,
  decodeCrate,
  DEFAULT_CRATE_LIMITS,
  fromCar,
  fromCompact,
  fromCompactBytes,
  sizeReport,
  toCar,
  toCompact,
  toCompactBytes,
  trim,
  verifyCrate,
  type Crate,
} from '../src/index.js';
import { buildPlan, cratePlan, mask, NOW, pick, trust } from './fixtures.js';

const u8 = (b: Uint8Array): Uint8Array => Uint8Array.from(b);

async function carWithCarWriter(roots: CID[], blocks: Array<{ cid: CID; bytes: Uint8Array }>): Promise<Uint8Array> {
  const { writer, out } = CarWriter.create(roots);
  const chunks: Uint8Array[] = [];
  const collect = (async () => {
    for await (const chunk of out) chunks.push(chunk);
  })();
  for (const b of blocks) await writer.put(b);
  await writer.close();
  await collect;
  return Uint8Array.from(chunks.flatMap((c) => [...c]));
}

/** Either a typed refusal or exactly the original crate: a changed byte never yields another crate. */
function rejectedOrSame(decode: () => Crate, original: Crate): void {
  let back: Crate;
  try {
    back = decode();
  } catch (e) {
    expect(isNestokenError(e), String(e)).toBe(true);
    return;
  }
  expect(crateEquals(back, original)).toBe(true);
}

describe('CAR', () => {
  it('round trips, and @ipld/car reads back exactly the crate: same roots, same blocks, same bytes as CarWriter', async () => {
    await fc.assert(
      fc.asyncProperty(cratePlan, mask, async (plan, m) => {
        const c = trim(await buildPlan(plan), pick(await buildPlan(plan), m));
        const car = toCar(c);
        expect(crateEquals(fromCar(car), c)).toBe(true);
        const reader = await CarReader.fromBytes(car);
        const roots = await reader.getRoots();
        expect(roots[0]!.toString()).toBe(c.root.toString());
        expect(roots.length).toBe(c.trimmed.length > 0 ? 2 : 1);
        const blocks: Array<{ cid: CID; bytes: Uint8Array }> = [];
        for await (const b of reader.blocks()) blocks.push(b);
        const crateBlocks = blocks.filter((b) => !roots[1]?.equals(b.cid));
        expect(crateBlocks.map((b) => b.cid.toString())).toEqual([...c.blocks.keys()]);
        for (const b of crateBlocks) expect(u8(b.bytes)).toEqual(u8(c.blocks.get(b.cid.toString())!.bytes));
        if (roots[1]) {
          const manifest = dagCbor.decode(blocks.find((b) => roots[1]!.equals(b.cid))!.bytes) as { type: string; root: CID; cids: CID[] };
          expect(manifest.type).toBe('trimmed');
          expect(manifest.root.toString()).toBe(c.root.toString());
          expect(manifest.cids.map(String)).toEqual(c.trimmed.map(String));
        }
        expect(await carWithCarWriter(roots, blocks)).toEqual(u8(car));
        expect(sizeReport(c).carBytes).toBe(car.length);
      }),
      { numRuns: 40 },
    );
  });

  it('every node decodes with @ipld/dag-cbor and every CID string parses with multiformats', async () => {
    const c = await buildPlan({ steps: [{ buckets: [{ name: 'b', tokens: [{ nestoken: 0 }, { format: 'jwt', bytes: Uint8Array.of(1, 2), meta: { hop: 3 } }], reuse: [] }] }, { buckets: [], attest: { attester: 0, picks: [0, 1] } }] });
    const types = new Set<string>();
    for (const [key, b] of c.blocks) {
      const decoded = dagCbor.decode(b.bytes) as { type: string };
      types.add(decoded.type);
      expect(u8(dagCbor.encode(decoded))).toEqual(u8(b.bytes));
      const cid = CID.parse(key);
      expect(cid.version).toBe(1);
      expect(cid.code).toBe(dagCbor.code);
      expect(cid.multihash.code).toBe(0x12);
      expect(cid.equals(b.cid)).toBe(true);
      expect(cidForBytes(b.bytes).toString()).toBe(key);
    }
    expect([...types].sort()).toEqual(['attestation', 'bucket', 'crate', 'token']);
    const root = dagCbor.decode(c.blocks.get(c.root.toString())!.bytes) as { prev: unknown; attestations: unknown[] };
    expect(CID.asCID(root.prev)).not.toBeNull();
    expect(CID.asCID(root.attestations[0])).not.toBeNull();
  });

  it('detects any changed byte in a present node, whatever the transport', async () => {
    await fc.assert(
      fc.asyncProperty(cratePlan, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), async (plan, which, at, flip) => {
        const c = await buildPlan(plan);
        const blocks = [...c.blocks.values()];
        const victim = blocks[which % blocks.length]!;
        const bytes = Uint8Array.from(victim.bytes);
        bytes[at % bytes.length]! ^= flip;
        expect(() => blockFromBytes(bytes, DEFAULT_CRATE_LIMITS, victim.cid)).toThrow(expect.objectContaining({ code: 'ERR_CRATE_CID_MISMATCH' }));
        const car = await carWithCarWriter([c.root], blocks.map((b) => ({ cid: b.cid, bytes: b === victim ? bytes : b.bytes })));
        expect(() => fromCar(car)).toThrow(expect.objectContaining({ code: 'ERR_CRATE_CID_MISMATCH' }));
        // In memory, after the crate was read: verify hashes again.
        const copy = await buildPlan(plan);
        copy.blocks.get(victim.cid.toString())!.bytes[at % bytes.length]! ^= flip;
        await expect(verifyCrate(copy, { trust, now: NOW })).rejects.toMatchObject({ code: 'ERR_CRATE_CID_MISMATCH' });
      }),
      { numRuns: 60 },
    );
  });

  it('a flipped byte anywhere in a CAR or compact form is refused with a typed error or changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(cratePlan, mask, fc.nat(), fc.integer({ min: 1, max: 255 }), async (plan, m, at, flip) => {
        const c = await buildPlan(plan);
        const t = trim(c, pick(c, m));
        const forms: Array<[Uint8Array, (b: Uint8Array) => Crate]> = [
          [toCar(t), (b) => fromCar(b)],
          [toCompactBytes(t), (b) => fromCompactBytes(b)],
        ];
        for (const [encoded, read] of forms) {
          const bad = Uint8Array.from(encoded);
          bad[at % bad.length]! ^= flip;
          rejectedOrSame(() => read(bad), t);
          rejectedOrSame(() => decodeCrate(bad), t);
        }
        const text = toCompact(t).split('');
        const i = at % text.length;
        text[i] = text[i] === 'A' ? 'B' : 'A';
        rejectedOrSame(() => fromCompact(text.join('')), t);
      }),
      { numRuns: 80 },
    );
  });

  it('random bytes are refused with typed errors only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        for (const read of [() => fromCar(bytes), () => fromCompactBytes(bytes), () => decodeCrate(bytes)]) {
          try {
            read();
          } catch (e) {
            expect(isNestokenError(e), String(e)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a missing block without a manifest is a dangling link; a manifest must list exactly the absent nodes', async () => {
    const c = await buildPlan({ steps: [{ buckets: [{ name: 'b', tokens: [{ nestoken: 0 }, { nestoken: 1 }], reuse: [] }] }] });
    const tokens = [...c.blocks.values()].filter((b) => b.node.type === 'token');
    const t = trim(c, [tokens[0]!.cid]);
    const blocks = [...t.blocks.values()];
    await expect(carWithCarWriter([t.root], blocks).then(fromCar)).rejects.toMatchObject({ code: 'ERR_CRATE_DANGLING_LINK' });
    const { encodeManifest } = await import('../src/index.js');
    const wrong = encodeManifest(t.root, [tokens[0]!.cid]);
    await expect(carWithCarWriter([t.root, wrong.cid], [...blocks, wrong]).then(fromCar)).rejects.toMatchObject({ code: 'ERR_CRATE_DANGLING_LINK' });
    const extra = encodeManifest(t.root, [tokens[0]!.cid, tokens[1]!.cid]);
    await expect(carWithCarWriter([t.root, extra.cid], [...blocks, extra]).then(fromCar)).rejects.toMatchObject({ code: 'ERR_CRATE_NODE_INVALID' });
    const right = encodeManifest(t.root, [tokens[1]!.cid]);
    expect(crateEquals(fromCar(await carWithCarWriter([t.root, right.cid], [...blocks, right])), t)).toBe(true);
    await expect(carWithCarWriter([t.root, right.cid], blocks).then(fromCar)).rejects.toMatchObject({ code: 'ERR_MALFORMED' });
    // Declared trimmed yet present: the manifest must say exactly what is absent.
    await expect(carWithCarWriter([t.root, right.cid], [...blocks, right, tokens[1]!]).then(fromCar)).rejects.toMatchObject({ code: 'ERR_CRATE_NODE_INVALID' });
    // A block nobody links to is refused rather than silently carried.
    await expect(carWithCarWriter([c.root], [...c.blocks.values(), wrong]).then(fromCar)).rejects.toMatchObject({ code: 'ERR_CRATE_NODE_INVALID' });
  });
});

describe('compact form', () => {
  it('is unpadded base64url of [1, nodes, trimmed], root first, and round trips', async () => {
    await fc.assert(
      fc.asyncProperty(cratePlan, mask, async (plan, m) => {
        const c = await buildPlan(plan);
        const t = trim(c, pick(c, m));
        const text = toCompact(t);
        expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
        const outer = dagCbor.decode(base64url.baseDecode(text)) as [number, Uint8Array[], CID[]];
        expect(outer[0]).toBe(1);
        expect(cidForBytes(outer[1][0]!).toString()).toBe(t.root.toString());
        expect(outer[2].map(String)).toEqual(t.trimmed.map(String));
        expect(crateEquals(fromCompact(text), t)).toBe(true);
        expect(crateEquals(decodeCrate(text), t)).toBe(true);
        expect(crateEquals(decodeCrate(new TextEncoder().encode(`${text}\n`)), t)).toBe(true);
        expect(sizeReport(t).compactChars).toBe(text.length);
      }),
      { numRuns: 40 },
    );
  });

  it('has one form per crate: other node orders, padding and foreign characters are refused', async () => {
    const c = await buildPlan({ steps: [{ buckets: [{ name: 'b', tokens: [{ nestoken: 0 }, { nestoken: 1 }], reuse: [] }] }] });
    const nodes = [...c.blocks.values()].map((b) => b.bytes);
    const swapped = dagCbor.encode([1, [nodes[0], nodes[1], nodes[3], nodes[2]], []]);
    expect(nodes.length).toBe(4);
    expect(() => fromCompactBytes(swapped)).toThrow(expect.objectContaining({ code: 'ERR_NONCANONICAL' }));
    const twice = dagCbor.encode([1, [...nodes, nodes[1]], []]);
    expect(() => fromCompactBytes(twice)).toThrow(expect.objectContaining({ code: 'ERR_MALFORMED' }));
    expect(() => fromCompactBytes(dagCbor.encode([2, nodes, []]))).toThrow(expect.objectContaining({ code: 'ERR_MALFORMED' }));
    expect(() => fromCompact(`${toCompact(c)}==`)).toThrow(expect.objectContaining({ code: 'ERR_BASE64' }));
    expect(() => fromCompact('abc+def')).toThrow(expect.objectContaining({ code: 'ERR_BASE64' }));
    expect(() => fromCompact('A')).toThrow(expect.objectContaining({ code: 'ERR_BASE64' }));
  });

  it('checks sizes before decoding', async () => {
    const c = await buildPlan({ steps: [{ buckets: [{ name: 'b', tokens: [{ nestoken: 0 }], reuse: [] }] }] });
    const limits = { maxTotalBytes: 100 };
    expect(() => fromCompact(toCompact(c), limits)).toThrow(expect.objectContaining({ code: 'ERR_INPUT_TOO_LARGE' }));
    expect(() => fromCar(toCar(c), limits)).toThrow(expect.objectContaining({ code: 'ERR_INPUT_TOO_LARGE' }));
    expect(() => fromCar(toCar(c), { maxNodes: 2 })).toThrow(expect.objectContaining({ code: 'ERR_LIMIT_EXCEEDED' }));
    expect(() => fromCompact(toCompact(c), { maxNodes: 2 })).toThrow(expect.objectContaining({ code: 'ERR_LIMIT_EXCEEDED' }));
    expect(() => fromCompact(toCompact(c), { maxNodeBytes: 64 })).toThrow(expect.objectContaining({ code: 'ERR_INPUT_TOO_LARGE' }));
    expect(() => fromCompact(toCompact(c), { maxDepth: 2 })).toThrow(expect.objectContaining({ code: 'ERR_LIMIT_EXCEEDED' }));
  });
});
