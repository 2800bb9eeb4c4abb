import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NestokenError, verify, type KeyAlg, type LayerFormat, type Token } from '../src/index.node.js';
import { encodeTokenBinary, encodeTokenText } from '../src/encoding/token.js';
import { NOW, expectedStructure, idChain, identity, matchesStructure, receiverOf, transcode, trust, wire } from './fixtures.js';

const format = fc.constantFrom<LayerFormat>('jwt', 'cbor');
const form = fc.constantFrom<'jwt' | 'cbor'>('jwt', 'cbor');
/**
 * A chain's shape: the format of each layer and the key type of each signer and of the
 * receiver, so every property below runs over chains that mix Ed25519 and ES256 hops.
 */
interface Shape {
  readonly fs: LayerFormat[];
  readonly algs: KeyAlg[];
}
const alg = fc.constantFrom<KeyAlg>('Ed25519', 'ES256');
const shapes = (min: number, max: number): fc.Arbitrary<Shape> =>
  fc.array(fc.tuple(format, alg), { minLength: min, maxLength: max }).chain((hops) =>
    alg.map((receiver) => ({ fs: hops.map(([f]) => f), algs: [...hops.map(([, a]) => a), receiver] })),
  );
const chainOf = (s: Shape, tag?: string) => idChain(s.fs, tag, s.algs);

async function errorOf(t: Token | string | Uint8Array, audience: Shape): Promise<{ code: string; layer?: number | undefined }> {
  try {
    await verify(t, { trust, now: NOW, audience: receiverOf(audience.fs.length, audience.algs).publicKey });
    return { code: 'VALID' };
  } catch (e) {
    if (!(e instanceof NestokenError)) throw e;
    return { code: e.code, layer: e.layer };
  }
}
const codeOf = async (t: Token | string | Uint8Array, audience: Shape): Promise<string> => (await errorOf(t, audience)).code;

describe('ID mode properties (spec §9), Ed25519 and ES256 hops mixed', () => {
  it('any chain of 1..32 hops verifies, in JWT, CBOR and mixed layer formats, in either container', async () => {
    await fc.assert(
      fc.asyncProperty(shapes(1, 32), form, async (shape, f) => {
        const { fs, algs } = shape;
        const t = await chainOf(shape);
        const path = await verify(wire(t, f), { trust, now: NOW, audience: receiverOf(fs.length, algs).publicKey });
        expect(path.mode).toBe('id');
        expect(path.hops.map((h) => h.identity)).toEqual(fs.map((_, i) => identity(i)));
        expect(path.hops.map((h) => h.format)).toEqual(fs);
        expect(t.layers.map((l) => l.header.alg)).toEqual(algs.slice(0, fs.length));
        expect(path.expiresAt).toBe(NOW + 3600);
      }),
      { numRuns: 40 },
    );
  });

  it('dropping any layers fails: truncation, a layer out of place, or a prefix addressed to someone else', async () => {
    await fc.assert(
      fc.asyncProperty(shapes(2, 16).chain((s) => fc.tuple(fc.constant(s), fc.subarray([...s.fs.keys()], { minLength: 1, maxLength: s.fs.length }))), form, async ([shape, drop], f) => {
        const t = await chainOf(shape);
        const layers = t.layers.filter((_, i) => !drop.includes(i));
        const err = await errorOf(wire({ layers }, f), shape);
        expect(matchesStructure(err, expectedStructure(t.layers, layers)), JSON.stringify(err)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('reordering or duplicating layers fails with the structural code', async () => {
    await fc.assert(
      fc.asyncProperty(
        shapes(2, 12).chain((s) =>
          fc.tuple(fc.constant(s), fc.shuffledSubarray([...s.fs.keys()], { minLength: s.fs.length, maxLength: s.fs.length }), fc.nat(s.fs.length - 1), fc.nat(s.fs.length)),
        ),
        fc.boolean(),
        async ([shape, order, dupOf, dupAt], duplicate) => {
          const t = await chainOf(shape);
          let layers = order.map((i) => t.layers[i]!);
          if (duplicate) layers = [...t.layers.slice(0, dupAt), t.layers[dupOf]!, ...t.layers.slice(dupAt)];
          fc.pre(layers.some((l, i) => l !== t.layers[i]));
          const err = await errorOf({ layers }, shape);
          expect(matchesStructure(err, expectedStructure(t.layers, layers)), JSON.stringify(err)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('splicing two valid chains fails at or after the splice', async () => {
    await fc.assert(
      fc.asyncProperty(shapes(2, 10), shapes(2, 10), fc.nat(), fc.nat(), async (sa, sb, i0, j0) => {
        const a = await chainOf(sa, 'a');
        const b = await chainOf(sb, 'b');
        const i = i0 % sa.fs.length;
        const j = 1 + (j0 % (sb.fs.length - 1));
        const layers = [...a.layers.slice(0, i + 1), ...b.layers.slice(j)];
        const err = await errorOf({ layers }, sa.fs.length >= sb.fs.length ? sa : sb);
        expect(matchesStructure(err, { from: i + 1 }), JSON.stringify(err)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('flipping any byte of either form is rejected with a typed error', async () => {
    const shapesUsed: Shape[] = [
      { fs: ['jwt', 'cbor', 'jwt'], algs: [] },
      { fs: ['cbor', 'cbor'], algs: [] },
      { fs: ['jwt'], algs: [] },
      { fs: ['jwt', 'cbor', 'jwt'], algs: ['ES256', 'Ed25519', 'ES256', 'ES256'] },
      { fs: ['cbor', 'jwt'], algs: ['ES256', 'ES256', 'Ed25519'] },
    ];
    const chains = await Promise.all(shapesUsed.map((shape) => chainOf(shape)));
    for (const [c, t] of chains.entries()) expect(await codeOf(t, shapesUsed[c]!)).toBe('VALID');
    await fc.assert(
      fc.asyncProperty(fc.nat(chains.length - 1), form, fc.nat(), fc.integer({ min: 1, max: 255 }), async (c, f, pos, delta) => {
        const t = chains[c]!;
        const bytes = f === 'jwt' ? new TextEncoder().encode(encodeTokenText(t)) : encodeTokenBinary(t);
        const flipped = Uint8Array.from(bytes);
        const at = pos % bytes.length;
        flipped[at] = (flipped[at]! + delta) & 0xff;
        const input = f === 'jwt' ? new TextDecoder('latin1').decode(flipped) : flipped;
        const code = await codeOf(input, shapesUsed[c]!);
        expect(code).not.toBe('VALID');
      }),
      { numRuns: 400 },
    );
  });

  it('re-encoding any layer into the other format without re-signing is ERR_FORMAT_CHANGED', async () => {
    await fc.assert(
      fc.asyncProperty(shapes(1, 12).chain((s) => fc.tuple(fc.constant(s), fc.nat(s.fs.length - 1))), form, async ([shape, j], f) => {
        const t = await chainOf(shape);
        const layers = t.layers.map((l, i) => (i === j ? transcode(l, t.layers[i - 1]) : l));
        const err = await verify(wire({ layers }, f), { allowAnyAudience: true, trust, now: NOW }).catch((e: NestokenError) => e);
        expect(err).toBeInstanceOf(NestokenError);
        expect((err as NestokenError).code).toBe('ERR_FORMAT_CHANGED');
        expect((err as NestokenError).layer).toBe(j);
      }),
      { numRuns: 40 },
    );
  });

  it('converting the container keeps every layer and verifies', async () => {
    await fc.assert(
      fc.asyncProperty(shapes(1, 8), async (shape) => {
        const t = await chainOf(shape);
        const viaText = await verify(encodeTokenText(t), { allowAnyAudience: true, trust, now: NOW });
        const viaBinary = await verify(encodeTokenBinary(t), { allowAnyAudience: true, trust, now: NOW });
        expect(viaBinary.hops.map((h) => h.digest)).toEqual(viaText.hops.map((h) => h.digest));
      }),
      { numRuns: 20 },
    );
  });
});
