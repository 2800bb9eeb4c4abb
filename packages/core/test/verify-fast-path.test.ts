import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, encodeToken, nodeBackend, NestokenError, portableBackend, useCryptoBackend, verify, webCryptoBackend, type CryptoBackend } from '../src/index.node.js';
import { forgetVerifiedSignatures, idLayerSignaturesValid } from '../src/modes/id.js';
import { b64uLength, ByteArena, checkB64u, fromB64u, readB64u, textOfB64u, writeB64u } from '../src/bytes.js';
import { decodeCbor } from '../src/encoding/cbor.js';
import { sha256, sha256Base64url } from '../src/crypto/hash.js';
import { encodeJsonObject } from '../src/encoding/json.js';
import { BoundedCache } from '../src/trust/bounded-cache.js';
import { decodeToken } from '../src/encoding/token.js';
import { jwtLayerCodec, signedJwtHeader } from '../src/encoding/layer-jwt.js';
import { idChain, NOW, receiverOf, trust } from './fixtures.js';

/** node:crypto with a count of the Ed25519 verifies it made. */
function countingBackend(): { backend: CryptoBackend; readonly calls: number; reset(): void } {
  let calls = 0;
  return {
    backend: {
      ...nodeBackend,
      ed25519Verify: (...a) => {
        calls++;
        return nodeBackend.ed25519Verify(...a);
      },
    },
    get calls() {
      return calls;
    },
    reset: () => void (calls = 0),
  };
}

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(NestokenError);
    return (e as NestokenError).code;
  }
  return undefined;
};

describe('the shortcuts of the verify path say what the long way says', () => {
  it('checking base64url text for a length agrees with decoding it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), fc.nat(70), (b, n) => {
        const text = Buffer.from(b).toString('base64url');
        expect(codeOf(() => checkB64u(text, 'x', n))).toBe(b.length === n ? undefined : 'ERR_BASE64');
        expect(codeOf(() => fromB64u(text, 'x', n))).toBe(b.length === n ? undefined : 'ERR_BASE64');
      }),
    );
    // Text that is not canonical fails the same way with or without decoding, a length or not.
    for (const bad of ['Zm9vYh', 'Zm9vYg==', 'Zm9v+g', 'Z', 'Zm9 v', 42 as unknown as string]) {
      expect(codeOf(() => checkB64u(bad, 'x'))).toBe('ERR_BASE64');
      expect(codeOf(() => checkB64u(bad, 'x', 4))).toBe('ERR_BASE64');
    }
  });

  it('base64url written and read in place agrees with the encoder, for every length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(8), (b, at) => {
        const text = Buffer.from(b).toString('base64url');
        const out = new Uint8Array(at + b64uLength(b.length));
        expect(writeB64u(b, b.length, out, at)).toBe(out.length);
        expect(new TextDecoder().decode(out.subarray(at))).toBe(text);
        const back = new Uint8Array(at + b.length);
        readB64u(text, back, at);
        expect(back.subarray(at)).toEqual(b);
      }),
    );
  });

  it('a digest in one native step equals SHA-256 then base64url, on every backend', () => {
    for (const backend of [nodeBackend, portableBackend]) {
      useCryptoBackend(backend);
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
          expect(sha256Base64url(b)).toBe(Buffer.from(sha256(b)).toString('base64url'));
        }),
        { numRuns: 50 },
      );
    }
    useCryptoBackend(nodeBackend);
  });

  it('decoded byte strings are the decoder’s own: changing the input afterwards changes nothing', () => {
    const input = Uint8Array.from([0x82, 0x43, 1, 2, 3, 0x42, 4, 5]);
    const decoded = decodeCbor(input, 'x', 4) as Uint8Array[];
    input.fill(0xff);
    expect(decoded).toEqual([Uint8Array.from([1, 2, 3]), Uint8Array.from([4, 5])]);
    // A view into a larger array reads from its own offset.
    expect(decodeCbor(Uint8Array.from([0xff, 0x63, 0x61, 0x62, 0x63]).subarray(1), 'y', 1)).toBe('abc');
    // A nested decode of a decoded byte string (a layer inside a token) reads exactly that string.
    const inner = decodeCbor(Uint8Array.from([0x82, 0x44, 0x83, 0x01, 0x02, 0x03, 0x00]), 'outer', 4) as [Uint8Array, number];
    expect(decodeCbor(inner[0], 'inner', 4)).toEqual([1, 2, 3]);
  });

  it('the nesting bound counts containers that hold something, and tags', () => {
    // [[[]]] opens two levels that hold something; the innermost empty array opens none.
    expect(decodeCbor(Uint8Array.from([0x81, 0x81, 0x80]), 'x', 2)).toEqual([[[]]]);
    expect(codeOf(() => decodeCbor(Uint8Array.from([0x81, 0x81, 0x81, 0x00]), 'x', 2))).toBe('ERR_LIMIT_EXCEEDED');
    expect(codeOf(() => decodeCbor(Uint8Array.from([0xd2, 0xd2, 0x00]), 'x', 1))).toBe('ERR_LIMIT_EXCEEDED');
  });

  it('foreign CBOR may order keys freely but never repeat one, byte-string keys included', () => {
    // {h'01': 1, h'01': 2}: a Map keeps byte strings by identity, so content decides here.
    expect(codeOf(() => decodeCbor(Uint8Array.from([0xa2, 0x41, 1, 1, 0x41, 1, 2]), 'x', 4, true))).toBe('ERR_DUPLICATE_KEY');
    expect(codeOf(() => decodeCbor(Uint8Array.from([0xa2, 0x02, 1, 0x01, 2]), 'x', 4, true))).toBe(undefined);
    expect(codeOf(() => decodeCbor(Uint8Array.from([0xa2, 0x02, 1, 0x01, 2]), 'x', 4))).toBe('ERR_NONCANONICAL');
    expect(codeOf(() => decodeCbor(Uint8Array.from([0xa2, 0x01, 1, 0x01, 2]), 'x', 4))).toBe('ERR_DUPLICATE_KEY');
  });

  it('trailing items are read for their own faults before the input is called malformed', () => {
    expect(codeOf(() => decodeCbor(Uint8Array.from([0x01, 0x02]), 'x', 4))).toBe('ERR_CBOR');
    // A trailing half-precision float that is not in its shortest form.
    expect(codeOf(() => decodeCbor(Uint8Array.from([0x01, 0xfa, 0x3f, 0x80, 0x00, 0x00]), 'x', 4))).toBe('ERR_NONCANONICAL');
  });

  it('valid layers are remembered by digest and key, checked once, and forgotten on request', async () => {
    const counter = countingBackend();
    const counting = counter.backend;
    for (const form of ['jwt', 'cbor'] as const) {
      const token = encodeToken(await idChain([form, form, form, form], `memory-${form}`), form);
      const options = { trust, now: NOW + 10, audience: receiverOf(4).publicKey };
      useCryptoBackend(counting);
      try {
        forgetVerifiedSignatures();
        counter.reset();
        await verify(token, options);
        expect(counter.calls).toBe(4);
        await verify(token, options);
        expect(counter.calls).toBe(4);
        forgetVerifiedSignatures();
        await verify(token, options);
        expect(counter.calls).toBe(8);
      } finally {
        useCryptoBackend(nodeBackend);
      }
    }
  });

  it('two layers whose digests share a memory slot are told apart by their full digests', async () => {
    // The memory is keyed by 30 bits of a layer's digest: digests that agree in their first five
    // characters take one slot. A hit must still be the same layer, and the newer entry wins.
    const counter = countingBackend();
    const counting = counter.backend;
    const a = (await idChain(['jwt'], 'slot-a')).layers;
    const b = (await idChain(['jwt'], 'slot-b')).layers;
    const keys = [trust.signers.get(a[0]!.header.kid!)!.key];
    const digestA = `AAAAA${sha256Base64url(a[0]!.bytes).slice(5)}`;
    const digestB = `AAAAA${sha256Base64url(b[0]!.bytes).slice(5)}`;
    forgetVerifiedSignatures();
    useCryptoBackend(counting);
    try {
      expect(await idLayerSignaturesValid(a, keys, [digestA])).toEqual([true]);
      expect(await idLayerSignaturesValid(b, keys, [digestB])).toEqual([true]);
      expect(counter.calls).toBe(2);
      // B displaced A: A is checked again, and B's entry never answers for A's layer.
      expect(await idLayerSignaturesValid(b, keys, [digestB])).toEqual([true]);
      expect(counter.calls).toBe(2);
      expect(await idLayerSignaturesValid(a, keys, [digestA])).toEqual([true]);
      expect(counter.calls).toBe(3);
    } finally {
      useCryptoBackend(nodeBackend);
    }
  });

  it('a bounded cache forgets an entry without bringing back an older value under its key', () => {
    const cache = new BoundedCache<string, number>(4);
    cache.set('k', 1);
    cache.set('a', 0);
    cache.set('b', 0); // the first generation (k, a) is now the older one
    cache.set('k', 2);
    expect(cache.get('k')).toBe(2);
    cache.delete('k', 1); // not the value held: nothing happens
    expect(cache.get('k')).toBe(2);
    cache.delete('k', 2);
    expect(cache.get('k')).toBeUndefined();
  });

  it('a remembered layer does not vouch for the same bytes after another layer (format 2 signs its place)', async () => {
    // Layer 1 of chain A, placed after the root of chain B: the same bytes and the same implied
    // kid (both roots hand the chain to key 1), but the signing input names B's root. Verifying A
    // and B first fills the memory; the splice must still be checked, and fail.
    for (const form of ['jwt', 'cbor'] as const) {
      const a = await idChain([form, form, form], `splice-a-${form}`);
      const b = await idChain([form, form, form], `splice-b-${form}`);
      const options = { trust, now: NOW + 10, audience: receiverOf(3).publicKey };
      forgetVerifiedSignatures();
      await verify(a, options);
      await verify(b, options);
      const spliced = { layers: [b.layers[0]!, ...a.layers.slice(1)] };
      let code: string | undefined;
      try {
        await verify(spliced, options);
      } catch (e) {
        expect(e).toBeInstanceOf(NestokenError);
        code = (e as NestokenError).code;
        expect((e as NestokenError).layer).toBe(1);
      }
      expect(code).toBe('ERR_SIGNATURE_INVALID');
    }
  });

  it('the signed JWT header is the canonical JSON of its members and typ, written in sorted order', () => {
    // Header members are digests and thumbprints: base64url text, which JSON writes unescaped.
    const text = fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{0,64}$/), { nil: undefined });
    fc.assert(
      fc.property(fc.constantFrom('Ed25519', 'ES256', 'nst-r255'), text, text, text, fc.boolean(), (alg, kid, prv, doc, use) => {
        const header = { alg, ...(kid !== undefined ? { kid } : {}), ...(prv !== undefined ? { prv } : {}), ...(doc !== undefined ? { doc } : {}) };
        const withUse = use ? { ...header, use: 'attestation' as const } : header;
        expect(signedJwtHeader(withUse)).toEqual(encodeJsonObject({ ...header, typ: 'nst+jwt' }));
      }),
    );
  });

  it('a full bounded cache drops its oldest entries first and never holds more than its bound', () => {
    for (const max of [1, 3, 64, 1000]) {
      const cache = new BoundedCache<number, number>(max);
      for (let i = 0; i < 5 * max + 7; i++) {
        cache.set(i, i);
        let held = 0;
        let oldest = -1;
        for (let k = 0; k <= i; k++) {
          if (cache.get(k) === undefined) continue;
          held++;
          if (oldest < 0) oldest = k;
        }
        expect(held).toBeLessThanOrEqual(max);
        // What is held is the newest run of keys, at least half the bound once full.
        expect(held).toBe(i + 1 - oldest);
        expect(held).toBeGreaterThanOrEqual(Math.min(i + 1, Math.max(1, max >> 1)));
      }
    }
  });

  it('a JWT layer read from the token text is the layer its bytes decode to, and fails the same way', async () => {
    const text = encodeToken(await idChain(['jwt', 'cbor', 'jwt', 'jwt'], 'text-bytes'), 'jwt');
    const parts = text.split('~');
    const { token } = decodeToken(text);
    token.layers.forEach((layer, i) => {
      if (layer.format !== 'jwt') return;
      expect(layer.bytes).toEqual(new TextEncoder().encode(parts[i]));
      expect(jwtLayerCodec.decode(layer.bytes, DEFAULT_LIMITS, token.layers[i - 1])).toEqual(layer);
    });
    // Characters that are not ASCII, anywhere in a JWT layer: one code whether the layer arrives as text or as bytes.
    for (const at of [1, parts[2]!.indexOf('.') + 3, parts[2]!.length - 2]) {
      for (const odd of ['é', '\u{1F600}', '\uD800']) {
        const part = parts[2]!.slice(0, at) + odd + parts[2]!.slice(at);
        const viaText = codeOf(() => decodeToken([...parts.slice(0, 2), part, parts[3]].join('~')));
        expect(viaText).toBe('ERR_BASE64');
        expect(codeOf(() => jwtLayerCodec.decode(new TextEncoder().encode(part), DEFAULT_LIMITS, token.layers[1]))).toBe(viaText);
      }
    }
  });

  it('a JWS part read through a binary string (atob) gives the text, the codes and the bytes the byte path gives', () => {
    const binary: CryptoBackend = {
      ...nodeBackend,
      name: 'node with binary strings',
      base64urlDecodeBinary: (text) => atob(text.replaceAll('-', '+').replaceAll('_', '/')),
    };
    const both = <T>(f: () => T): Array<T | string | undefined> =>
      [nodeBackend, binary].map((backend) => {
        useCryptoBackend(backend);
        try {
          return f();
        } catch (e) {
          return codeOf(() => {
            throw e;
          });
        } finally {
          useCryptoBackend(nodeBackend);
        }
      });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const [viaBytes, viaBinary] = both(() => textOfB64u(Buffer.from(bytes).toString('base64url')));
        expect(viaBinary).toEqual(viaBytes);
      }),
    );
    for (const text of ['é', '\u{1F600}', 'a\uFEFFb']) expect(both(() => textOfB64u(Buffer.from(text).toString('base64url')))).toEqual([text, text]);
    expect(both(() => textOfB64u(Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')))).toEqual(['ERR_MALFORMED', 'ERR_MALFORMED']);
  });

  it('a JWT layer read back has the signing input it was signed over: the header base64url-encoded in place agrees with the encoder', () => {
    // Root layers of every algorithm, with and without doc: header texts of every length modulo 3.
    const digest = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('base64url'));
    fc.assert(
      fc.property(fc.constantFrom('Ed25519', 'ES256', 'nst-r255'), digest, fc.option(digest, { nil: undefined }), fc.string({ maxLength: 40 }), (alg, kid, doc, op) => {
        const header = { alg, kid, ...(doc !== undefined ? { doc } : {}) } as const;
        const claims = { cnf: { jkt: kid }, op };
        const layer = jwtLayerCodec.encode(header, claims, new Uint8Array(alg === 'nst-r255' ? 32 : 64));
        const read = jwtLayerCodec.decode(layer.bytes, DEFAULT_LIMITS);
        expect(read.signingInput).toEqual(layer.signingInput);
        expect(new TextDecoder().decode(read.signingInput)).toBe(`${Buffer.from(signedJwtHeader(header)).toString('base64url')}.${new TextDecoder().decode(layer.bytes).split('.')[1]}`);
      }),
    );
  });

  it('an arena hands out zeroed arrays that never overlap', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(3000), { maxLength: 40 }), (requests) => {
        const arena = new ByteArena();
        const given: Uint8Array[] = [];
        for (const length of requests) {
          const out = arena.take(length);
          expect(out.length).toBe(length);
          expect(out.every((b) => b === 0)).toBe(true);
          out.fill(0xa5);
          given.push(out);
        }
        for (const a of given) for (const b of given) if (a !== b && a.buffer === b.buffer) expect(a.byteOffset + a.length <= b.byteOffset || b.byteOffset + b.length <= a.byteOffset).toBe(true);
      }),
    );
  });

  it('the arrays a token’s layers are read into hold that token only', async () => {
    for (const form of ['jwt', 'cbor'] as const) {
      const [a, b] = await Promise.all([idChain([form, form], `arena-a-${form}`), idChain([form, form], `arena-b-${form}`)]);
      const one = decodeToken(encodeToken(a, form)).token.layers;
      const other = decodeToken(encodeToken(b, form)).token.layers;
      for (const x of one) for (const y of other) expect(x.signingInput.buffer).not.toBe(y.signingInput.buffer);
    }
  });
});

