import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NestokenError, encodeToken, nobleGroup, seal, useGroupBackend, verify, type GroupBackend, type LayerFormat, type Token } from '../src/index.node.js';
import { createSodiumGroup, useSodiumGroup } from '../src/sodium.js';
import { group } from '../src/crypto/group.js';
import { ORDER, encodeScalar } from '../src/crypto/ristretto.js';
import { codecs } from '../src/encoding/token.js';
import { NOW, aggregateChain, counterRandom, keys, trust } from './fixtures.js';

let sodium: GroupBackend<Uint8Array>;
const noble = nobleGroup as GroupBackend;

beforeAll(async () => {
  sodium = await createSodiumGroup();
});
afterEach(() => useGroupBackend(nobleGroup));

async function under<T>(backend: GroupBackend, run: () => Promise<T> | T): Promise<T> {
  useGroupBackend(backend);
  try {
    return await run();
  } finally {
    useGroupBackend(nobleGroup);
  }
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const scalar = fc.bigInt({ min: 0n, max: ORDER - 1n });
/** Group elements reached from the base point, so both backends start from the same bytes. */
const element = scalar.map((s) => noble.encode(noble.baseMul(s)));
/** Bytes that are not a valid encoding: non-canonical field elements, negative or non-square s. */
const B = noble.encode(noble.baseMul(1n));
const invalidEncodings = [new Uint8Array(32).fill(0xff), B.map((b, i) => (i === 0 ? b ^ 1 : b)), B.map((b, i) => (i === 31 ? b | 0x80 : b))];

describe('libsodium group backend: the same group as noble, byte for byte', () => {
  it('decodes exactly what noble decodes, and to the same bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), element, fc.constantFrom(...invalidEncodings, new Uint8Array(32))), (bytes) => {
        const n = noble.decode(bytes);
        const s = sodium.decode(bytes);
        expect(s === undefined).toBe(n === undefined);
        if (n && s) {
          expect(hex(sodium.encode(s))).toBe(hex(noble.encode(n)));
          expect(sodium.isIdentity(s)).toBe(noble.isIdentity(n));
        }
      }),
      { numRuns: 300 },
    );
    for (const bad of invalidEncodings) expect(sodium.decode(bad)).toBeUndefined();
    expect(sodium.decode(new Uint8Array(31))).toBeUndefined();
  });

  it('base and variable-base multiplication, addition and sums agree, zero scalars and the identity included', () => {
    const zeroOr = (arb: fc.Arbitrary<bigint>) => fc.oneof(arb, fc.constantFrom(0n, 1n, 2n, ORDER - 1n));
    fc.assert(
      fc.property(fc.array(fc.tuple(element, zeroOr(scalar)), { minLength: 0, maxLength: 6 }), zeroOr(scalar), (terms, k) => {
        const points = terms.map(([p]) => p);
        const scalars = terms.map(([, s]) => s);
        const onBoth = (f: (g: GroupBackend) => object): void => {
          const bytes = (g: GroupBackend) => hex(g.encode(f(g)));
          expect(bytes(sodium as GroupBackend)).toBe(bytes(noble));
        };
        const dec = (g: GroupBackend, p: Uint8Array) => g.decode(p)!;
        onBoth((g) => g.baseMul(k));
        // noble's constant-time multiply takes 1 <= k < L only; signing never asks for less.
        if (k !== 0n) onBoth((g) => g.baseMulSecret(k));
        onBoth((g) => g.msm(points.map((p) => dec(g, p)), scalars));
        for (const p of [...points, new Uint8Array(32)]) {
          onBoth((g) => g.mul(dec(g, p), k));
          onBoth((g) => g.add(dec(g, p), g.baseMul(k)));
        }
        const sum = sodium.msm(points.map((p) => sodium.decode(p)!), scalars);
        expect(sodium.equals(sum, sodium.decode(noble.encode(noble.msm(points.map((p) => noble.decode(p)!), scalars)))!)).toBe(true);
        expect(sodium.equals(sodium.baseMul(k + 1n), sodium.baseMul(k))).toBe(false);
      }),
      { numRuns: 60 },
    );
    expect(sodium.isIdentity(sodium.mul(sodium.baseMul(5n), ORDER))).toBe(true);
    expect(() => sodium.msm([sodium.baseMul(1n)], [])).toThrow(NestokenError);
  });

  it('maps Ed25519 public keys as noble does', () => {
    for (const key of keys.slice(0, 8)) {
      expect(hex(sodium.encode(sodium.fromEd25519(key.publicKey.bytes)))).toBe(hex(noble.encode(noble.fromEd25519(key.publicKey.bytes))));
    }
  });

  it('useSodiumGroup installs it', async () => {
    await useSodiumGroup();
    expect(group().name).toBe('libsodium');
  });
});

const format = fc.constantFrom<LayerFormat>('jwt', 'cbor');
const shape = fc.array(fc.tuple(format, fc.boolean()), { minLength: 1, maxLength: 20 }).map((hops) => ({
  formats: hops.map(([f]) => f),
  identified: hops.map(([, id], i) => i > 0 && id),
}));

type Tamper =
  | { kind: 'none' | 'truncate' | 'seal' }
  | { kind: 'claim' | 'R'; at: number }
  | { kind: 'scalar'; value: bigint }
  | { kind: 'point'; at: number; bytes: Uint8Array };

const tamper: fc.Arbitrary<Tamper> = fc.oneof(
  fc.constantFrom<Tamper>({ kind: 'none' }, { kind: 'truncate' }, { kind: 'seal' }),
  fc.record({ kind: fc.constantFrom<'claim' | 'R'>('claim', 'R'), at: fc.nat() }),
  fc.record({ kind: fc.constant<'scalar'>('scalar'), value: fc.bigInt({ min: 1n, max: ORDER - 1n }) }),
  fc.record({
    kind: fc.constant<'point'>('point'),
    at: fc.nat(),
    bytes: fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.constantFrom(...invalidEncodings, new Uint8Array(32))),
  }),
);

function apply(t: Token, change: Tamper): Token {
  const n = t.layers.length;
  const reencode = (at: number, f: (l: Token['layers'][number]) => Token['layers'][number]) => ({ layers: t.layers.map((l, i) => (i === at % n ? f(l) : l)), proof: t.proof! });
  switch (change.kind) {
    case 'none':
      return t;
    case 'seal':
      return seal(t, counterRandom('seal'));
    case 'truncate':
      return { layers: t.layers.slice(0, -1), proof: t.proof! };
    case 'scalar':
      return { layers: t.layers, proof: encodeScalar(change.value) };
    case 'claim':
      return reencode(change.at, (l) => codecs[l.format].encode(l.header, { ...l.claims, jti: `${l.claims.jti}-changed` }, l.signature));
    case 'R':
      // Another valid commitment: a well-formed point that is simply the wrong one.
      return reencode(change.at, (l) => codecs[l.format].encode(l.header, l.claims, noble.encode(noble.baseMul(BigInt(change.at) + 2n))));
    case 'point':
      return reencode(change.at, (l) => codecs[l.format].encode(l.header, l.claims, change.bytes));
  }
}

async function outcome(t: Token, backend: GroupBackend): Promise<string[]> {
  return under(backend, async () => {
    const codes: string[] = [];
    for (const aggregateVerifier of ['msm', 'sequential'] as const) {
      try {
        const path = await verify(encodeToken(t, 'cbor'), { allowAnyAudience: true, trust, now: NOW, aggregateVerifier });
        codes.push(`VALID ${JSON.stringify(path)}`);
      } catch (e) {
        if (!(e instanceof NestokenError)) throw e;
        codes.push(e.code);
      }
    }
    return codes;
  });
}

describe('libsodium group backend in the aggregate modes', () => {
  it('signs anonymous and hybrid chains to identical bytes given the same nonce stream', async () => {
    await fc.assert(
      fc.asyncProperty(shape, fc.string({ minLength: 1, maxLength: 8 }), async ({ formats, identified }, tag) => {
        const build = async () => {
          const t = await aggregateChain(formats, identified, tag);
          return [encodeToken(t, 'jwt'), hex(encodeToken(t, 'cbor') as Uint8Array), encodeToken(seal(t, counterRandom(tag)), 'jwt')];
        };
        const bySodium = await under(sodium as GroupBackend, build);
        expect(bySodium).toEqual(await under(noble, build));
      }),
      { numRuns: 30 },
    );
  });

  it('verifies valid and tampered chains exactly as noble does, with both verifiers', async () => {
    await fc.assert(
      fc.asyncProperty(shape, tamper, async ({ formats, identified }, change) => {
        const t = apply(await aggregateChain(formats, identified), change);
        const byNoble = await outcome(t, noble);
        expect(await outcome(t, sodium as GroupBackend)).toEqual(byNoble);
        expect(byNoble[0]).toBe(byNoble[1]);
        const valid = change.kind === 'none' || change.kind === 'seal';
        expect(byNoble[0]!.startsWith('VALID')).toBe(valid);
      }),
      { numRuns: 100 },
    );
  });
});
