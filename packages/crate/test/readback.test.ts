import * as dagCbor from '@ipld/dag-cbor';
import { NestokenError } from '@nestoken/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  blockFromBytes,
  buildCrate,
  CrateBuilder,
  DEFAULT_CRATE_LIMITS,
  fromCar,
  fromCompact,
  toCar,
  toCompact,
  verifyCrate,
  type CrateLimits,
  type CrateSpec,
} from '../src/index.js';
import { attesters, NOW, plainMap, trust } from './fixtures.js';

async function codeOf(run: () => unknown): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (e) {
    if (!(e instanceof NestokenError)) throw e;
    return e.code;
  }
}

const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 });
const spec: fc.Arbitrary<CrateSpec> = fc.record({
  buckets: fc.array(
    fc.record({
      name: text,
      tokens: fc.array(fc.record({ format: fc.constantFrom('jwt' as const, 'cwt' as const, 'other' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 300 }), meta: plainMap }), { maxLength: 12 }),
    }),
    { maxLength: 8 },
  ),
});
const limits: fc.Arbitrary<Partial<CrateLimits>> = fc.record(
  { maxNodes: fc.integer({ min: 1, max: 40 }), maxTotalBytes: fc.integer({ min: 200, max: 12_000 }), maxNodeBytes: fc.integer({ min: 50, max: 2_000 }), maxFanout: fc.integer({ min: 1, max: 16 }) },
  { requiredKeys: [] },
);

describe('what the builder accepts, the readers and the verifier accept (spec §10.4.1)', () => {
  it('every crate the builder returns reads back from both forms and verifies; a refusal has the code a reader gives', async () => {
    await fc.assert(
      fc.asyncProperty(spec, limits, async (s, l) => {
        let built;
        try {
          built = buildCrate(s, { limits: l });
        } catch (e) {
          expect(e).toBeInstanceOf(NestokenError);
          const refused = (e as NestokenError).code;
          // The same crate built without bounds is refused by a reader under the builder's limits.
          const unbounded = buildCrate(s, { limits: { maxNodes: 1e6, maxTotalBytes: 1e9, maxNodeBytes: 1e9, maxFanout: 1e6 } });
          const readCodes = [await codeOf(() => fromCompact(toCompact(unbounded), l)), await codeOf(() => fromCar(toCar(unbounded), l))];
          expect(readCodes).not.toContain(undefined);
          expect(['ERR_LIMIT_EXCEEDED', 'ERR_INPUT_TOO_LARGE', 'ERR_CRATE_NODE_INVALID']).toContain(refused);
          for (const c of readCodes) expect(['ERR_LIMIT_EXCEEDED', 'ERR_INPUT_TOO_LARGE']).toContain(c);
          return;
        }
        for (const back of [fromCompact(toCompact(built), l), fromCar(toCar(built), l)]) {
          expect(back.root.toString()).toBe(built.root.toString());
          expect([...back.blocks.keys()]).toEqual([...built.blocks.keys()]);
          for (const [k, b] of back.blocks) expect(b.node).toEqual(built.blocks.get(k)!.node);
        }
        await expect(verifyCrate(built, { trust, now: NOW, limits: l })).resolves.toBeDefined();
      }),
      { numRuns: 150, endOnFailure: true },
    );
  });

  it('10,000 tokens in buckets of 10 are refused while building, with the code the readers give', () => {
    const b = new CrateBuilder();
    let refused: unknown;
    try {
      for (let i = 0; i < 10_000; i += 10) {
        const items = Array.from({ length: 10 }, (_, j) => b.token({ format: 'other', bytes: `t${i + j}` }));
        b.bucket({ name: `b${i}`, items });
      }
    } catch (e) {
      refused = e;
    }
    expect(refused).toMatchObject({ code: 'ERR_LIMIT_EXCEEDED' });
  });

  it('an attestation over more subjects than a statement can name is refused up front; one that fits verifies', async () => {
    const base = new CrateBuilder();
    const buckets = Array.from({ length: 300 }, (_, i) => base.bucket({ name: `b${i}`, items: [base.token({ format: 'other', bytes: `t${i}` })] }));
    const crate = base.build();
    const over = new CrateBuilder(crate);
    await expect(over.attest({ key: attesters[0], subjects: buckets, expiresAt: NOW + 600 })).rejects.toMatchObject({ code: 'ERR_INPUT_TOO_LARGE' });
    const fits = new CrateBuilder(crate);
    await fits.attest({ key: attesters[0], subjects: buckets.slice(0, 200), expiresAt: NOW + 600 });
    const report = await verifyCrate(fits.build(), { trust, now: NOW });
    expect(report.attestations[0]!.subjects).toHaveLength(200);
  });

  it('text of any Unicode reads back as built, a leading U+FEFF included; a lone surrogate is refused', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), (name, note) => {
        for (const [n, m] of [[name, note], [`\uFEFF${name}`, `\uFEFF${note}`]] as const) {
          const crate = buildCrate({ buckets: [{ name: n, tokens: [{ format: 'other', bytes: 'x', meta: { note: m } }] }] });
          const back = fromCompact(toCompact(crate));
          const names = [...back.blocks.values()].flatMap((b) => (b.node.type === 'bucket' ? [b.node.name] : []));
          expect(names).toEqual([n]);
        }
      }),
      { numRuns: 100 },
    );
    expect(() => buildCrate({ buckets: [{ name: 'a\uD800b', tokens: [] }] })).toThrow(expect.objectContaining({ code: 'ERR_CRATE_NODE_INVALID' }));
    expect(() => buildCrate({ buckets: [{ name: 'a', tokens: [{ format: 'other', bytes: 'x', meta: { ['\uDC00']: 1 } }] }] })).toThrow(expect.objectContaining({ code: 'ERR_CRATE_NODE_INVALID' }));
  });
});

describe('strict DAG-CBOR in codes (spec §10.3.1)', () => {
  const node = (metaValue: number[]): Uint8Array => {
    const marker = 'meta-value-here';
    const bytes = dagCbor.encode({ type: 'token', format: 'other', bytes: Uint8Array.of(1), meta: { k: marker } });
    const at = Buffer.from(bytes).indexOf(Buffer.from([0x60 + marker.length, ...new TextEncoder().encode(marker)]));
    return Uint8Array.from([...bytes.subarray(0, at), ...metaValue, ...bytes.subarray(at + 1 + marker.length)]);
  };
  const cases: Array<[string, number[], string]> = [
    ['a long integer head', [0x18, 0x01], 'ERR_NONCANONICAL'],
    ['an indefinite-length list', [0x9f, 0x01, 0xff], 'ERR_NONCANONICAL'],
    ['an indefinite-length text', [0x7f, 0x61, 0x61, 0xff], 'ERR_NONCANONICAL'],
    ['a 32-bit float', [0xfa, 0x3f, 0xc0, 0x00, 0x00], 'ERR_NONCANONICAL'],
    ['an integral float', [0xfb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0], 'ERR_NONCANONICAL'],
    ['text that is not UTF-8', [0x62, 0xc3, 0x28], 'ERR_NONCANONICAL'],
    ['map keys out of order', [0xa2, 0x62, 0x62, 0x62, 0x01, 0x61, 0x61, 0x02], 'ERR_NONCANONICAL'],
    ['a repeated key', [0xa2, 0x61, 0x61, 0x01, 0x61, 0x61, 0x02], 'ERR_DUPLICATE_KEY'],
    ['undefined', [0xf7], 'ERR_CBOR'],
    ['a simple value', [0xf0], 'ERR_CBOR'],
    ['NaN', [0xfb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0], 'ERR_CBOR'],
    ['a tag other than 42', [0xc1, 0x01], 'ERR_CBOR'],
    ['a lone break', [0xff], 'ERR_CBOR'],
    ['an integer map key', [0xa1, 0x01, 0x01], 'ERR_CBOR'],
  ];
  it.each(cases)('%s', (_, value, expected) => {
    expect(() => blockFromBytes(node(value), DEFAULT_CRATE_LIMITS)).toThrow(expect.objectContaining({ code: expected }));
  });
  it('the canonical node itself is accepted, and trailing bytes are ERR_CBOR', () => {
    expect(blockFromBytes(node([0x01]), DEFAULT_CRATE_LIMITS).node.type).toBe('token');
    expect(() => blockFromBytes(Uint8Array.from([...node([0x01]), 0x00]), DEFAULT_CRATE_LIMITS)).toThrow(expect.objectContaining({ code: 'ERR_CBOR' }));
  });
});
