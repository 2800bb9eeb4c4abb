import fc from 'fast-check';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { NestokenError, nodeBackend, portableBackend, useCryptoBackend } from '../src/index.node.js';
import { fromB64u } from '../src/bytes.js';
import { checkEd25519Signature } from '../src/modes/id.js';
import { canonicalJson, checkJsonValue, parseCanonicalJsonObject } from '../src/encoding/json.js';
import { DEFAULT_LIMITS } from '../src/limits.js';

const L = ed25519.Point.Fn.ORDER;
const withS = (s: bigint): Uint8Array => {
  const sig = new Uint8Array(64);
  for (let i = 0; i < 32; i++) sig[32 + i] = Number((s >> BigInt(8 * i)) & 0xffn);
  return sig;
};

describe('boundary checks', () => {
  it('accepts S exactly when S < L', () => {
    for (const s of [0n, 1n, L - 1n, L, L + 1n, 2n ** 253n, 2n ** 256n - 1n]) expect(checkEd25519Signature(withS(s))).toBe(s < L);
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (s) => checkEd25519Signature(withS(s)) === s < L));
    expect(checkEd25519Signature(new Uint8Array(63))).toBe(false);
  });

  it('base64url decoding is strict and the same in both backends', () => {
    for (const backend of [portableBackend, nodeBackend]) {
      useCryptoBackend(backend);
      expect(fromB64u('Zm9vYg', 'x')).toEqual(new TextEncoder().encode('foob'));
      for (const bad of ['Zm9vYh', 'Zm9vYg==', 'Zm9v+g', 'Zm9v/g', 'Z', 'Zm9 v', 'Zm9v\n']) {
        expect(() => fromB64u(bad, 'x')).toThrow(NestokenError);
      }
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
          const text = Buffer.from(b).toString('base64url');
          expect(fromB64u(text, 'x')).toEqual(b);
        }),
      );
    }
    useCryptoBackend(nodeBackend);
  });

  it('canonical JSON parsing accepts exactly the canonical serialization', () => {
    const inModel = (v: unknown): boolean => {
      try {
        checkJsonValue(JSON.parse(JSON.stringify(v)), DEFAULT_LIMITS, 'x');
        return true;
      } catch {
        return false;
      }
    };
    const json = fc.jsonValue({ maxDepth: 4 }).filter((v) => typeof v === 'object' && v !== null && !Array.isArray(v) && inModel(v));
    fc.assert(
      fc.property(json, (v) => {
        const canonical = canonicalJson(v);
        const parsed = parseCanonicalJsonObject(canonical, 'x', DEFAULT_LIMITS);
        expect(canonicalJson(parsed)).toBe(canonical);
        const plain = JSON.stringify(v);
        if (plain !== canonical) expect(() => parseCanonicalJsonObject(plain, 'x', DEFAULT_LIMITS)).toThrow(NestokenError);
      }),
      { numRuns: 300 },
    );
    expect(parseCanonicalJsonObject('{"10":1,"9":2}', 'x', DEFAULT_LIMITS)).toEqual({ 9: 2, 10: 1 });
    expect(() => parseCanonicalJsonObject('{"9":2,"10":1}', 'x', DEFAULT_LIMITS)).toThrow(NestokenError);
  });
});

describe('Ed25519 backends agree on small-order components (spec §5.2)', () => {
  it('both reject a signature whose R carries a torsion point, and both accept honest ones', async () => {
    const { sha512 } = await import('@noble/hashes/sha2.js');
    const P = ed25519.Point;
    const { scalar: a, point: A } = ed25519.utils.getExtendedPublicKey(new Uint8Array(32).fill(7));
    const T = P.fromHex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a');
    expect(T.multiplyUnsafe(8n).is0() && !T.multiplyUnsafe(4n).is0()).toBe(true);
    const msg = new TextEncoder().encode('hello');
    const R = P.BASE.multiply(12345678901234567890n).add(T).toBytes();
    const h = sha512(Uint8Array.from([...R, ...A.toBytes(), ...msg]));
    let k = 0n;
    for (let i = 63; i >= 0; i--) k = (k << 8n) | BigInt(h[i]!);
    const S = (12345678901234567890n + (k % L) * a) % L;
    const sig = Uint8Array.from([...R, ...withS(S).subarray(32)]);
    for (const backend of [portableBackend, nodeBackend]) expect(backend.ed25519Verify(A.toBytes(), msg, sig)).toBe(false);
    const honest = ed25519.sign(msg, new Uint8Array(32).fill(7));
    for (const backend of [portableBackend, nodeBackend]) expect(backend.ed25519Verify(A.toBytes(), msg, honest)).toBe(true);
  });
});

describe('deterministic CBOR decoding (spec §4.4)', () => {
  it('accepts exactly the bytes that re-encode to themselves', async () => {
    const { encode } = await import('cborg');
    const { decodeCbor } = await import('../src/encoding/cbor.js');
    const key = fc.oneof(fc.integer({ min: -30, max: 300 }), fc.string({ maxLength: 4 }));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.string({ maxLength: 6 }),
        fc.boolean(),
        fc.constant(null),
        fc.uint8Array({ maxLength: 4 }),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map((entries) => new Map(entries)),
      ),
    }));
    fc.assert(
      fc.property(value, fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 3 }), fc.nat(3), (v, edits, drop) => {
        const canonical = encode(v);
        expect(encode(decodeCbor(canonical, 'x', 64))).toEqual(canonical);
        const mutated = Uint8Array.from(canonical);
        for (const [at, byte] of edits) if (mutated.length > 0) mutated[at % mutated.length] = byte;
        const input = drop > 0 && mutated.length > drop ? mutated.subarray(0, mutated.length - drop) : mutated;
        let decoded: unknown;
        try {
          decoded = decodeCbor(input, 'x', 64);
        } catch (e) {
          expect(e).toBeInstanceOf(NestokenError);
          return;
        }
        expect(encode(decoded)).toEqual(input);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('COSE Sig_structure (RFC 9052 §4.4)', () => {
  it('is built byte for byte as cborg encodes it, for every length class', async () => {
    const { encode } = await import('cborg');
    const { cborLayerCodec } = await import('../src/encoding/layer-cbor.js');
    for (const n of [0, 5, 23, 24, 255, 256, 65535, 65536]) {
      const data = { x: 'a'.repeat(n) };
      const input = cborLayerCodec.signingInput({ alg: 'Ed25519', kid: 'A'.repeat(43) }, { data });
      const header = encode(new Map<unknown, unknown>([[1, -19], [4, new Uint8Array(32)]]));
      const payload = encode(new Map([['data', new Map([['x', 'a'.repeat(n)]])]]));
      // What a root does not send, the constant typ, is signed as external AAD (spec §4.3).
      const aad = encode(new Map([[16, 'application/nst+cwt']]));
      expect(input).toEqual(encode(['Signature1', header, aad, payload]));
      // After an Ed25519 layer: nothing sent (h''), alg, kid, typ and prv implied.
      const later = cborLayerCodec.signingInput({ alg: 'Ed25519', kid: 'A'.repeat(43), prv: 'B'.repeat(42) + 'E' }, { data }, 'Ed25519');
      const impliedAad = encode(new Map<unknown, unknown>([[1, -19], [4, new Uint8Array(32)], [16, 'application/nst+cwt'], ['prv', new Uint8Array(Buffer.from('B'.repeat(42) + 'E', 'base64url'))]]));
      expect(Buffer.from(later).toString('hex')).toBe(Buffer.from(encode(['Signature1', new Uint8Array(0), impliedAad, payload])).toString('hex'));
    }
  });
});
