import { createHash, createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { decode, Tagged } from 'cborg';
import fc from 'fast-check';
import { calculateJwkThumbprint, compactVerify, importJWK } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import {
  exportPrivateJwk,
  exportPublicJwk,
  extend,
  generateSigningKey,
  importPrivateJwk,
  importPublicJwk,
  issue,
  NestokenError,
  nodeBackend,
  portableBackend,
  publicKeyFromBytes,
  signingKeyFromSeed,
  useCryptoBackend,
  verify,
  type LayerFormat,
  type Token,
} from '../src/index.node.js';
import { isCanonicalEs256Signature, P256_ORDER } from '../src/crypto/algorithms.js';
import type { Layer, LayerHeader } from '../src/encoding/layer.js';
import { codecs, encodeTokenBinary, encodeTokenText } from '../src/encoding/token.js';
import { signAggregateLayer } from '../src/modes/aggregate.js';
import { secretScalar } from '../src/crypto/ristretto.js';
import { NOW, counterRandom, ecKeys, idChain, identity, keys, receiverOf, trust, wire } from './fixtures.js';

const n = P256_ORDER;
const be = (x: bigint, len = 32): Uint8Array => Uint8Array.from(Buffer.from(x.toString(16).padStart(len * 2, '0'), 'hex'));
const int = (b: Uint8Array): bigint => BigInt(`0x${Buffer.from(b).toString('hex') || '0'}`);
const rs = (r: bigint, s: bigint): Uint8Array => Uint8Array.from([...be(r), ...be(s)]);

async function codeOf(input: Token | string | Uint8Array, audience = receiverOf(1, ['ES256', 'ES256'])): Promise<string> {
  try {
    await verify(input, { trust, now: NOW, audience: audience.publicKey });
    return 'VALID';
  } catch (e) {
    if (!(e instanceof NestokenError)) throw e;
    return e.code;
  }
}

const resigned = (l: Layer, signature: Uint8Array, previous?: Layer): Layer => codecs[l.format].encode(l.header, l.claims, signature, previous?.header.alg);
const withLayer = (t: Token, i: number, l: Layer): Token => ({ layers: t.layers.map((x, j) => (j === i ? l : x)) });

afterEach(() => useCryptoBackend(nodeBackend));

describe('ES256 keys (spec §3.5)', () => {
  it('the RFC 7638 thumbprint of an EC key is what jose computes; JWKs round-trip', async () => {
    for (const key of ecKeys.slice(0, 8)) {
      const jwk = exportPublicJwk(key);
      expect(Object.keys(jwk)).toEqual(['kty', 'crv', 'x', 'y', 'kid']);
      expect(jwk.kid).toBe(await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y! }, 'sha256'));
      expect(importPublicJwk(jwk).kid).toBe(key.publicKey.kid);
      expect(importPrivateJwk(exportPrivateJwk(key)).publicKey.kid).toBe(key.publicKey.kid);
    }
    const fresh = generateSigningKey({ alg: 'ES256' });
    expect(fresh.publicKey.alg).toBe('ES256');
    expect(fresh.publicKey.bytes.length).toBe(65);
  });

  it('refuses points off the curve, non-canonical coordinates, other encodings and bad scalars', () => {
    const good = ecKeys[0]!.publicKey.bytes;
    const p = p256.Point.Fp.ORDER;
    const offCurve = Uint8Array.from(good);
    offCurve[64] = offCurve[64]! ^ 1;
    const xPlusP = Uint8Array.from(good);
    const x = int(good.subarray(1, 33));
    // x + p still fits 32 bytes only for x < 2^256 - p; otherwise use the coordinate p itself.
    xPlusP.set(be(x + p < 2n ** 256n ? x + p : p), 1);
    const compressed = p256.Point.fromBytes(good).toBytes(true);
    for (const bad of [offCurve, xPlusP, compressed, good.subarray(1), Uint8Array.of(0), new Uint8Array(65)]) {
      expect(() => publicKeyFromBytes(bad, 'ES256')).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
    }
    for (const d of [0n, n, n + 1n, 2n ** 256n - 1n]) {
      expect(() => signingKeyFromSeed(be(d), 'ES256')).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
    }
    const jwk = exportPrivateJwk(ecKeys[0]!);
    expect(() => importPrivateJwk({ ...jwk, y: exportPublicJwk(ecKeys[1]!).y })).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
    expect(() => importPublicJwk({ ...jwk, x: `${jwk.x}A` })).toThrow(NestokenError);
    expect(() => importPublicJwk({ kty: 'EC', crv: 'P-384', x: jwk.x, y: jwk.y })).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
  });
});

describe('ES256 signatures (spec §5.2)', () => {
  it('signing is RFC 6979 then low-S: the RFC 6979 A.2.5 example, normalised', () => {
    // RFC 6979 appendix A.2.5, P-256 with SHA-256, message "sample" (copied from the RFC's text).
    const key = signingKeyFromSeed(be(0xc9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721n), 'ES256');
    const r = 0xefd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716n;
    const s = 0xf7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8n;
    expect(s > n / 2n).toBe(true);
    for (const backend of [portableBackend, nodeBackend]) {
      const sig = backend.es256Sign(key.seed, new TextEncoder().encode('sample')) as Uint8Array;
      expect(Buffer.from(sig).toString('hex')).toBe(Buffer.from(rs(r, n - s)).toString('hex'));
    }
  });

  it('both backends sign identical bytes and reach the same verdict on honest, altered and foreign signatures', () => {
    fc.assert(
      fc.property(fc.nat(ecKeys.length - 1), fc.uint8Array({ maxLength: 200 }), fc.nat(63), (k, msg, at) => {
        const key = ecKeys[k]!;
        const a = portableBackend.es256Sign(key.seed, msg) as Uint8Array;
        const b = nodeBackend.es256Sign(key.seed, msg) as Uint8Array;
        expect(b).toEqual(a);
        expect(isCanonicalEs256Signature(a)).toBe(true);
        const flipped = Uint8Array.from(a);
        flipped[at] = flipped[at]! ^ 0x80;
        const other = ecKeys[(k + 1) % ecKeys.length]!.publicKey.bytes;
        for (const [pk, sig, expected] of [[key.publicKey.bytes, a, true], [other, a, false], [key.publicKey.bytes, flipped, undefined]] as const) {
          if (!isCanonicalEs256Signature(sig)) continue;
          const verdicts = [portableBackend, nodeBackend].map((be) => be.es256Verify(pk, msg, sig));
          expect(verdicts[1]).toBe(verdicts[0]);
          if (expected !== undefined) expect(verdicts[0]).toBe(expected);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('accepts exactly 64-byte r ‖ s with 1 ≤ r < n and 1 ≤ s ≤ n/2', () => {
    const half = n >> 1n;
    const edges = [0n, 1n, half, half + 1n, n - 1n, n, n + 1n, 2n ** 256n - 1n];
    for (const r of edges) for (const s of edges) expect(isCanonicalEs256Signature(rs(r, s))).toBe(r >= 1n && r < n && s >= 1n && s <= half);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (r, s) => {
        expect(isCanonicalEs256Signature(rs(r, s))).toBe(r >= 1n && r < n && s >= 1n && s <= half);
      }),
    );
    for (const len of [0, 63, 65, 70, 72]) expect(isCanonicalEs256Signature(new Uint8Array(len).fill(1))).toBe(false);
  });
});

describe('ES256 layers in ID mode', () => {
  const formats: LayerFormat[][] = [['jwt'], ['cbor'], ['jwt', 'cbor', 'jwt'], ['cbor', 'jwt', 'cbor']];

  it('mixed chains verify on both backends with identical bytes', async () => {
    for (const fs of formats) {
      const algs = fs.map((_, i) => (i % 2 === 0 ? 'ES256' : 'Ed25519') as const);
      useCryptoBackend(portableBackend);
      const a = await idChain(fs, 'mix', [...algs, 'ES256']);
      const viaPortable = await verify(encodeTokenBinary(a), { trust, now: NOW, audience: receiverOf(fs.length, [...algs, 'ES256']).publicKey });
      useCryptoBackend(nodeBackend);
      const b = await idChain(fs, 'mix', [...algs, 'ES256']);
      expect(encodeTokenText(b)).toBe(encodeTokenText(a));
      const viaNode = await verify(encodeTokenText(b), { trust, now: NOW, audience: receiverOf(fs.length, [...algs, 'ES256']).publicKey });
      expect(viaNode.hops).toEqual(viaPortable.hops);
      expect(viaNode.hops.map((h) => h.keyThumbprint)).toEqual(fs.map((_, i) => (algs[i] === 'ES256' ? ecKeys : keys)[i]!.publicKey.kid));
      // cnf.jkt names the next key by its RFC 7638 thumbprint, EC or OKP.
      expect(b.layers.map((l) => l.claims.cnf!.jkt)).toEqual(fs.map((_, i) => receiverOf(i + 1, [...algs, 'ES256']).publicKey.kid));
    }
  });

  it('a non-canonical signature fails with ERR_SIGNATURE_INVALID on both backends, though plain ECDSA accepts the high-S twin', async () => {
    for (const format of ['jwt', 'cbor'] as const) {
      const t = await idChain([format], `nc-${format}`, ['ES256', 'ES256']);
      const layer = t.layers[0]!;
      const r = int(layer.signature.subarray(0, 32));
      const s = int(layer.signature.subarray(32));
      const highS = rs(r, n - s);
      const spki = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: exportPublicJwk(ecKeys[0]!).x, y: exportPublicJwk(ecKeys[0]!).y! }, format: 'jwk' });
      expect(nodeVerify('sha256', layer.signingInput, { key: spki, dsaEncoding: 'ieee-p1363' }, highS)).toBe(true);
      const der = p256.Signature.fromBytes(layer.signature).toBytes('der');
      const bad: Record<string, Uint8Array> = {
        highS,
        r0: rs(0n, s),
        s0: rs(r, 0n),
        rN: rs(n, s),
        sN: rs(r, n),
        rPlusN: rs(r + n < 2n ** 256n ? r + n : n + 1n, s),
        short: layer.signature.subarray(0, 63),
        long: Uint8Array.from([0, ...layer.signature]),
        der,
      };
      for (const backend of [nodeBackend, portableBackend]) {
        useCryptoBackend(backend);
        expect(await codeOf(t)).toBe('VALID');
        for (const [name, sig] of Object.entries(bad)) {
          expect([name, await codeOf(withLayer(t, 0, resigned(layer, sig)))]).toEqual([name, 'ERR_SIGNATURE_INVALID']);
        }
      }
    }
  });

  it('the high-S twin of any ES256 layer of a mixed chain fails at that layer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom<LayerFormat>('jwt', 'cbor'), { minLength: 1, maxLength: 6 }), fc.nat(), async (fs, pick) => {
        const algs = [...fs.map((_, i) => (i % 2 === 0 ? 'ES256' : 'Ed25519') as const), 'ES256' as const];
        const t = await idChain(fs, 'twin', algs);
        const ec = t.layers.map((l, i) => [l, i] as const).filter(([l]) => l.header.alg === 'ES256');
        const [layer, i] = ec[pick % ec.length]!;
        const twin = rs(int(layer.signature.subarray(0, 32)), n - int(layer.signature.subarray(32)));
        // Later layers are dropped: they would fail first at the broken link to the changed bytes.
        const err = await verify({ layers: [...t.layers.slice(0, i), resigned(layer, twin, t.layers[i - 1])] }, { allowAnyAudience: true, trust, now: NOW }).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: 'ERR_SIGNATURE_INVALID', layer: i });
      }),
      { numRuns: 20 },
    );
  });

  it("a layer's alg must be its key's: ES256 over an Ed25519 key and the reverse are ERR_ALG_KEY_MISMATCH", async () => {
    for (const [header, key] of [
      [{ alg: 'ES256', kid: keys[0]!.publicKey.kid }, ecKeys[0]!],
      [{ alg: 'Ed25519', kid: ecKeys[0]!.publicKey.kid }, keys[0]!],
    ] as const) {
      const claims = { iss: identity(0), exp: NOW + 60, cnf: { jkt: keys[1]!.publicKey.kid } };
      const h: LayerHeader = header;
      const sig = await (key.publicKey.alg === 'ES256' ? nodeBackend.es256Sign : nodeBackend.ed25519Sign)(key.seed, codecs.jwt.signingInput(h, claims));
      const err = await verify({ layers: [codecs.jwt.encode(h, claims, sig)] }, { allowAnyAudience: true, trust, now: NOW }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'ERR_ALG_KEY_MISMATCH', layer: 0 });
    }
  });

  it('a verifier can allow Ed25519 only', async () => {
    const t = await idChain(['jwt', 'cbor'], 'only', ['Ed25519', 'ES256', 'Ed25519']);
    const err = await verify(t, { allowAnyAudience: true, trust, now: NOW, algorithms: ['Ed25519'] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_ALG_NOT_ALLOWED', layer: 1 });
  });

  it('jose verifies every ES256 JWT layer; cborg decodes every ES256 COSE layer strictly with alg -7', async () => {
    const t = await idChain(['jwt', 'cbor', 'jwt', 'cbor'], 'std', ['ES256', 'ES256', 'Ed25519', 'ES256', 'ES256']);
    const strict = { strict: true, rejectDuplicateMapKeys: true, useMaps: true, tags: Object.assign([], { 18: (d: () => unknown) => new Tagged(18, d()) }) };
    for (const [i, layer] of t.layers.entries()) {
      const key = (layer.header.alg === 'ES256' ? ecKeys : keys)[i]!;
      const previous = t.layers[i - 1];
      if (layer.format === 'jwt') {
        const jwk = await importJWK(exportPublicJwk(key), layer.header.alg);
        // The header a JOSE library checks is rebuilt from what was sent and what the position implies (spec §4.2).
        const [sentPart, payload, sig] = new TextDecoder().decode(layer.bytes).split('.');
        const sent = sentPart === '' ? {} : JSON.parse(Buffer.from(sentPart!, 'base64url').toString());
        const implied = previous ? { alg: previous.header.alg, kid: previous.claims.cnf!.jkt, prv: createHash('sha256').update(previous.bytes).digest('base64url') } : {};
        const full = { ...implied, ...sent, typ: 'nst+jwt' };
        const rebuilt = Buffer.from(JSON.stringify(Object.fromEntries(Object.entries(full).sort(([a], [b]) => (a < b ? -1 : 1))))).toString('base64url');
        const { protectedHeader } = await compactVerify(`${rebuilt}.${payload}.${sig}`, jwk, { algorithms: [layer.header.alg] });
        expect(protectedHeader.alg).toBe(layer.header.alg);
        // alg travels only where it changes.
        expect('alg' in sent).toBe(previous === undefined || previous.header.alg !== layer.header.alg);
      } else {
        const outer = decode(layer.bytes, strict as never) as Tagged;
        const [protectedBytes, , , signature] = outer.value as Uint8Array[];
        const sentAlg = protectedBytes!.length === 0 ? undefined : (decode(protectedBytes!, strict as never) as Map<number, unknown>).get(1);
        expect(sentAlg).toBe(previous?.header.alg === layer.header.alg ? undefined : layer.header.alg === 'ES256' ? -7 : -19);
        expect(signature!.length).toBe(64);
        if (layer.header.alg === 'ES256') {
          const spki = createPublicKey({ key: exportPublicJwk(key) as never, format: 'jwk' });
          expect(nodeVerify('sha256', layer.signingInput, { key: spki, dsaEncoding: 'ieee-p1363' }, signature!)).toBe(true);
        }
      }
    }
    // node:crypto's own (randomised) ES256 signature verifies too once it is in the canonical low-S form.
    const own = nodeSign('sha256', Buffer.from('x'), { key: createPrivateKey({ key: exportPrivateJwk(ecKeys[3]!) as never, format: 'jwk' }), dsaEncoding: 'ieee-p1363' });
    const [r, s] = [int(own.subarray(0, 32)), int(own.subarray(32))];
    const low = rs(r, s > n >> 1n ? n - s : s);
    expect(nodeBackend.es256Verify(ecKeys[3]!.publicKey.bytes, Buffer.from('x'), low)).toBe(true);
  });
});

describe('ES256 hops in the aggregate modes (spec §6.1): refused', () => {
  it('issue and extend refuse an ES256 key with ERR_ALG_KEY_MISMATCH', async () => {
    const random = counterRandom('agg');
    await expect(issue({ mode: 'anon', key: ecKeys[0]!, claims: { exp: NOW + 60 }, random })).rejects.toMatchObject({ code: 'ERR_ALG_KEY_MISMATCH' });
    await expect(issue({ mode: 'hybrid', key: ecKeys[0]!, claims: { exp: NOW + 60 }, random })).rejects.toMatchObject({ code: 'ERR_ALG_KEY_MISMATCH' });
    const anon = await issue({ mode: 'anon', key: keys[0]!, claims: { iss: identity(0), exp: NOW + 60 }, random });
    await expect(extend(anon, { key: ecKeys[1]!, random })).rejects.toMatchObject({ code: 'ERR_ALG_KEY_MISMATCH' });
  });

  it('an nst-r255 link naming an ES256 key fails at verification with ERR_ALG_KEY_MISMATCH; an ES256 layer in an aggregate chain is ERR_MODE_MIXED', async () => {
    const random = counterRandom('agg2');
    const anon = await issue({ mode: 'anon', key: keys[0]!, claims: { iss: identity(0), exp: NOW + 60 }, random });
    const prv = Buffer.from(await crypto.subtle.digest('SHA-256', anon.layers[0]!.bytes)).toString('base64url');
    const h: LayerHeader = { alg: 'nst-r255', kid: ecKeys[1]!.publicKey.kid, prv };
    // Signed with an Ed25519 scalar (the only kind there is); the kid names the P-256 key.
    const link = signAggregateLayer(codecs.cbor, h, { iss: identity(1) }, { own: secretScalar(keys[1]!) }, random(32));
    const forged: Token = { layers: [anon.layers[0]!, link.layer], proof: anon.proof! };
    await expect(verify(forged, { allowAnyAudience: true, trust, now: NOW })).rejects.toMatchObject({ code: 'ERR_ALG_KEY_MISMATCH', layer: 1 });
    const idLayer = (await idChain(['jwt'], 'x', ['ES256', 'ES256'])).layers[0]!;
    await expect(verify({ layers: [anon.layers[0]!, idLayer], proof: anon.proof! }, { allowAnyAudience: true, trust, now: NOW })).rejects.toMatchObject({ code: 'ERR_MODE_MIXED', layer: 1 });
    expect(() => secretScalar(ecKeys[1]!)).toThrow(expect.objectContaining({ code: 'ERR_ALG_KEY_MISMATCH' }));
  });
});

describe('layer algorithm names (spec §3.2): one name per algorithm', () => {
  it('EdDSA (JWT) and -8 (COSE) are not layer algorithms', async () => {
    const t = await idChain(['jwt'], 'name');
    const l = t.layers[0]!;
    const jwt = new TextDecoder().decode(l.bytes).split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: l.header.kid })).toString('base64url');
    expect(await codeOf(`${header}.${jwt[1]}.${jwt[2]}`, keys[1]!)).toBe('ERR_ALG_NOT_ALLOWED');
    const cose = codecs.cbor.encode(l.header, l.claims, l.signature);
    const bytes = Uint8Array.from(cose.bytes);
    // the root's protected header starts a2 01 32 (alg -19); -8 is 0x27.
    const at = Buffer.from(bytes).indexOf(Buffer.from([0xa2, 0x01, 0x32]));
    bytes[at + 2] = 0x27;
    expect(await codeOf(wire({ layers: [{ ...cose, bytes }] }, 'cbor'), keys[1]!)).toBe('ERR_ALG_NOT_ALLOWED');
  });
});
