import { decode as cborgDecode, encode as cborgEncode, Tagged } from 'cborg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NestokenError, decodeToken, encodeToken, extend, issue, verify, DEFAULT_LIMITS, type Token } from '../src/index.node.js';
import { b64u, utf8 } from '../src/bytes.js';
import { cryptoBackend } from '../src/crypto/backend.js';
import { NOW, aggregateChain, identity, idChain, keys, transcode, trust } from './fixtures.js';

/**
 * Issue #12: one reading of the spec. Each case pins a rule an implementer in another
 * language needs (spec §3.3, §4.1.3, §4.2, §4.3, §4.4, §4.5, §7.4) to the code it must give.
 */

async function codeOf(input: string | Uint8Array | Token, options: { audience?: string } = {}): Promise<string> {
  try {
    await verify(input, { allowAnyAudience: true, trust, now: NOW, ...options });
    return 'VALID';
  } catch (e) {
    expect(e).toBeInstanceOf(NestokenError);
    return (e as NestokenError).code;
  }
}

const coseTags: never[] = [];
(coseTags as unknown as Record<number, (d: () => unknown) => unknown>)[18] = (d) => d();

/** A CBOR root layer signed by key 0 over the given protected header and payload bytes (a root signs its implied typ as external AAD, spec §4.3): only the content is wrong. */
async function rawCoseLayer(protectedBytes: Uint8Array, payload: Uint8Array): Promise<Uint8Array> {
  const toSign = cborgEncode(['Signature1', protectedBytes, cborgEncode(new Map([[16, 'application/nst+cwt']])), payload]);
  const signature = await cryptoBackend().ed25519Sign(keys[0]!.seed, toSign);
  return cborgEncode(new Tagged(18, [protectedBytes, new Map(), payload, signature]));
}

/** The protected header of a genuine root CBOR layer by key 0. */
async function genuineProtected(): Promise<Uint8Array> {
  const t = await idChain(['cbor']);
  return (cborgDecode(t.layers[0]!.bytes, { tags: coseTags, useMaps: true }) as [Uint8Array])[0];
}

const jkt = (i: number): Uint8Array => Buffer.from(keys[i]!.publicKey.kid, 'base64url');
const oneLayerToken = (layer: Uint8Array): Uint8Array => cborgEncode(new Tagged(0x7b2d0002, [[], [layer]]));

/** Claims map of a valid root, with `data` written by the caller as raw CBOR bytes. */
function payloadWithData(dataItem: Uint8Array): Uint8Array {
  // Keys in bytewise order: 4 (exp), 8 (cnf), then the text key "data".
  const head = cborgEncode(new Map<unknown, unknown>([[4, NOW + 60], [8, new Map([['jkt', jkt(1)]])]]));
  return Uint8Array.from([head[0]! + 1, ...head.subarray(1), ...cborgEncode('data'), ...dataItem]);
}

describe('form detection and white space (spec §4.1.3)', () => {
  it('text input: white space is removed first, then the form is detected', async () => {
    const t = await idChain(['cbor', 'jwt']);
    const text = Buffer.from(encodeToken(t, 'cbor')).toString('base64url');
    for (const padded of [` \t${text}\n`, `\uFEFF${text}`, `\u00a0${text}\u3000`]) expect(await codeOf(padded)).toBe('VALID');
    expect(decodeToken(` ${text}`, DEFAULT_LIMITS).form).toBe('cbor');
  });
  it('binary input: the form is detected on the bytes as given', async () => {
    const t = await idChain(['cbor']);
    const padded = Uint8Array.from([0x20, ...encodeToken(t, 'cbor')]);
    expect(await codeOf(padded)).toBe('ERR_MALFORMED');
  });
});

describe('text in CBOR is read exactly (spec §4.4.1)', () => {
  it('ill-formed UTF-8 in a claim is ERR_NONCANONICAL', async () => {
    const bad = Uint8Array.from([0x62, 0xc3, 0x28]); // text(2) holding an ill-formed sequence
    expect(await codeOf(oneLayerToken(await rawCoseLayer(await genuineProtected(), payloadWithData(bad))))).toBe('ERR_NONCANONICAL');
    const good = cborgEncode('ok');
    expect(await codeOf(oneLayerToken(await rawCoseLayer(await genuineProtected(), payloadWithData(good))))).toBe('VALID');
  });
  it('ill-formed UTF-8 in a text entry of the container is ERR_NONCANONICAL', async () => {
    const t = await idChain(['jwt']);
    const bytes = encodeToken(t, 'cbor');
    const at = bytes.indexOf(0x65); // the first 'e' of "eyJ"
    const bad = Uint8Array.from(bytes);
    bad[at] = 0xff;
    expect(await codeOf(bad)).toBe('ERR_NONCANONICAL');
  });
  it('a leading U+FEFF in CBOR text survives decoding, as in JSON', async () => {
    const item = cborgEncode('\uFEFFhello');
    expect(Array.from(item.subarray(1, 4))).toEqual([0xef, 0xbb, 0xbf]);
    expect(await codeOf(oneLayerToken(await rawCoseLayer(await genuineProtected(), payloadWithData(item))))).toBe('VALID');
  });
});

describe('claims of the wrong CBOR type are claims faults (spec §4.3)', () => {
  it.each([
    ['an integer', cborgEncode(5)],
    ['an array', cborgEncode([1])],
    ['a byte string', cborgEncode(new Uint8Array(32))],
    ['a map with another member', cborgEncode(new Map([['kid', new Uint8Array(32)]]))],
  ])('cnf as %s is ERR_CLAIMS_INVALID', async (_name, cnf) => {
    const head = cborgEncode(new Map<unknown, unknown>([[4, NOW + 60]]));
    const payload = Uint8Array.from([head[0]! + 1, ...head.subarray(1), 0x08, ...cnf]);
    expect(await codeOf(oneLayerToken(await rawCoseLayer(await genuineProtected(), payload)))).toBe('ERR_CLAIMS_INVALID');
  });
});

describe('one input with several faults gets one code in either format (spec §4.2, §4.3)', () => {
  it('crit is checked before typ in both layer formats', async () => {
    const kid = keys[0]!.publicKey.kid;
    const header = `{"alg":"Ed25519","crit":["exp"],"kid":"${kid}","typ":"JWT"}`;
    const claims = `{"cnf":{"jkt":"${keys[1]!.publicKey.kid}"},"exp":${NOW + 60}}`;
    const input = `${b64u(utf8(header))}.${b64u(utf8(claims))}`;
    const jws = `${input}.${b64u(await cryptoBackend().ed25519Sign(keys[0]!.seed, utf8(input)))}`;
    expect(await codeOf(jws)).toBe('ERR_CRIT_UNSUPPORTED');
    const protectedBytes = cborgEncode(new Map<unknown, unknown>([[1, -19], [2, [4]], [4, jkt(0)], [16, 'application/cwt']]));
    const payload = cborgEncode(new Map<unknown, unknown>([[4, NOW + 60], [8, new Map([['jkt', jkt(1)]])]]));
    expect(await codeOf(oneLayerToken(await rawCoseLayer(protectedBytes, payload)))).toBe('ERR_CRIT_UNSUPPORTED');
  });
});

describe('the claims walk: the code does not depend on the order of the walk (spec §3.3)', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  async function jwsCode(claimsText: string): Promise<string> {
    const kid = keys[0]!.publicKey.kid;
    // A root sends alg and kid and signs them with its implied typ (spec §4.2).
    const sent = `${b64u(utf8(`{"alg":"Ed25519","kid":"${kid}"}`))}.${b64u(utf8(claimsText))}`;
    const signed = `${b64u(utf8(`{"alg":"Ed25519","kid":"${kid}","typ":"nst+jwt"}`))}.${b64u(utf8(claimsText))}`;
    return codeOf(`${sent}.${b64u(await cryptoBackend().ed25519Sign(keys[0]!.seed, utf8(signed)))}`);
  }
  const cnf = `"cnf":{"jkt":"${keys[1]!.publicKey.kid}"},"exp":${NOW + 60}`;
  it('a bound exceeded anywhere wins over a value outside the model, before or after it', async () => {
    const tooDeep = deep(DEFAULT_LIMITS.maxClaimDepth + 1);
    expect(await jwsCode(`{"a":"\\ud800",${cnf},"z":${tooDeep}}`)).toBe('ERR_LIMIT_EXCEEDED');
    expect(await jwsCode(`{"a":${tooDeep},${cnf},"z":"\\ud800"}`)).toBe('ERR_LIMIT_EXCEEDED');
    expect(await jwsCode(`{"a":${tooDeep},${cnf},"z":9007199254740993}`)).toBe('ERR_LIMIT_EXCEEDED');
    expect(await jwsCode(`{"a":"\\ud800",${cnf},"z":1}`)).toBe('ERR_CLAIMS_INVALID');
  });
  it('the walk comes before the named claims, in both layer formats', async () => {
    const long = 'x'.repeat(DEFAULT_LIMITS.maxStringLength + 1);
    expect(await jwsCode(`{${cnf},"iss":"","z":"${long}"}`)).toBe('ERR_LIMIT_EXCEEDED');
    const payload = cborgEncode(new Map<unknown, unknown>([[1, ''], [4, NOW + 60], [8, new Map([['jkt', jkt(1)]])], ['z', long]]));
    expect(await codeOf(oneLayerToken(await rawCoseLayer(await genuineProtected(), payload)))).toBe('ERR_LIMIT_EXCEEDED');
  });
  it('an integer beyond 2^53 is a value outside the model, read exactly: ERR_CLAIMS_INVALID, not ERR_NONCANONICAL', async () => {
    for (const n of ['9007199254740992', '9007199254740993', '-9007199254740993', '18446744073709551616']) {
      expect(await jwsCode(`{${cnf},"z":${n}}`)).toBe('ERR_CLAIMS_INVALID');
    }
    expect(await jwsCode(`{${cnf},"z":9007199254740991}`)).toBe('VALID');
  });
});

describe('an anonymous link names no identity (spec §7.4)', () => {
  /** An anonymous link added by hand around extend's check, signed correctly: only the claims are wrong. */
  async function anonymousWith(claims: Record<string, string>): Promise<Token> {
    const base = await aggregateChain(['jwt'], [false], 'anon-iss');
    return extend(base, { claims: { jti: 'x' } }).then(async () => {
      const { signAggregateLayer } = await import('../src/modes/aggregate.js');
      const { decodeScalar } = await import('../src/crypto/ristretto.js');
      const { codecs } = await import('../src/encoding/token.js');
      const { sha256 } = await import('../src/crypto/hash.js');
      const { encodeScalar } = await import('../src/crypto/ristretto.js');
      const prv = b64u(sha256(base.layers[0]!.bytes));
      const link = signAggregateLayer(codecs.cbor, { alg: 'nst-r255', prv }, claims, { previous: decodeScalar(base.proof!, 's') }, new Uint8Array(32).fill(7));
      return { layers: [...base.layers, link.layer], proof: encodeScalar(link.scalar) };
    });
  }
  it('iss on an anonymous layer is ERR_ISSUER_MISMATCH, sub is ERR_CLAIMS_INVALID; neither reaches the path', async () => {
    expect(await codeOf(await anonymousWith({ jti: 'x' }))).toBe('VALID');
    expect(await codeOf(await anonymousWith({ iss: identity(1) }))).toBe('ERR_ISSUER_MISMATCH');
    expect(await codeOf(await anonymousWith({ iss: identity(1), sub: 'alice' }))).toBe('ERR_ISSUER_MISMATCH');
    expect(await codeOf(await anonymousWith({ sub: 'alice' }))).toBe('ERR_CLAIMS_INVALID');
  });
  it('extend refuses them up front with the same codes', async () => {
    const base = await aggregateChain(['jwt'], [false], 'anon-ext');
    await expect(extend(base, { claims: { iss: identity(1) } })).rejects.toMatchObject({ code: 'ERR_ISSUER_MISMATCH' });
    await expect(extend(base, { claims: { sub: 'alice' } })).rejects.toMatchObject({ code: 'ERR_CLAIMS_INVALID' });
    await expect(extend(base, { key: keys[1]!, claims: { iss: identity(1), sub: 'alice' } })).resolves.toBeDefined();
  });
});

describe('a sealed chain whose last layer was re-encoded (spec §4.5)', () => {
  it.each(['jwt', 'cbor'] as const)('reports ERR_FORMAT_CHANGED at the last layer (%s)', async (format) => {
    const { seal } = await import('../src/index.node.js');
    const open = await aggregateChain(['jwt', format], [false, true], `seal-${format}`);
    const sealed = seal(open, () => new Uint8Array(32).fill(3));
    expect(await codeOf(sealed)).toBe('VALID');
    const layers = [...sealed.layers];
    layers[1] = transcode(layers[1]!);
    await expect(verify({ layers, proof: sealed.proof! }, { allowAnyAudience: true, trust, now: NOW })).rejects.toMatchObject({ code: 'ERR_FORMAT_CHANGED', layer: 1 });
    const openLayers = [...open.layers];
    openLayers[1] = transcode(openLayers[1]!);
    await expect(verify({ layers: openLayers, proof: open.proof! }, { allowAnyAudience: true, trust, now: NOW })).rejects.toMatchObject({ code: 'ERR_FORMAT_CHANGED', layer: 1 });
  });
});

describe('what the builders accept, the decoders read back (arbitrary Unicode)', () => {
  /** Any UTF-16 code unit sequence: lone surrogates and U+FEFF included. */
  const anyText = fc.array(fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constant(0xfeff), fc.constant(0xd800)), { maxLength: 12 }).map((units) => String.fromCharCode(...units));
  it('claim text round-trips through issue, both forms, decode and verify; ill-formed text is refused at issue', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, anyText, fc.constantFrom('jwt' as const, 'cbor' as const), async (text, key, format) => {
        const claims = { exp: NOW + 60, sub: `s${text}`, data: { [`k${key}`]: text, list: [text] } };
        let token: Token;
        try {
          token = await issue({ key: keys[0]!, audienceKey: keys[1]!.publicKey, format, claims });
        } catch (e) {
          // The one rule for lone surrogates (spec §3.3): not in the data model, refused by name.
          expect(text.isWellFormed() && key.isWellFormed()).toBe(false);
          expect(e).toMatchObject({ code: 'ERR_CLAIMS_INVALID' });
          return;
        }
        expect(text.isWellFormed() && key.isWellFormed()).toBe(true);
        for (const form of ['jwt', 'cbor'] as const) {
          const wire = encodeToken(token, form);
          expect(decodeToken(wire, DEFAULT_LIMITS).token.layers[0]!.claims).toEqual({ ...claims, cnf: { jkt: keys[1]!.publicKey.kid } });
          const path = await verify(wire, { trust, now: NOW, audience: keys[1]!.publicKey.kid });
          expect(path.hops[0]!.claims).toEqual(claims);
        }
      }),
      { numRuns: 150, seed: 12 },
    );
  });
});
