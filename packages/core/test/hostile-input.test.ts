import { encode as cborgEncode, Tagged } from 'cborg';
import { describe, expect, it } from 'vitest';
import { NestokenError, decodeToken, encodeToken, verify, DEFAULT_LIMITS } from '../src/index.node.js';
import { b64u, utf8 } from '../src/bytes.js';
import { cryptoBackend } from '../src/crypto/backend.js';
import { NOW, idChain, keys, trust } from './fixtures.js';

/**
 * A JWS layer with arbitrary sent header and payload text, correctly signed over the header a
 * verifier rebuilds (the sent one with the implied typ, spec §4.2): only the content is wrong.
 */
async function rawJwsLayer(headerText: string, payloadText: string): Promise<string> {
  const signedHeader = headerText.endsWith('}') ? `${headerText.slice(0, -1)},"typ":"nst+jwt"}` : headerText;
  const sig = await cryptoBackend().ed25519Sign(keys[0]!.seed, utf8(`${b64u(utf8(signedHeader))}.${b64u(utf8(payloadText))}`));
  return `${b64u(utf8(headerText))}.${b64u(utf8(payloadText))}.${b64u(sig)}`;
}

const kid = keys[0]!.publicKey.kid;
const jkt = keys[1]!.publicKey.kid;
const goodHeader = `{"alg":"Ed25519","kid":"${kid}"}`;
const goodClaims = `{"cnf":{"jkt":"${jkt}"},"exp":${NOW + 60}}`;

async function codeOf(input: string | Uint8Array): Promise<string> {
  try {
    await verify(input, { allowAnyAudience: true, trust, now: NOW });
    return 'VALID';
  } catch (e) {
    expect(e).toBeInstanceOf(NestokenError);
    return (e as NestokenError).code;
  }
}

describe('hostile JWT layers', () => {
  it('accepts the hand-built control layer', async () => {
    expect(await codeOf(await rawJwsLayer(goodHeader, goodClaims))).toBe('VALID');
  });
  it.each([
    ['alg none', `{"alg":"none","kid":"${kid}"}`, goodClaims, 'ERR_ALG_NOT_ALLOWED'],
    ['alg EdDSA (not the fully specified name)', `{"alg":"EdDSA","kid":"${kid}"}`, goodClaims, 'ERR_ALG_NOT_ALLOWED'],
    ['alg HS256', `{"alg":"HS256","kid":"${kid}"}`, goodClaims, 'ERR_ALG_NOT_ALLOWED'],
    ['unknown critical header', `{"alg":"Ed25519","crit":["exp"],"kid":"${kid}"}`, goodClaims, 'ERR_CRIT_UNSUPPORTED'],
    ['unknown header', `{"alg":"Ed25519","kid":"${kid}","x5u":"https://evil"}`, goodClaims, 'ERR_HEADER_INVALID'],
    ['wrong typ', `{"alg":"Ed25519","kid":"${kid}","typ":"JWT"}`, goodClaims, 'ERR_HEADER_INVALID'],
    ['duplicate header member', `{"alg":"Ed25519","alg":"Ed25519","kid":"${kid}"}`, goodClaims, 'ERR_DUPLICATE_KEY'],
    ['duplicate claim', goodHeader, `{"cnf":{"jkt":"${jkt}"},"exp":${NOW + 60},"exp":${NOW + 99}}`, 'ERR_DUPLICATE_KEY'],
    ['unsorted members', `{"kid":"${kid}","alg":"Ed25519"}`, goodClaims, 'ERR_NONCANONICAL'],
    ['white space', goodHeader, `{"cnf":{"jkt":"${jkt}"}, "exp":${NOW + 60}}`, 'ERR_NONCANONICAL'],
    ['float time', goodHeader, `{"cnf":{"jkt":"${jkt}"},"exp":${NOW + 60}.5}`, 'ERR_CLAIMS_INVALID'],
    ['reserved claim name', goodHeader, `{"cnf":{"jkt":"${jkt}"},"exp":${NOW + 60},"nst_role":"admin"}`, 'ERR_CLAIMS_INVALID'],
    ['txn not text', goodHeader, `{"cnf":{"jkt":"${jkt}"},"exp":${NOW + 60},"txn":7}`, 'ERR_CLAIMS_INVALID'],
    ['tth not a digest', goodHeader, `{"cnf":{"jkt":"${jkt}"},"exp":${NOW + 60},"tth":"abc"}`, 'ERR_BASE64'],
    ['not JSON', goodHeader, `{"cnf":`, 'ERR_JSON'],
    ['missing cnf', goodHeader, `{"exp":${NOW + 60}}`, 'ERR_CLAIMS_INVALID'],
    ['big integer', goodHeader, `{"cnf":{"jkt":"${jkt}"},"data":9007199254740994,"exp":${NOW + 60}}`, 'ERR_CLAIMS_INVALID'],
    ['prv sent (it is implied, spec §4.6)', `{"alg":"Ed25519","kid":"${kid}","prv":"${jkt}"}`, goodClaims, 'ERR_HEADER_INVALID'],
    ['a first layer without kid extends a missing layer', `{"alg":"Ed25519"}`, goodClaims, 'ERR_CHAIN_TRUNCATED'],
    ['a format 1 layer (typ sent)', `{"alg":"Ed25519","kid":"${kid}","typ":"nst+jwt"}`, goodClaims, 'ERR_UNSUPPORTED_VERSION'],
    ['an identity document inline (format 1)', `{"alg":"Ed25519","kid":"${kid}","wit":"a.b.c"}`, goodClaims, 'ERR_HEADER_INVALID'],
  ])('%s', async (_name, header, claims, code) => {
    expect(await codeOf(await rawJwsLayer(header, claims))).toBe(code);
  });

  it('rejects padded or non-canonical base64url and extra parts', async () => {
    const good = await rawJwsLayer(goodHeader, goodClaims);
    expect(await codeOf(`${good}=`)).toBe('ERR_BASE64');
    expect(await codeOf(`${good}.x`)).toBe('ERR_MALFORMED');
    expect(await codeOf(good.replace('.', '..'))).toBe('ERR_MALFORMED');
  });

  it('bounds claim depth and item count before the claims are used', async () => {
    const deep = `${'['.repeat(40)}${']'.repeat(40)}`;
    expect(await codeOf(await rawJwsLayer(goodHeader, `{"cnf":{"jkt":"${jkt}"},"data":${deep},"exp":${NOW + 60}}`))).toBe('ERR_LIMIT_EXCEEDED');
    const wide = `[${Array.from({ length: 1100 }, () => '0').join(',')}]`;
    expect(await codeOf(await rawJwsLayer(goodHeader, `{"cnf":{"jkt":"${jkt}"},"data":${wide},"exp":${NOW + 60}}`))).toBe('ERR_LIMIT_EXCEEDED');
  });
});

describe('hostile containers and sizes', () => {
  it('refuses oversized input before decoding', async () => {
    expect(await codeOf('a'.repeat(DEFAULT_LIMITS.maxTokenBytes + 1))).toBe('ERR_INPUT_TOO_LARGE');
    expect(await codeOf(new Uint8Array(DEFAULT_LIMITS.maxTokenBytes + 1))).toBe('ERR_INPUT_TOO_LARGE');
  });
  it('bounds the hop count before splitting, in both forms alike', async () => {
    expect(await codeOf('x~'.repeat(DEFAULT_LIMITS.maxLayers + 1))).toBe('ERR_LIMIT_EXCEEDED');
    const t = await idChain(['jwt', 'jwt', 'cbor']);
    for (const form of ['jwt', 'cbor'] as const) {
      const w = encodeToken(t, form);
      await expect(verify(w, { allowAnyAudience: true, trust, now: NOW, limits: { maxLayers: 2 } })).rejects.toMatchObject({ code: 'ERR_LIMIT_EXCEEDED' });
      await expect(verify(w, { allowAnyAudience: true, trust, now: NOW, limits: { maxLayers: 3 } })).resolves.toBeDefined();
    }
  });
  it('refuses empty tokens', async () => {
    expect(await codeOf('')).toBe('ERR_CHAIN_TRUNCATED');
    expect(await codeOf(cborgEncode(new Tagged(0x7b2d0002, [[], []])))).toBe('ERR_CHAIN_TRUNCATED');
  });
  it('names a format 1 container (spec §4.1.3)', async () => {
    expect(await codeOf(cborgEncode(new Tagged(0x7b2d0001, [[]])))).toBe('ERR_UNSUPPORTED_VERSION');
  });
  it('turns a CBOR depth bomb into a typed error', async () => {
    const bomb = new Uint8Array(200_000).fill(0x81);
    bomb.set([0xda, 0x7b, 0x2d, 0x00, 0x02], 0);
    expect(await codeOf(bomb.subarray(0, DEFAULT_LIMITS.maxTokenBytes))).toBe('ERR_LIMIT_EXCEEDED');
  });
  it('rejects indefinite lengths, non-minimal integers and duplicate keys in the container', async () => {
    const t = await idChain(['cbor']);
    const good = encodeToken(t, 'cbor');
    expect(await codeOf(good)).toBe('VALID');
    const layer = t.layers[0]!.bytes;
    // Indefinite-length array of layers.
    const indefinite = Uint8Array.from([0xda, 0x7b, 0x2d, 0x00, 0x02, 0x82, 0x80, 0x9f, ...cborgEncode(layer), 0xff]);
    expect(await codeOf(indefinite)).toBe('ERR_NONCANONICAL');
    // The tag with a non-minimal array header (0x98 0x02 instead of 0x82).
    const longHeader = Uint8Array.from([0xda, 0x7b, 0x2d, 0x00, 0x02, 0x98, 0x02, 0x80, ...cborgEncode([layer])]);
    expect(await codeOf(longHeader)).toBe('ERR_NONCANONICAL');
  });
  it('rejects a COSE layer whose protected header repeats a label or is non-canonical', async () => {
    const t = await idChain(['cbor']);
    const bytes = t.layers[0]!.bytes;
    // Find the protected header (the first byte string) and rebuild the layer around a variant.
    const { decode } = await import('cborg');
    const tags: never[] = [];
    (tags as unknown as Record<number, (d: () => unknown) => unknown>)[18] = (d) => d();
    const [protectedBytes, , payload, sig] = decode(bytes, { tags, useMaps: true }) as [Uint8Array, Map<unknown, unknown>, Uint8Array, Uint8Array];
    const rebuild = (p: Uint8Array) => encodeToken({ layers: [{ ...t.layers[0]!, bytes: cborgEncode(new Tagged(18, [p, new Map(), payload, sig])) }] }, 'cbor');
    expect(await codeOf(rebuild(protectedBytes))).toBe('VALID');
    // Duplicate label: map header count + 1 and the alg entry repeated.
    const dup = Uint8Array.from([protectedBytes[0]! + 1, 0x01, 0x32, ...protectedBytes.subarray(1)]);
    expect(await codeOf(rebuild(dup))).toBe('ERR_DUPLICATE_KEY');
    // alg written as a two-byte negative integer.
    const idx = protectedBytes.indexOf(0x32);
    const wide = Uint8Array.from([...protectedBytes.subarray(0, idx), 0x38, 0x12, ...protectedBytes.subarray(idx + 1)]);
    expect(await codeOf(rebuild(wide))).toBe('ERR_NONCANONICAL');
  });
  it('never throws anything but NestokenError on random bytes', async () => {
    for (let i = 0; i < 300; i++) {
      const n = (i * 37) % 400;
      const bytes = crypto.getRandomValues(new Uint8Array(n));
      if (i % 2) bytes.set([0xda, 0x7b, 0x2d, 0x00, 0x02].slice(0, Math.min(5, n)), 0);
      expect(await codeOf(bytes)).not.toBe('VALID');
      expect(() => decodeToken(new TextDecoder().decode(bytes), DEFAULT_LIMITS)).toThrow(NestokenError);
    }
  });
});

describe('hostile API use (spec §2, §7.1)', () => {
  it('deep JSON claims are bounded before any recursive check', async () => {
    const deep = `${'['.repeat(6000)}${']'.repeat(6000)}`;
    expect(await codeOf(await rawJwsLayer(goodHeader, `{"cnf":{"jkt":"${jkt}"},"data":${deep},"exp":${NOW + 60}}`))).toBe('ERR_LIMIT_EXCEEDED');
  });
  it('misuse is ERR_USAGE, never a TypeError', async () => {
    const { extend, seal, createTrustBundle } = await import('../src/index.node.js');
    const t = await idChain(['jwt']);
    const usage = expect.objectContaining({ code: 'ERR_USAGE' });
    for (const call of [
      () => verify(null as never, { allowAnyAudience: true, trust, now: NOW }),
      () => verify({} as never, { allowAnyAudience: true, trust, now: NOW }),
      () => verify(t, { allowAnyAudience: true, trust: {} as never, now: NOW }),
      () => verify(t, null as never),
      () => verify(t, { trust, now: NOW, audience: 5 as never }),
      () => verify(t, { allowAnyAudience: true, trust, now: Number.NaN }),
      () => verify(t, { allowAnyAudience: true, trust, now: NOW, clockSkew: -1 }),
      () => extend(null as never, { key: keys[1]!, audienceKey: keys[2]!.publicKey }),
      () => extend({} as never, { key: keys[1]!, audienceKey: keys[2]!.publicKey }),
      async () => seal({} as never),
    ]) {
      await expect(Promise.resolve().then(call)).rejects.toEqual(usage);
    }
    expect(() => createTrustBundle({ signers: [{ identity: 'x', key: { bytes: new Uint8Array(32), thumbprint: new Uint8Array(32), kid: 'AAAA' } }] })).toThrow(
      expect.objectContaining({ code: 'ERR_TRUST_BUNDLE' }),
    );
    expect(() => createTrustBundle({ authorities: [{ alg: 'Ed25519', publicKey: new Uint8Array(32) }] })).toThrow(expect.objectContaining({ code: 'ERR_TRUST_BUNDLE' }));
  });
  it('short nonce randomness is refused', async () => {
    const { issue } = await import('../src/index.node.js');
    await expect(issue({ mode: 'anon', key: keys[0]!, claims: { exp: NOW + 60 }, random: () => new Uint8Array(8) })).rejects.toMatchObject({ code: 'ERR_USAGE' });
  });
  it('form detection ignores surrounding white space', async () => {
    const t = await idChain(['cbor']);
    const text = Buffer.from(encodeToken(t, 'cbor')).toString('base64url');
    expect(await codeOf(`  ${text}\n`)).toBe('VALID');
  });
});
