import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCanonical, encodeDagCbor } from '../src/codec.js';

describe('node text reads back as written (issue #12)', () => {
  it('a leading U+FEFF is kept, in values and in keys', () => {
    const node = { '\uFEFFkey': '\uFEFFvalue', list: ['\uFEFF', '\uFEFF\uFEFFtwo'] };
    expect(decodeCanonical(encodeDagCbor(node), 'node')).toEqual(node);
  });
  it('ill-formed UTF-8 in node text is ERR_NONCANONICAL', () => {
    const bytes = encodeDagCbor({ t: 'ab' });
    const bad = Uint8Array.from(bytes);
    bad[bad.length - 1] = 0xff;
    expect(() => decodeCanonical(bad, 'node')).toThrow(expect.objectContaining({ code: 'ERR_NONCANONICAL' }));
  });
  it('any well-formed text round-trips', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (key, value) => {
        const node = { [`\uFEFF${key}`]: value, v: `\uFEFF${value}` };
        expect(decodeCanonical(encodeDagCbor(node), 'node')).toEqual(node);
      }),
      { numRuns: 100, seed: 12 },
    );
  });
});
