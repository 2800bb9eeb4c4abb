import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeToken, documentDigest, encodeToken, extend, holdsDocument, isNestokenError, loadSpiffeBundle, mergeTrustBundles, verify, x509Roots, verifyX509Svid, type ErrorCode, type LayerFormat, type Token } from '../src/index.node.js';
import { b64Std } from '../src/bytes.js';
import { encodeCbor, decodeCbor, ENVELOPE_DEPTH } from '../src/encoding/cbor.js';
import { codecs } from '../src/encoding/token.js';
import { DEFAULT_LIMITS as DEFAULTS } from '../src/limits.js';
import { signIdLayer } from '../src/modes/id.js';
import { parseSpiffeId } from '../src/trust/spiffe-id.js';
import { certificateFacts } from '../src/trust/x509-certificate.js';
import { KEY_USAGE, p256CaKeys, rsaCaKeys } from '../../vectors/src/x509-svid-mint.js';
import { p384 } from '@noble/curves/nist.js';
import { ecKeys, identity, keys, NOW } from './fixtures.js';
import { bundleWith, ca, HOUR, hopWithChain, svid, TD } from './x509-fixtures.js';

const root = (await svid(1)).root;
const trust = bundleWith({ [TD]: [root] });
const at = { trust, now: NOW, audience: keys[2]!.publicKey };

async function rejects(token: Token | string | Uint8Array, code: ErrorCode, options: object = {}, layer: number | null = 1): Promise<void> {
  const err = await verify(token, { allowAnyAudience: true, ...at, ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isNestokenError(err), String(err)).toBe(true);
  expect(err, (err as Error).message).toMatchObject({ code, ...(layer === null ? {} : { layer }) });
}

describe('X.509-SVIDs vouch for hops (spec §5.6)', () => {
  const formats: Array<[LayerFormat, LayerFormat]> = [['jwt', 'jwt'], ['jwt', 'cbor'], ['cbor', 'jwt'], ['cbor', 'cbor']];

  it.each(formats)('root -> intermediate -> leaf, %s then %s, both forms', async (f0, f1) => {
    const token = await hopWithChain((await svid(1)).chain, [f0, f1]);
    for (const form of ['jwt', 'cbor'] as const) {
      const path = await verify(encodeToken(token, form), at);
      expect(path.hops.map((h) => [h.identity, h.via])).toEqual([[identity(0), 'trust-bundle'], [identity(1), 'x509-svid']]);
      expect(path.hops[1]!.keyThumbprint).toBe(keys[1]!.publicKey.kid);
    }
  });

  it('root -> leaf, and a chain that ends with the root itself', async () => {
    const direct = await svid(1, { intermediates: [] });
    expect(direct.chain).toHaveLength(1);
    expect((await verify(await hopWithChain(direct.chain), at)).hops[1]!.via).toBe('x509-svid');
    const full = await svid(1);
    expect((await verify(await hopWithChain([...full.chain, full.root]), at)).hops[1]!.identity).toBe(identity(1));
  });

  it('a SPIFFE bundle x509-svid entry is a root of the bundle trust domain', async () => {
    // The signer comes from its own file (a SPIFFE bundle ignores keys without use, spec §5.1).
    const json = JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'ignored', use: 'x509-svid', x5c: [b64Std(root)] }, { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(keys[0]!.publicKey.bytes).toString('base64url'), sub: identity(0) }] });
    const loaded = mergeTrustBundles(bundleWith({}), loadSpiffeBundle(json, { trustDomain: TD }));
    expect(x509Roots(loaded, TD)).toEqual([root]);
    expect((await verify(await hopWithChain((await svid(1)).chain), { allowAnyAudience: true, ...at, trust: loaded })).hops[1]!.identity).toBe(identity(1));
    // The same entry in another domain's bundle is that domain's root: it vouches for nothing in example.org.
    await rejects(await hopWithChain((await svid(1)).chain), 'ERR_KEY_UNTRUSTED', { trust: mergeTrustBundles(bundleWith({}), loadSpiffeBundle(json, { trustDomain: 'other.org' })) });
  });

  it('ECDSA P-256 and RSA-2048 CAs sign chains too', async () => {
    for (const keysOf of [p256CaKeys, rsaCaKeys]) {
      const rootKeys = await keysOf();
      const minted = await svid(1, { root: rootKeys, intermediates: [] });
      const path = await verify(await hopWithChain(minted.chain), { allowAnyAudience: true, ...at, trust: bundleWith({ [TD]: [minted.root] }) });
      expect(path.hops[1]!.identity).toBe(identity(1));
    }
  });

  it.each(formats)('ES256 hops from P-256 X.509-SVIDs, mixed with Ed25519 ones, %s then %s', async (f0, f1) => {
    const token = await hopWithChain((await svid(1, { leafKey: ecKeys[1]!.publicKey.bytes })).chain, [f0, f1], ecKeys[1]!);
    expect(token.layers[1]!.header.alg).toBe('ES256');
    const longer = await extend(token, { key: keys[2]!, audienceKey: ecKeys[3]!.publicKey, format: f0, x509Chain: (await svid(2)).chain });
    for (const form of ['jwt', 'cbor'] as const) {
      const path = await verify(encodeToken(longer, form), { ...at, audience: ecKeys[3]!.publicKey });
      expect(path.hops.map((h) => [h.identity, h.via, h.keyThumbprint])).toEqual([
        [identity(0), 'trust-bundle', keys[0]!.publicKey.kid],
        [identity(1), 'x509-svid', ecKeys[1]!.publicKey.kid],
        [identity(2), 'x509-svid', keys[2]!.publicKey.kid],
      ]);
    }
  });

  it('the hop can extend the chain further with its key', async () => {
    const token = await hopWithChain((await svid(1)).chain);
    const longer = await extend(token, { key: keys[2]!, audienceKey: keys[3]!.publicKey, x509Chain: (await svid(2)).chain });
    const path = await verify(longer, { ...at, audience: keys[3]!.publicKey });
    expect(path.hops.map((h) => h.identity)).toEqual([identity(0), identity(1), identity(2)]);
  });
});

describe('X.509-SVID chains that must fail, each with its code', () => {
  const bad = async (over: Parameters<typeof svid>[1]) => hopWithChain((await svid(1, over)).chain);

  it('expired and not-yet-valid certificates, at the edge of the skew', async () => {
    await rejects(await bad({ leaf: { notAfter: NOW - 61 } }), 'ERR_EXPIRED');
    await verify(await bad({ leaf: { notAfter: NOW - 59 } }), at);
    await rejects(await bad({ intermediate: { notAfter: NOW - 61 } }), 'ERR_EXPIRED');
    await rejects(await bad({ leaf: { notBefore: NOW + 120 } }), 'ERR_NOT_YET_VALID');
    const expiredRoot = await svid(1, { rootCert: { notAfter: NOW - 3600 } });
    await rejects(await hopWithChain(expiredRoot.chain), 'ERR_EXPIRED', { trust: bundleWith({ [TD]: [expiredRoot.root] }) });
  });

  it('a chain from another root, or no roots for the trust domain', async () => {
    await rejects(await bad({ root: await ca('other-root') }), 'ERR_KEY_UNTRUSTED');
    await rejects(await bad({}), 'ERR_KEY_UNTRUSTED', { trust: bundleWith({}) });
  });

  it('a SPIFFE ID in another trust domain than the roots that issued it', async () => {
    const other = await svid(1, { trustDomain: 'other.org', root: await ca('other-root') });
    const federated = bundleWith({ [TD]: [root], 'other.org': [other.root] });
    await rejects(await bad({ uris: ['spiffe://other.org/w1'] }), 'ERR_KEY_UNTRUSTED', { trust: federated });
    await rejects(await bad({ uris: ['spiffe://other.org/w1'] }), 'ERR_KEY_UNTRUSTED');
  });

  it('a leaf SPIFFE ID must pass the one scoping rule (spec §5.4) before any root is asked', async () => {
    for (const uri of ['spiffe://.example.org/w1', 'spiffe://example..org/w1', `spiffe://${'a'.repeat(256)}/w1`]) {
      await rejects(await bad({ uris: [uri] }), 'ERR_TRUST_DOMAIN');
    }
  });

  it('leaves that are not X.509-SVIDs', async () => {
    await rejects(await bad({ leaf: { ca: true } }), 'ERR_X509_SVID');
    await rejects(await bad({ uris: [identity(1), 'spiffe://example.org/other'] }), 'ERR_X509_SVID');
    await rejects(await bad({ uris: [] }), 'ERR_X509_SVID');
    await rejects(await bad({ uris: ['https://example.org/w1'] }), 'ERR_X509_SVID');
    await rejects(await bad({ uris: ['spiffe://example.org'] }), 'ERR_X509_SVID');
    await rejects(await bad({ uris: ['spiffe://Example.org/w1'] }), 'ERR_X509_SVID');
    await rejects(await bad({ uris: ['spiffe://example.org/a/../w1'] }), 'ERR_X509_SVID');
    await rejects(await bad({ leaf: { keyUsage: 16 } }), 'ERR_X509_SVID');
    await rejects(await bad({ leaf: { keyUsage: undefined } }), 'ERR_X509_SVID');
    await rejects(await bad({ leaf: { keyUsage: KEY_USAGE.digitalSignature | KEY_USAGE.keyCertSign } }), 'ERR_X509_SVID');
  });

  it('signing certificates that may not sign', async () => {
    await rejects(await bad({ intermediate: { ca: false } }), 'ERR_X509_CHAIN');
    await rejects(await bad({ intermediate: { ca: undefined } }), 'ERR_X509_CHAIN');
    await rejects(await bad({ intermediate: { keyUsage: KEY_USAGE.digitalSignature } }), 'ERR_X509_CHAIN');
    await rejects(await bad({ rootCert: { pathLength: 0 } }), 'ERR_X509_CHAIN', { trust: bundleWith({ [TD]: [(await svid(1, { rootCert: { pathLength: 0 } })).root] }) });
    const two = await svid(1, { intermediates: [await ca('i1'), await ca('i2')], intermediate: { pathLength: 0 } });
    await rejects(await hopWithChain(two.chain), 'ERR_X509_CHAIN');
    const swapped = await svid(1, { intermediates: [await ca('i1'), await ca('i2')] });
    await rejects(await hopWithChain([swapped.chain[0]!, swapped.chain[2]!, swapped.chain[1]!]), 'ERR_X509_CHAIN');
  });

  it('unsupported critical extensions and garbage DER', async () => {
    await rejects(await bad({ leaf: { extra: [['1.2.3.4', true, Uint8Array.of(5, 0)]] } }), 'ERR_X509_INVALID');
    await verify(await bad({ leaf: { extra: [['1.2.3.4', false, Uint8Array.of(5, 0)]] } }), at);
    await rejects(await hopWithChain([Uint8Array.of(0x30, 0x03, 1, 2, 3)]), 'ERR_X509_INVALID');
    await rejects(await hopWithChain([new TextEncoder().encode('not a certificate')]), 'ERR_X509_INVALID');
    const leaf = (await svid(1)).chain[0]!;
    await rejects(await hopWithChain([leaf.subarray(0, leaf.length - 1)]), 'ERR_X509_INVALID');
  });

  it('chains and certificates above the limits, before any parsing', async () => {
    const i = await Promise.all(['i1', 'i2', 'i3', 'i4'].map(ca));
    const five = await svid(1, { intermediates: i });
    expect(five.chain).toHaveLength(5);
    await expect(hopWithChain(five.chain)).rejects.toMatchObject({ code: 'ERR_LIMIT_EXCEEDED' });
    const four = await verify(await hopWithChain(five.chain.slice(0, 4)), { allowAnyAudience: true, ...at, trust: bundleWith({ [TD]: [five.root] }) }).catch((e: { code: string }) => e.code);
    expect(four).toBe('ERR_KEY_UNTRUSTED');
    const token = await hopWithChain((await svid(1)).chain);
    // The documents section is read before any layer uses it: its failures name no layer (spec §4.6).
    await rejects(token, 'ERR_LIMIT_EXCEEDED', { limits: { maxCertificates: 1 } }, null);
    await rejects(token, 'ERR_INPUT_TOO_LARGE', { limits: { maxCertificateBytes: 200 } }, null);
    await rejects(token, 'ERR_INPUT_TOO_LARGE', { limits: { maxCertificateChainBytes: 400 } }, null);
  });

  it('a leaf key that is not the layer key, and a layer signed by a key other than the leaf', async () => {
    await rejects(await hopWithChain((await svid(2)).chain), 'ERR_IDENTITY_DOCUMENT');
    const token = await hopWithChain((await svid(1)).chain);
    const hop = token.layers[1]!;
    const forged = await signIdLayer(codecs[hop.format], keys[3]!, hop.header, hop.claims);
    await rejects({ ...token, layers: [token.layers[0]!, forged] }, 'ERR_SIGNATURE_INVALID');
  });

  it('a leaf key of another type than the layer alg, and a P-384 leaf', async () => {
    const p256Chain = (await svid(1, { leafKey: ecKeys[1]!.publicKey.bytes })).chain;
    // The ES256 hop's layer relabelled Ed25519 and signed with an Ed25519 key: kid and chain still name the P-256 leaf.
    const token = await hopWithChain(p256Chain, ['jwt', 'cbor'], ecKeys[1]!);
    const hop = token.layers[1]!;
    const relabelled = await signIdLayer(codecs[hop.format], keys[1]!, { ...hop.header, alg: 'Ed25519' }, hop.claims, token.layers[0]!.header.alg);
    await rejects({ ...token, layers: [token.layers[0]!, relabelled] }, 'ERR_ALG_KEY_MISMATCH');
    // An ES256 layer whose chain holds the Ed25519 key: the leaf binds another key than kid.
    await rejects(await hopWithChain((await svid(1)).chain, ['jwt', 'cbor'], ecKeys[1]!), 'ERR_IDENTITY_DOCUMENT');
    const p384Leaf = p384.getPublicKey(p384.utils.randomSecretKey(), false);
    await rejects(await hopWithChain((await svid(1, { leafKey: p384Leaf })).chain), 'ERR_ALG_NOT_ALLOWED');
  });
});

describe('verifyX509Svid: an SVID checked outside a token', () => {
  it('proves the SPIFFE ID and leaf key, under the same bounds and codes', async () => {
    const { chain } = await svid(1);
    const proven = await verifyX509Svid(chain, trust, { now: NOW });
    expect(proven).toMatchObject({ identity: identity(1), trustDomain: TD, leafKey: { kind: 'Ed25519', bytes: keys[1]!.publicKey.bytes } });
    await expect(verifyX509Svid(chain, trust, { now: NOW + 2 * HOUR })).rejects.toMatchObject({ code: 'ERR_EXPIRED' });
    await expect(verifyX509Svid(chain, trust, { now: NOW, limits: { maxCertificates: 1 } })).rejects.toMatchObject({ code: 'ERR_LIMIT_EXCEEDED' });
    await expect(verifyX509Svid([], trust, { now: NOW })).rejects.toMatchObject({ code: 'ERR_HEADER_INVALID' });
    await expect(verifyX509Svid(['x'] as never, trust)).rejects.toMatchObject({ code: 'ERR_USAGE' });
    await expect(verifyX509Svid(chain, {} as never)).rejects.toMatchObject({ code: 'ERR_USAGE' });
  });
});

describe('X.509-SVID chains in the documents section (spec §4.6)', () => {
  it('a chain travels once, as an array of DER certificates even of one, named by its digest', async () => {
    const chain = (await svid(1, { intermediates: [] })).chain;
    const token = await hopWithChain(chain, ['jwt', 'cbor']);
    const digest = token.layers[1]!.header.doc!;
    expect(digest).toBe(documentDigest({ x5c: chain.map(b64Std) }));
    const container = decodeCbor(encodeToken(token, 'cbor'), 'token', ENVELOPE_DEPTH) as { value: unknown[] };
    expect(container.value[0]).toEqual([chain]);
    // A lone byte string is not a chain.
    const loose = encodeCbor(new (container.constructor as new (tag: number, value: unknown) => unknown)((container as unknown as { tag: number }).tag, [[chain[0]], container.value[1]]));
    expect(() => decodeToken(loose)).toThrow(expect.objectContaining({ code: 'ERR_MALFORMED' }));
    // A certificate in the JWT form travels as base64url of the same CBOR array.
    const text = encodeToken(token, 'jwt');
    expect(text.split('!')[1]).toBe(Buffer.from(encodeCbor(chain)).toString('base64url'));
  });

  it('a missing chain is ERR_DOCUMENT_MISSING naming it; a held one may be left out; a substituted one is ERR_DOCUMENT_MISMATCH', async () => {
    const fresh = bundleWith({ [TD]: [root] });
    const token = await hopWithChain((await svid(1)).chain, ['cbor', 'jwt']);
    const digest = token.layers[1]!.header.doc!;
    for (const form of ['jwt', 'cbor'] as const) {
      const bare = encodeToken(token, form, { omitDocuments: [digest] });
      const err = await verify(bare, { ...at, trust: fresh }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'ERR_DOCUMENT_MISSING', layer: 1 });
      expect((err as Error).message).toContain(digest);
    }
    expect(holdsDocument(fresh, digest)).toBe(false);
    await verify(encodeToken(token, 'jwt'), { ...at, trust: fresh });
    expect(holdsDocument(fresh, digest)).toBe(true);
    for (const form of ['jwt', 'cbor'] as const) await verify(encodeToken(token, form, { omitDocuments: [digest] }), { ...at, trust: fresh });
    const other = (await svid(1, { intermediates: [] })).chain;
    const substituted = { ...token, documents: new Map([[digest, { x5c: other.map(b64Std) }]]) };
    for (const form of ['jwt', 'cbor'] as const) await rejects(encodeToken(substituted, form), 'ERR_DOCUMENT_MISMATCH', {}, null);
  });

  it('a re-encoded layer with an X.509-SVID is recognised as such', async () => {
    const token = await hopWithChain((await svid(1)).chain, ['jwt', 'jwt']);
    const next = await extend(token, { key: keys[2]!, audienceKey: keys[3]!.publicKey, format: 'cbor', x509Chain: (await svid(2)).chain });
    const hop = token.layers[1]!;
    const transcoded = codecs.cbor.encode(hop.header, hop.claims, hop.signature, token.layers[0]!.header.alg);
    await rejects({ ...next, layers: [next.layers[0]!, transcoded, next.layers[2]!] }, 'ERR_FORMAT_CHANGED', { audience: keys[3]!.publicKey });
  });
});

describe('properties', () => {
  it('any byte of any certificate changed: a typed failure, never a pass or a raw error', async () => {
    const { chain } = await svid(1);
    await fc.assert(
      fc.asyncProperty(fc.nat(chain.length - 1), fc.nat(), fc.integer({ min: 1, max: 255 }), async (which, offset, flip) => {
        const certs = chain.map((c) => Uint8Array.from(c));
        const c = certs[which]!;
        c[offset % c.length]! ^= flip;
        const err = await hopWithChain(certs).then((t) => verify(t, at)).then(() => undefined, (e: unknown) => e);
        expect(isNestokenError(err), String(err)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('any bytes as a certificate: a certificate or ERR_X509_INVALID, never a raw error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        try {
          certificateFacts(bytes);
        } catch (e) {
          expect(isNestokenError(e, 'ERR_X509_INVALID'), String(e)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a SPIFFE ID parses to the parts it is spelled from, or fails with ERR_X509_SVID', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._%:@?#-]{0,6}$/);
    const uri = fc.oneof(fc.string({ maxLength: 40 }), fc.tuple(fc.stringMatching(/^[a-zA-Z0-9._-]{0,8}$/), fc.array(segment, { maxLength: 4 })).map(([td, segs]) => `spiffe://${td}${segs.map((x) => `/${x}`).join('')}`));
    fc.assert(
      fc.property(uri, (u) => {
        try {
          const id = parseSpiffeId(u);
          expect(`spiffe://${id.trustDomain}${id.path}`).toBe(u);
          expect(id.trustDomain).toMatch(/^[a-z0-9._-]+$/);
          for (const seg of id.path.split('/').slice(1)) expect(seg).toMatch(/^(?!\.{1,2}$)[A-Za-z0-9._-]+$/);
        } catch (e) {
          expect(isNestokenError(e, 'ERR_X509_SVID'), String(e)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
