import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NestokenError, verify, type LayerFormat, type Token } from '../src/index.node.js';
import { encodeTokenBinary, encodeTokenText } from '../src/encoding/token.js';
import { NOW, expectedStructuralCode, idChain, identity, receiverOf, transcode, trust, wire } from './fixtures.js';

const format = fc.constantFrom<LayerFormat>('jwt', 'cbor');
const form = fc.constantFrom<'jwt' | 'cbor'>('jwt', 'cbor');
const formats = (min: number, max: number) => fc.array(format, { minLength: min, maxLength: max });

async function codeOf(t: Token | string | Uint8Array, audienceHops: number): Promise<string> {
  try {
    await verify(t, { trust, now: NOW, audience: receiverOf(audienceHops).publicKey });
    return 'VALID';
  } catch (e) {
    if (!(e instanceof NestokenError)) throw e;
    return e.code;
  }
}

describe('ID mode properties (spec §9)', () => {
  it('any chain of 1..32 hops verifies, in JWT, CBOR and mixed layer formats, in either container', async () => {
    await fc.assert(
      fc.asyncProperty(formats(1, 32), form, async (fs, f) => {
        const t = await idChain(fs);
        const path = await verify(wire(t, f), { trust, now: NOW, audience: receiverOf(fs.length).publicKey });
        expect(path.mode).toBe('id');
        expect(path.hops.map((h) => h.identity)).toEqual(fs.map((_, i) => identity(i)));
        expect(path.hops.map((h) => h.format)).toEqual(fs);
        expect(path.expiresAt).toBe(NOW + 3600);
      }),
      { numRuns: 40 },
    );
  });

  it('dropping any layers fails: truncation, broken link, or a prefix addressed to someone else', async () => {
    await fc.assert(
      fc.asyncProperty(formats(2, 16).chain((fs) => fc.tuple(fc.constant(fs), fc.subarray([...fs.keys()], { minLength: 1, maxLength: fs.length }))), form, async ([fs, drop], f) => {
        const t = await idChain(fs);
        const layers = t.layers.filter((_, i) => !drop.includes(i));
        const expected = expectedStructuralCode(t.layers, layers);
        expect(await codeOf(wire({ layers }, f), fs.length)).toBe(layers.length === 0 ? 'ERR_CHAIN_TRUNCATED' : expected);
      }),
      { numRuns: 60 },
    );
  });

  it('reordering or duplicating layers fails with the structural code', async () => {
    await fc.assert(
      fc.asyncProperty(
        formats(2, 12).chain((fs) =>
          fc.tuple(fc.constant(fs), fc.shuffledSubarray([...fs.keys()], { minLength: fs.length, maxLength: fs.length }), fc.nat(fs.length - 1), fc.nat(fs.length)),
        ),
        fc.boolean(),
        async ([fs, order, dupOf, dupAt], duplicate) => {
          const t = await idChain(fs);
          let layers = order.map((i) => t.layers[i]!);
          if (duplicate) layers = [...t.layers.slice(0, dupAt), t.layers[dupOf]!, ...t.layers.slice(dupAt)];
          fc.pre(layers.some((l, i) => l !== t.layers[i]));
          expect(await codeOf({ layers }, fs.length)).toBe(expectedStructuralCode(t.layers, layers));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('splicing two valid chains fails', async () => {
    await fc.assert(
      fc.asyncProperty(formats(2, 10), formats(2, 10), fc.nat(), fc.nat(), async (fa, fb, i0, j0) => {
        const a = await idChain(fa, 'a');
        const b = await idChain(fb, 'b');
        const i = i0 % fa.length;
        const j = 1 + (j0 % (fb.length - 1));
        const layers = [...a.layers.slice(0, i + 1), ...b.layers.slice(j)];
        expect(await codeOf({ layers }, Math.max(fa.length, fb.length))).toBe('ERR_CHAIN_LINK');
      }),
      { numRuns: 40 },
    );
  });

  it('flipping any byte of either form is rejected with a typed error', async () => {
    const chains = await Promise.all([idChain(['jwt', 'cbor', 'jwt']), idChain(['cbor', 'cbor']), idChain(['jwt'])]);
    await fc.assert(
      fc.asyncProperty(fc.nat(chains.length - 1), form, fc.nat(), fc.integer({ min: 1, max: 255 }), async (c, f, pos, delta) => {
        const t = chains[c]!;
        const bytes = f === 'jwt' ? new TextEncoder().encode(encodeTokenText(t)) : encodeTokenBinary(t);
        const flipped = Uint8Array.from(bytes);
        const at = pos % bytes.length;
        flipped[at] = (flipped[at]! + delta) & 0xff;
        const input = f === 'jwt' ? new TextDecoder('latin1').decode(flipped) : flipped;
        const code = await codeOf(input, t.layers.length);
        expect(code).not.toBe('VALID');
      }),
      { numRuns: 400 },
    );
  });

  it('re-encoding any layer into the other format without re-signing is ERR_FORMAT_CHANGED', async () => {
    await fc.assert(
      fc.asyncProperty(formats(1, 12).chain((fs) => fc.tuple(fc.constant(fs), fc.nat(fs.length - 1))), form, async ([fs, j], f) => {
        const t = await idChain(fs);
        const layers = t.layers.map((l, i) => (i === j ? transcode(l) : l));
        const err = await verify(wire({ layers }, f), { trust, now: NOW }).catch((e: NestokenError) => e);
        expect(err).toBeInstanceOf(NestokenError);
        expect((err as NestokenError).code).toBe('ERR_FORMAT_CHANGED');
        expect((err as NestokenError).layer).toBe(j);
      }),
      { numRuns: 40 },
    );
  });

  it('converting the container keeps every layer and verifies', async () => {
    await fc.assert(
      fc.asyncProperty(formats(1, 8), async (fs) => {
        const t = await idChain(fs);
        const viaText = await verify(encodeTokenText(t), { trust, now: NOW });
        const viaBinary = await verify(encodeTokenBinary(t), { trust, now: NOW });
        expect(viaBinary.hops.map((h) => h.digest)).toEqual(viaText.hops.map((h) => h.digest));
      }),
      { numRuns: 20 },
    );
  });
});
