import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { decode, encode, Tagged } from 'cborg';
import fc from 'fast-check';
import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { decodeToken, DEFAULT_LIMITS, encodeToken, exportPublicJwk, extend, issue, verify, type JsonValue, type LayerFormat, type Token } from '../src/index.node.js';
import { aggregateChain, identity, keys, NOW, trust } from './fixtures.js';

/**
 * Independent tools read what core writes: `jose` verifies every JWT-form layer on its own,
 * `cborg` in strict mode decodes every CBOR structure and gives back the same bytes, and
 * node:crypto checks each COSE_Sign1 over a Sig_structure built here from RFC 9052, not by core.
 */
const TAG_COSE_SIGN1 = 18;
const TAG_NESTOKEN = 0x7b2d0002;
const tags: Record<number, (d: () => unknown) => unknown> = [] as never;
tags[TAG_COSE_SIGN1] = (d) => new Tagged(TAG_COSE_SIGN1, d());
tags[TAG_NESTOKEN] = (d) => new Tagged(TAG_NESTOKEN, d());
const STRICT = { strict: true, rejectDuplicateMapKeys: true, allowIndefinite: false, allowUndefined: false, useMaps: true, tags } as const;

/** Strict decode, then the same bytes back from a fresh encoding: the form is deterministic. */
function strictRoundTrip(bytes: Uint8Array): unknown {
  const value = decode(bytes, STRICT);
  expect(Buffer.from(encode(value)).equals(Buffer.from(bytes))).toBe(true);
  return value;
}

const CWT_NAMES = new Map<unknown, string>([[1, 'iss'], [2, 'sub'], [3, 'aud'], [4, 'exp'], [5, 'nbf'], [6, 'iat'], [7, 'jti'], [8, 'cnf']]);
const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

/** A CWT claims map in JSON terms, by RFC 8392's key numbers; byte strings as base64url. */
function cwtAsJson(map: Map<unknown, unknown>): Record<string, unknown> {
  const plain = (v: unknown): unknown =>
    v instanceof Map ? Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x)])) : Array.isArray(v) ? v.map(plain) : v instanceof Uint8Array ? b64u(v) : v;
  const out: Record<string, unknown> = {};
  for (const [k, v] of map) out[CWT_NAMES.get(k) ?? String(k)] = k === 7 ? Buffer.from(v as Uint8Array).toString('utf8') : plain(v);
  return out;
}

const publicJwkOf = (i: number) => ({ ...exportPublicJwk(keys[i]!) });

/**
 * What a layer after the root implies (spec §4.6), as a verifier of another implementation
 * would compute it from the layer before: its alg, the key it handed the token to, and the
 * SHA-256 of its exact bytes.
 */
interface Before {
  readonly alg: string;
  readonly cnfJkt: string;
  readonly bytes: Uint8Array;
}
const sha256b64u = (b: Uint8Array): string => createHash('sha256').update(b).digest('base64url');
const sortedJson = (o: Record<string, unknown>): string => JSON.stringify(Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1))));

/**
 * The JWS a standard library verifies (spec §4.2): the sent header with the implied members
 * and typ put back, serialised canonically, over the payload and signature as sent.
 */
function rebuiltJws(jws: string, before: Before | undefined): string {
  const [h, payload, signature] = jws.split('.');
  const sent = h === '' ? {} : (JSON.parse(Buffer.from(h!, 'base64url').toString('utf8')) as Record<string, unknown>);
  const implied = before ? { alg: before.alg, kid: before.cnfJkt, prv: sha256b64u(before.bytes) } : {};
  return `${Buffer.from(sortedJson({ ...implied, ...sent, typ: 'nst+jwt' })).toString('base64url')}.${payload}.${signature}`;
}

/** Checks one JWS layer with jose alone, signed by keys[signer]; returns its payload. */
async function joseVerifies(jws: string, signer: number, before: Before | undefined): Promise<Record<string, unknown>> {
  const jwk = publicJwkOf(signer);
  const key = await importJWK(jwk, 'Ed25519');
  const rebuilt = rebuiltJws(jws, before);
  const { protectedHeader, payload } = await compactVerify(rebuilt, key, { algorithms: ['Ed25519'] });
  expect(protectedHeader).toMatchObject({ alg: 'Ed25519', typ: 'nst+jwt', kid: await calculateJwkThumbprint(jwk, 'sha256') });
  if (before) expect(protectedHeader.prv).toBe(sha256b64u(before.bytes));
  // As a JWT too: the payload is a claims set jose accepts, at the chain's time.
  await jwtVerify(rebuilt, key, { algorithms: ['Ed25519'], typ: 'nst+jwt', currentDate: new Date(NOW * 1000) });
  // Another key must not do, nor another previous layer: the checks above have teeth.
  await expect(compactVerify(rebuilt, await importJWK(publicJwkOf(signer + 1), 'Ed25519'))).rejects.toThrow();
  if (before) await expect(compactVerify(rebuiltJws(jws, { ...before, bytes: Uint8Array.of(...before.bytes, 0) }), key)).rejects.toThrow();
  return JSON.parse(Buffer.from(payload).toString('utf8')) as Record<string, unknown>;
}

/**
 * Checks one COSE_Sign1 layer with cborg and node:crypto alone; returns its claims in JSON
 * terms. What the layer does not send it signs as external AAD (spec §4.3): the map of the
 * implied members (alg, kid after the root; typ; prv).
 */
async function coseVerifies(bytes: Uint8Array, signer: number, before: Before | undefined): Promise<Record<string, unknown>> {
  const outer = strictRoundTrip(bytes);
  expect(outer).toBeInstanceOf(Tagged);
  expect((outer as Tagged).tag).toBe(TAG_COSE_SIGN1);
  const [protectedBytes, unprotected, payload, signature] = (outer as Tagged).value as [Uint8Array, Map<unknown, unknown>, Uint8Array, Uint8Array];
  expect(unprotected).toEqual(new Map());
  const jwk = publicJwkOf(signer);
  const aad = new Map<unknown, unknown>();
  if (before) {
    // After the root an Ed25519 chain sends nothing: RFC 9052 §3 spells an empty header h''.
    expect(protectedBytes).toHaveLength(0);
    aad.set(1, -19).set(4, Buffer.from(before.cnfJkt, 'base64url')).set(16, 'application/nst+cwt').set('prv', createHash('sha256').update(before.bytes).digest());
  } else {
    const header = strictRoundTrip(protectedBytes) as Map<unknown, unknown>;
    expect(header.get(1)).toBe(-19);
    expect(b64u(header.get(4) as Uint8Array)).toBe(await calculateJwkThumbprint(jwk, 'sha256'));
    aad.set(16, 'application/nst+cwt');
  }
  const claims = strictRoundTrip(payload) as Map<unknown, unknown>;
  // RFC 9052 §4.4: Sig_structure = ["Signature1", body_protected, external_aad, payload].
  const sigStructure = encode(['Signature1', protectedBytes, encode(aad), payload]);
  const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
  expect(signature).toHaveLength(64);
  expect(nodeVerify(null, sigStructure, publicKey, signature)).toBe(true);
  expect(nodeVerify(null, sigStructure, createPublicKey({ key: publicJwkOf(signer + 1), format: 'jwk' }), signature)).toBe(false);
  expect(nodeVerify(null, encode(['Signature1', protectedBytes, new Uint8Array(0), payload]), publicKey, signature)).toBe(false);
  return cwtAsJson(claims);
}

/** The layer before layer i of a JWT-form token, as `Before`. */
function beforeOf(parts: readonly string[], fs: readonly LayerFormat[], i: number): Before | undefined {
  if (i === 0) return undefined;
  const bytes = fs[i - 1] === 'jwt' ? Buffer.from(parts[i - 1]!, 'ascii') : Buffer.from(parts[i - 1]!, 'base64url');
  return { alg: 'Ed25519', cnfJkt: keys[i]!.publicKey.kid, bytes: new Uint8Array(bytes) };
}

/** Claim data core accepts: I-JSON narrowed to what JSON and CBOR both say the same way. */
const jsonData: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0) && (!Number.isInteger(x) || Number.isSafeInteger(x))),
    fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => s.isWellFormed()),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }).filter((s) => s.isWellFormed()), tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value;

const formats = fc.array(fc.constantFrom<LayerFormat>('jwt', 'cbor'), { minLength: 1, maxLength: 8 });

async function chain(fs: readonly LayerFormat[], data: readonly JsonValue[]): Promise<Token> {
  let t = await issue({ key: keys[0]!, audienceKey: keys[1]!.publicKey, format: fs[0]!, claims: { iss: identity(0), sub: 'alice', exp: NOW + 600, iat: NOW, jti: 'root', data: data[0]! } });
  for (let i = 1; i < fs.length; i++) {
    t = await extend(t, { key: keys[i]!, audienceKey: keys[i + 1]!.publicKey, format: fs[i]!, claims: { iss: identity(i), data: data[i % data.length]! } });
  }
  return t;
}

/** What the payload must say for layer i of `chain`. */
const expectedClaims = (i: number, data: readonly JsonValue[]) => ({
  ...(i === 0 ? { sub: 'alice', exp: NOW + 600, iat: NOW, jti: 'root' } : {}),
  iss: identity(i),
  data: data[i % data.length],
  cnf: { jkt: keys[i + 1]!.publicKey.kid },
});

describe('interoperability of ID-mode chains', () => {
  it('every JWT-form layer verifies with jose; every CBOR layer and the container decode strictly and verify as COSE_Sign1', async () => {
    await fc.assert(
      fc.asyncProperty(formats, fc.array(jsonData, { minLength: 1, maxLength: 3 }), async (fs, data) => {
        const token = await chain(fs, data);

        // JWT form: JWS layers verbatim, COSE layers as base64url, joined by "~".
        const parts = encodeToken(token, 'jwt').split('~');
        expect(parts).toHaveLength(fs.length);
        for (const [i, part] of parts.entries()) {
          const before = beforeOf(parts, fs, i);
          const claims = fs[i] === 'jwt' ? await joseVerifies(part, i, before) : await coseVerifies(Buffer.from(part, 'base64url'), i, before);
          expect(claims).toEqual(expectedClaims(i, data));
        }

        // CBOR form: the container decodes strictly and round-trips; its layers are the same layers.
        const container = strictRoundTrip(encodeToken(token, 'cbor')) as Tagged;
        expect(container.tag).toBe(TAG_NESTOKEN);
        expect(container.value).toHaveLength(2);
        expect((container.value as unknown[][])[0]).toEqual([]);
        const layers = (container.value as unknown[][])[1]!;
        expect(layers).toHaveLength(fs.length);
        for (const [i, layer] of layers.entries()) {
          if (fs[i] === 'jwt') {
            expect(typeof layer).toBe('string');
            expect(layer).toBe(parts[i]);
            await joseVerifies(layer as string, i, beforeOf(parts, fs, i));
          } else {
            expect(layer).toBeInstanceOf(Uint8Array);
            expect(b64u(layer as Uint8Array)).toBe(parts[i]);
          }
        }

        // And core itself agrees, in both forms.
        for (const form of ['jwt', 'cbor'] as const) {
          expect((await verify(encodeToken(token, form), { allowAnyAudience: true, trust, now: NOW })).hops).toHaveLength(fs.length);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('the strict options have teeth: a duplicate key and a non-shortest integer are refused', () => {
    expect(() => decode(Uint8Array.from([0xa2, 0x01, 0x01, 0x01, 0x02]), STRICT)).toThrow(/repeat/i);
    expect(() => decode(Uint8Array.from([0x18, 0x05]), STRICT)).toThrow();
    expect(decode(Uint8Array.from([0x05]), STRICT)).toBe(5);
  });

  it('core reads back what the independent tools read', async () => {
    const token = await chain(['jwt', 'cbor', 'cbor', 'jwt'], [{ k: [1, 2.5, 'x'] }]);
    for (const form of ['jwt', 'cbor'] as const) {
      const decoded = decodeToken(encodeToken(token, form), DEFAULT_LIMITS).token;
      expect(decoded.layers.map((l) => l.claims)).toEqual([0, 1, 2, 3].map((i) => expectedClaims(i, [{ k: [1, 2.5, 'x'] }])));
    }
  });
});

describe('interoperability of aggregate chains', () => {
  it('CBOR layers and the container decode strictly; JWT layers are well-formed JWS that jose parses but does not accept', async () => {
    const fs: LayerFormat[] = ['cbor', 'jwt', 'cbor', 'jwt', 'cbor'];
    const token = await aggregateChain(fs, [false, false, true, false, true], 'interop');
    const parts = encodeToken(token, 'jwt').split('~');
    expect(parts).toHaveLength(fs.length + 1);
    for (const [i, format] of fs.entries()) {
      if (format === 'jwt') {
        // After the root, nst-r255 is implied; the rebuilt header names it and the key if the hop is identified.
        const sent = parts[i]!.split('.')[0]!;
        const rebuilt = `${Buffer.from(sortedJson({ alg: 'nst-r255', ...(sent === '' ? {} : JSON.parse(Buffer.from(sent, 'base64url').toString())), typ: 'nst+jwt' })).toString('base64url')}.${parts[i]!.split('.').slice(1).join('.')}`;
        expect(decodeProtectedHeader(rebuilt)).toMatchObject({ alg: 'nst-r255', typ: 'nst+jwt' });
        // A Schnorr link is not a standalone signature: a JOSE library must refuse it, not misread it.
        await expect(compactVerify(rebuilt, await importJWK(publicJwkOf(i), 'Ed25519'), { algorithms: ['Ed25519'] })).rejects.toThrow();
        continue;
      }
      const outer = strictRoundTrip(Buffer.from(parts[i]!, 'base64url')) as Tagged;
      expect(outer.tag).toBe(TAG_COSE_SIGN1);
      const [protectedBytes, unprotected, payload, commitment] = outer.value as [Uint8Array, Map<unknown, unknown>, Uint8Array, Uint8Array];
      expect(unprotected).toEqual(new Map());
      // The root sends nst-r255; a later anonymous link sends nothing (h''), an identified one its kid.
      if (i === 0) expect((strictRoundTrip(protectedBytes) as Map<unknown, unknown>).get(1)).toBe('nst-r255');
      else if (protectedBytes.length > 0) expect([...(strictRoundTrip(protectedBytes) as Map<unknown, unknown>).keys()]).toEqual([4]);
      strictRoundTrip(payload);
      expect(commitment).toHaveLength(32);
    }
    const container = strictRoundTrip(encodeToken(token, 'cbor')) as Tagged;
    const [documents, layers, proof] = container.value as [unknown[], unknown[], Uint8Array];
    expect(documents).toEqual([]);
    expect(layers).toHaveLength(fs.length);
    expect(proof).toHaveLength(32);
    expect(b64u(proof)).toBe(parts[fs.length]);
  });
});
