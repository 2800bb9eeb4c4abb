import * as dagCbor from '@ipld/dag-cbor';
import { b64u, NestokenError } from '@nestoken/core';
import fc from 'fast-check';
import { CID } from 'multiformats/cid';
import { describe, expect, it } from 'vitest';
import { buildCrate, CrateBuilder, decodeCrate, fromCar, fromCompact, getNode, present, toCar, trim, verifyCrate, type Crate } from '../src/index.js';
import { trust } from './fixtures.js';

const code = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (e) {
    if (!(e instanceof NestokenError)) throw e;
    return e.code;
  }
};

const small = buildCrate({ buckets: [{ name: 'b', tokens: [{ format: 'other', bytes: 'one' }, { format: 'jwt', bytes: 'a.b.c' }] }] });
const tokenCid = [...small.blocks.values()].find((b) => b.node.type === 'token')!.cid;

describe('CIDs handed to the API (spec §10.3.2)', () => {
  const wrong: Array<[string, unknown]> = [
    ['raw codec', CID.createV1(0x55, tokenCid.multihash)],
    ['CIDv0', CID.createV0(tokenCid.multihash as never)],
    ['raw codec text', CID.createV1(0x55, tokenCid.multihash).toString()],
    ['not a CID', 'hello'],
    ['an object', { cid: tokenCid.toString() }],
    ['a number', 42],
  ];
  it.each(wrong)('%s is ERR_USAGE for present, trim, the builder and getNode', (_, cid) => {
    expect(code(() => present(small, [cid as string]))).toBe('ERR_USAGE');
    expect(code(() => trim(small, [cid as string]))).toBe('ERR_USAGE');
    expect(code(() => new CrateBuilder(small).bucket({ name: 'x', items: [cid as string] }))).toBe('ERR_USAGE');
    expect(code(() => getNode(small, cid as string))).toBe('ERR_USAGE');
  });
  it('a node CID in any accepted form still works', () => {
    expect(present(small, [tokenCid]).blocks.has(tokenCid.toString())).toBe(true);
    expect(getNode(small, tokenCid.toString(/* base32 */))?.type).toBe('token');
  });
});

/** A CAR header naming `root`, then `count` one-byte sections that are not blocks at all. */
function carOfTinySections(root: CID, count: number): Uint8Array {
  const header = dagCbor.encode({ roots: [root], version: 1 });
  const out = new Uint8Array(1 + header.length + 2 * count);
  out[0] = header.length;
  out.set(header, 1);
  for (let i = 0; i < count; i++) out.set([0x01, 0x00], 1 + header.length + 2 * i);
  return out;
}

describe('bounds before work, on every input type (spec §10.6, §10.7, §10.8)', () => {
  it('a CAR of 100,000 tiny sections is refused from its framing, before any section is parsed', () => {
    const car = carOfTinySections(small.root, 100_000);
    // The sections are not blocks: parsing any of them would give ERR_MALFORMED.
    expect(code(() => fromCar(car))).toBe('ERR_LIMIT_EXCEEDED');
    expect(code(() => fromCar(carOfTinySections(small.root, 3)))).toBe('ERR_MALFORMED');
  });

  it('CAR framing that runs past the end, or a zero-length section, is ERR_MALFORMED', () => {
    const car = toCar(small);
    expect(code(() => fromCar(car.subarray(0, car.length - 1)))).toBe('ERR_MALFORMED');
    expect(code(() => fromCar(Uint8Array.of(...car, 0x00)))).toBe('ERR_MALFORMED');
    fc.assert(
      fc.property(fc.nat(car.length - 1), (cut) => {
        expect(['ERR_MALFORMED', 'ERR_CRATE_DANGLING_LINK', 'ERR_CRATE_NODE_INVALID', 'ERR_CBOR', 'ERR_NONCANONICAL', undefined]).toContain(code(() => fromCar(car.subarray(0, cut))));
      }),
      { numRuns: 100 },
    );
  });

  it('a compact form listing more nodes than maxNodes is refused from the list head', () => {
    const many = b64u(dagCbor.encode([1, Array.from({ length: 20_000 }, () => Uint8Array.of(0xff)), []]));
    expect(code(() => fromCompact(many))).toBe('ERR_LIMIT_EXCEEDED');
  });

  it('text and bytes are bounded by their length before they are scanned or trimmed', () => {
    const limits = { maxTotalBytes: 300 };
    expect(code(() => fromCompact(' '.repeat(401), limits))).toBe('ERR_INPUT_TOO_LARGE');
    expect(code(() => decodeCrate(new Uint8Array(401).fill(0x41), limits))).toBe('ERR_INPUT_TOO_LARGE');
    expect(code(() => decodeCrate(42 as unknown as string))).toBe('ERR_USAGE');
  });

  it('verifyCrate on an object checks counts and sizes from the lengths before hashing anything', async () => {
    const huge = new Uint8Array(300_000);
    const blocks = new Map([...small.blocks].map(([k, b]) => [k, { ...b, bytes: huge }]));
    const forged = { ...small, blocks } as unknown as Crate;
    // Had the node been hashed first, the answer would be ERR_CRATE_CID_MISMATCH.
    await expect(verifyCrate(forged, { trust })).rejects.toMatchObject({ code: 'ERR_INPUT_TOO_LARGE' });
    const many = { ...small, trimmed: Array.from({ length: 10_000 }, () => tokenCid) } as unknown as Crate;
    await expect(verifyCrate(many, { trust })).rejects.toMatchObject({ code: 'ERR_LIMIT_EXCEEDED' });
  });
});
