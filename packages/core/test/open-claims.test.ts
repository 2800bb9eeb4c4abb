import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extend, issue, NestokenError, verify, type Claims, type JsonValue, type LayerFormat, type Token } from '../src/index.node.js';
import { codecs, decodeToken } from '../src/encoding/token.js';
import { DEFAULT_LIMITS } from '../src/limits.js';
import { decodeCbor, encodeCbor, Tagged, TAG_COSE_SIGN1 } from '../src/encoding/cbor.js';
import { fromB64u } from '../src/bytes.js';
import { keys, identity, NOW, receiverOf, transcode, trust, wire } from './fixtures.js';

/** Names the format gives a type or keeps (spec §3.3); everything else is an open claim. */
const DEFINED = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'cnf', 'scope', 'txn', 'tth', 'data']);
const openName = fc.oneof(
  fc.constantFrom('__proto__', 'toString', 'constructor', 'act', 'tctx', 'req_wl', 'hasOwnProperty', ''),
  fc.string({ maxLength: 12, unit: 'binary' }),
).filter((n) => !DEFINED.has(n) && !n.startsWith('nst_') && n.isWellFormed());

/** The data model of spec §3.3: safe integers, finite non -0 doubles, well-formed text. */
const { value: jsonValue } = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0) && (!Number.isInteger(d) || Number.isSafeInteger(d))),
    fc.string({ maxLength: 8, unit: 'binary' }).filter((s) => s.isWellFormed()),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(openName, tie('value'), { maxKeys: 3, noNullPrototype: true }),
  ),
}));
const openClaims = fc.dictionary(openName, jsonValue, { maxKeys: 4, noNullPrototype: true });
const hops = fc.array(fc.tuple(fc.constantFrom<LayerFormat>('jwt', 'cbor'), openClaims), { minLength: 1, maxLength: 4 });

async function chain(spec: ReadonlyArray<readonly [LayerFormat, Record<string, JsonValue>]>): Promise<Token> {
  const [[f0, c0]] = spec as [[LayerFormat, Record<string, JsonValue>]];
  let t = await issue({ key: keys[0]!, audienceKey: keys[1]!.publicKey, format: f0, claims: { ...c0, iss: identity(0), exp: NOW + 3600 } });
  for (let i = 1; i < spec.length; i++) {
    const [f, c] = spec[i]!;
    t = await extend(t, { key: keys[i]!, audienceKey: keys[i + 1]!.publicKey, format: f, claims: c as Claims });
  }
  return t;
}

describe('open claims (spec §3.3, §4.3)', () => {
  it('chains whose layers carry arbitrary open claims verify in JWT, CBOR and mixed formats and give the claims back', async () => {
    await fc.assert(
      fc.asyncProperty(hops, fc.constantFrom<'jwt' | 'cbor'>('jwt', 'cbor'), async (spec, form) => {
        const path = await verify(wire(await chain(spec), form), { trust, now: NOW, audience: receiverOf(spec.length).publicKey });
        path.hops.forEach((hop, i) => {
          for (const [name, value] of Object.entries(spec[i]![1])) {
            expect(Object.hasOwn(hop.claims, name)).toBe(true);
            // toEqual, not toStrictEqual: a claim object with its own `constructor` member (e.g. {constructor: {}})
            // makes toStrictEqual compare those members as types and fail on equal JSON.
            expect(hop.claims[name]).toEqual(value);
          }
        });
      }),
      { numRuns: 30 },
    );
  });

  it('a layer with open claims re-encoded to the other format is still detected', async () => {
    await fc.assert(
      fc.asyncProperty(hops.chain((s) => fc.tuple(fc.constant(s), fc.nat(s.length - 1))), async ([spec, at]) => {
        const t = await chain(spec);
        const layers = t.layers.map((l, i) => (i === at ? transcode(l, t.layers[i - 1]) : l));
        const err = await verify({ layers }, { trust, now: NOW, audience: receiverOf(spec.length).publicKey }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(NestokenError);
        expect((err as NestokenError).code).toBe('ERR_FORMAT_CHANGED');
        expect((err as NestokenError).layer).toBe(at);
      }),
      { numRuns: 25 },
    );
  });

  it('a registered claim travels under its CWT key, never under its text name', async () => {
    const t = await issue({ key: keys[0]!, audienceKey: keys[1]!.publicKey, format: 'cbor', claims: { exp: NOW + 60, scope: 'trade.stocks', txn: 't-1' } });
    const layer = t.layers[0]!;
    expect(layer.claims.scope).toBe('trade.stocks');
    const hex = Buffer.from(layer.bytes).toString('hex');
    expect(hex).toContain('096c74726164652e73746f636b73'); // 9: "trade.stocks"
    expect(hex).toContain('6374786e'); // "txn": no CWT key, so its text name
    // The same layer with "scope" as a text key: one spelling each, so the decoder refuses it.
    const [protectedBytes, , , signature] = (decodeCbor(layer.bytes, 'layer', 4) as Tagged).value as [Uint8Array, unknown, Uint8Array, Uint8Array];
    const payload = encodeCbor(new Map<unknown, unknown>([[4, NOW + 60], ['scope', 'trade.stocks'], ['txn', 't-1'], [8, new Map([['jkt', fromB64u(keys[1]!.publicKey.kid, 'kid')]])]]));
    const bytes = encodeCbor(new Tagged(TAG_COSE_SIGN1, [protectedBytes, new Map(), payload, signature]));
    expect(() => codecs.cbor.decode(bytes, DEFAULT_LIMITS)).toThrow(expect.objectContaining({ code: 'ERR_CLAIMS_INVALID' }));
  });

  it('reserved names and mistyped binding claims are refused when issuing', async () => {
    const base = { key: keys[0]!, audienceKey: keys[1]!.publicKey };
    await expect(issue({ ...base, claims: { exp: NOW + 60, nst_x: 1 } })).rejects.toMatchObject({ code: 'ERR_CLAIMS_INVALID' });
    await expect(issue({ ...base, claims: { exp: NOW + 60, scope: '' } })).rejects.toMatchObject({ code: 'ERR_CLAIMS_INVALID' });
    await expect(issue({ ...base, claims: { exp: NOW + 60, tth: 'not-a-digest' } })).rejects.toMatchObject({ code: 'ERR_BASE64' });
    expect(decodeToken(wire(await issue({ ...base, claims: { exp: NOW + 60, __proto__x: 1 } as Claims }), 'jwt'), DEFAULT_LIMITS).token.layers).toHaveLength(1);
  });
});
