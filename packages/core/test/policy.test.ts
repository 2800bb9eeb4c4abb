import { describe, expect, it } from 'vitest';
import {
  NestokenError,
  createTrustBundle,
  encodeToken,
  exportPublicJwk,
  extend,
  issue,
  issueIdentityDocument,
  loadSignerJwks,
  loadSpiffeBundle,
  loadWitIssuers,
  mergeTrustBundles,
  witIssuerJwks,
  nodeBackend,
  portableBackend,
  signingKeyFromSeed,
  useCryptoBackend,
  verify,
  layerDigest,
  type Token,
  type VerifyOptions,
} from '../src/index.node.js';
import { signIdLayer } from '../src/modes/id.js';
import { codecs } from '../src/encoding/token.js';
import { NOW, idChain, identity, keys, receiverOf, trust } from './fixtures.js';

async function codeOf(t: Parameters<typeof verify>[0], options: Partial<VerifyOptions> = {}): Promise<string> {
  try {
    await verify(t, { allowAnyAudience: true, trust, now: NOW, ...options });
    return 'VALID';
  } catch (e) {
    expect(e).toBeInstanceOf(NestokenError);
    return (e as NestokenError).code;
  }
}

/** An extension made without the library's own guard: what a careless or hostile hop could send. */
async function signIdLayerAfter(t: Token, claims: object): Promise<Token> {
  const last = t.layers[t.layers.length - 1]!;
  const header = { alg: 'Ed25519' as const, kid: keys[2]!.publicKey.kid, prv: layerDigest(last.bytes) };
  const layer = await signIdLayer(codecs.jwt, keys[2]!, header, { ...claims, cnf: { jkt: keys[3]!.publicKey.kid } });
  return { layers: [...t.layers, layer] };
}

describe('lifetimes (spec §7.6)', () => {
  const chainWith = async (root: object, hop: object) => {
    const t = await issue({ key: keys[0]!, audienceKey: keys[1]!.publicKey, claims: root });
    return extend(t, { key: keys[1]!, audienceKey: keys[2]!.publicKey, claims: hop });
  };
  it('is the intersection of the layers', async () => {
    const t = await chainWith({ exp: NOW + 600, nbf: NOW - 10 }, { exp: NOW + 300, nbf: NOW - 5 });
    const p = await verify(t, { allowAnyAudience: true, trust, now: NOW });
    expect([p.notBefore, p.expiresAt]).toEqual([NOW - 5, NOW + 300]);
  });
  it('refuses a layer that widens it, even when built by hand', async () => {
    const t = await chainWith({ exp: NOW + 600 }, {});
    const widened = await signIdLayerAfter(t, { exp: NOW + 601 });
    expect(await codeOf(widened)).toBe('ERR_LIFETIME_WIDENED');
  });
  it('refuses expired and not-yet-valid chains, with skew', async () => {
    const t = await chainWith({ exp: NOW + 600 }, { nbf: NOW + 100 });
    expect(await codeOf(t)).toBe('ERR_NOT_YET_VALID');
    expect(await codeOf(t, { clockSkew: 100 })).toBe('VALID');
    expect(await codeOf(t, { now: NOW + 661 })).toBe('ERR_EXPIRED');
    expect(await codeOf(t, { now: NOW + 659 })).toBe('VALID');
    expect(await codeOf(t, { now: NOW + 660 })).toBe('ERR_EXPIRED');
    expect(await codeOf(t, { now: NOW + 601, clockSkew: 0 })).toBe('ERR_EXPIRED');
  });
  it('requires exp on the root, refuses to widen, and refuses layers issued in the future', async () => {
    await expect(chainWith({}, { exp: NOW + 10 })).rejects.toMatchObject({ code: 'ERR_USAGE' });
    await expect(chainWith({ exp: NOW + 10 }, { exp: NOW + 11 })).rejects.toMatchObject({ code: 'ERR_LIFETIME_WIDENED' });
    expect(await codeOf(await chainWith({ exp: NOW + 600 }, { iat: NOW + 3600 }))).toBe('ERR_NOT_YET_VALID');
  });
});

describe('revocation, audience, issuers (spec §7.7-7.8)', () => {
  it('fails closed when the revocation check itself fails', async () => {
    const t = await idChain(['jwt']);
    expect(await codeOf(t, { isRevoked: () => { throw new RangeError('ban list unavailable'); } })).toBe('ERR_REVOKED');
  });
  it('bans by jti, by layer digest and by identity', async () => {
    const t = await idChain(['jwt', 'cbor', 'jwt']);
    const p = await verify(t, { allowAnyAudience: true, trust, now: NOW });
    expect(await codeOf(t, { isRevoked: (q) => q.jti === 'a-1' })).toBe('ERR_REVOKED');
    expect(await codeOf(t, { isRevoked: async (q) => q.digest === p.hops[2]!.digest })).toBe('ERR_REVOKED');
    expect(await codeOf(t, { isRevoked: (q) => q.identity === identity(1) })).toBe('ERR_REVOKED');
    expect(await codeOf(t, { isRevoked: () => false })).toBe('VALID');
  });
  it('checks the last audience key and identity', async () => {
    const t = await idChain(['jwt', 'jwt']);
    expect(await codeOf(t, { audience: receiverOf(2) })).toBe('VALID');
    expect(await codeOf(t, { audience: receiverOf(2).publicKey.kid })).toBe('VALID');
    expect(await codeOf(t, { audience: receiverOf(1).publicKey })).toBe('ERR_AUDIENCE_MISMATCH');
    const addressed = await issue({ key: keys[0]!, audienceKey: keys[1]!.publicKey, claims: { exp: NOW + 60, aud: ['spiffe://example.org/w1', 'x'] } });
    expect(await codeOf(addressed, { audienceIdentity: 'spiffe://example.org/w1' })).toBe('VALID');
    expect(await codeOf(addressed, { audienceIdentity: 'spiffe://example.org/w2' })).toBe('ERR_AUDIENCE_MISMATCH');
  });
  it('accepts only the listed issuers and only the algorithms and modes allowed', async () => {
    const t = await idChain(['jwt', 'jwt']);
    expect(await codeOf(t, { issuers: [identity(0)] })).toBe('VALID');
    expect(await codeOf(t, { issuers: ['https://other.example'] })).toBe('ERR_KEY_UNTRUSTED');
    expect(await codeOf(t, { algorithms: ['nst-r255'] })).toBe('ERR_ALG_NOT_ALLOWED');
    expect(await codeOf(t, { modes: ['anon'] })).toBe('ERR_ALG_NOT_ALLOWED');
  });
  it('binds iss to the proven identity', async () => {
    const t = await issue({ key: keys[0]!, audienceKey: keys[1]!.publicKey, claims: { iss: identity(5), exp: NOW + 60 } });
    expect(await codeOf(t)).toBe('ERR_ISSUER_MISMATCH');
  });
});

describe('keys and trust (spec §5, §7.4)', () => {
  it('a hop that is not the named audience cannot extend', async () => {
    const t = await idChain(['jwt']);
    await expect(extend(t, { key: keys[5]!, audienceKey: keys[6]!.publicKey })).rejects.toMatchObject({ code: 'ERR_KEY_BINDING' });
  });
  it('skips key types it cannot use (RSA authorities in real SPIFFE bundles) instead of failing the bundle', () => {
    // An X25519 key, a P-192 key, an Ed25519 WIT key (SPIFFE lists no EdDSA) and a key without use.
    const bundle = loadSpiffeBundle(
      { keys: [{ kty: 'OKP', crv: 'X25519', use: 'jwt-svid', kid: 'x', x: 'a' }, { kty: 'EC', crv: 'P-192', use: 'wit-svid', kid: 'p', x: 'a', y: 'b' }, exportPublicJwk(keys[2]!, { use: 'wit-svid' }), exportPublicJwk(keys[0]!)] },
      { trustDomain: 'example.org' },
    );
    expect([bundle.signers.size, bundle.authorities.length]).toEqual([0, 0]);
    const signers = loadSignerJwks({ keys: [{ kty: 'RSA', n: 'AQAB', e: 'AQAB' }, { kty: 'EC', crv: 'P-384', x: 'a', y: 'b' }, exportPublicJwk(keys[1]!, { sub: identity(1) })] }, { trustDomain: 'example.org' });
    expect([signers.signers.size, signers.authorities.length]).toEqual([1, 0]);
  });
  it('an untrusted key is refused, even when it was the named audience', async () => {
    const stranger = signingKeyFromSeed(new Uint8Array(32).fill(9));
    const t = await issue({ key: keys[0]!, audienceKey: stranger.publicKey, claims: { exp: NOW + 60 } });
    const t2 = await extend(t, { key: stranger, audienceKey: keys[2]!.publicKey });
    expect(await codeOf(t2)).toBe('ERR_KEY_UNTRUSTED');
  });
  it('an identity document vouches for a hop key; a wrong or expired one is refused', async () => {
    const authority = signingKeyFromSeed(new Uint8Array(32).fill(7));
    const workload = signingKeyFromSeed(new Uint8Array(32).fill(8));
    const bundle = mergeTrustBundles(
      createTrustBundle({ signers: [{ identity: identity(0), key: keys[0]!.publicKey }] }),
      loadWitIssuers(witIssuerJwks(authority), { trustDomain: 'example.org' }),
    );
    const wit = await issueIdentityDocument({ authority, subject: 'spiffe://example.org/foo', key: workload.publicKey, expiresAt: NOW + 600 });
    const root = await issue({ key: keys[0]!, audienceKey: workload.publicKey, claims: { exp: NOW + 600 } });
    const t = await extend(root, { key: workload, audienceKey: keys[2]!.publicKey, identityDocument: wit, claims: { iss: 'spiffe://example.org/foo' } });
    const p = await verify(t, { allowAnyAudience: true, trust: bundle, now: NOW });
    expect(p.hops.map((h) => [h.identity, h.via])).toEqual([[identity(0), 'trust-bundle'], ['spiffe://example.org/foo', 'identity-document']]);
    expect(await codeOf(t, { trust: bundle, now: NOW + 2000 })).toBe('ERR_EXPIRED');
    const otherKeyWit = await issueIdentityDocument({ authority, subject: 'spiffe://example.org/foo', key: keys[3]!.publicKey, expiresAt: NOW + 600 });
    const t2 = await extend(root, { key: workload, audienceKey: keys[2]!.publicKey, identityDocument: otherKeyWit });
    expect(await codeOf(t2, { trust: bundle })).toBe('ERR_IDENTITY_DOCUMENT');
    const foreign = await issueIdentityDocument({ authority, subject: 'spiffe://evil.org/foo', key: workload.publicKey, expiresAt: NOW + 600 });
    const t3 = await extend(root, { key: workload, audienceKey: keys[2]!.publicKey, identityDocument: foreign });
    expect(await codeOf(t3, { trust: bundle })).toBe('ERR_TRUST_DOMAIN');
    const rogueAuthority = signingKeyFromSeed(new Uint8Array(32).fill(6));
    const forged = await issueIdentityDocument({ authority: rogueAuthority, subject: 'spiffe://example.org/foo', key: workload.publicKey, expiresAt: NOW + 600 });
    const t4 = await extend(root, { key: workload, audienceKey: keys[2]!.publicKey, identityDocument: forged });
    expect(await codeOf(t4, { trust: bundle })).toBe('ERR_KEY_UNTRUSTED');
  });
  it('refuses malformed bundles and keys of small order', () => {
    expect(() => loadSignerJwks('not json', { trustDomain: 'example.org' })).toThrow(expect.objectContaining({ code: 'ERR_TRUST_BUNDLE' }));
    expect(() => loadSignerJwks({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', sub: 'spiffe://example.org/x' }] }, { trustDomain: 'example.org' })).toThrow(
      expect.objectContaining({ code: 'ERR_TRUST_BUNDLE' }),
    );
    expect(() => createTrustBundle({ signers: [{ identity: '', key: keys[0]!.publicKey }] })).toThrow(expect.objectContaining({ code: 'ERR_TRUST_BUNDLE' }));
  });
});

describe('crypto seam (spec §3.5)', () => {
  it('node:crypto and noble produce the same bytes and the same verdicts', async () => {
    const results: string[] = [];
    for (const backend of [nodeBackend, portableBackend]) {
      useCryptoBackend(backend);
      const t = await idChain(['jwt', 'cbor', 'jwt'], 'seam');
      results.push(encodeToken(t, 'jwt'));
      expect(await codeOf(t)).toBe('VALID');
      const flipped = encodeToken(t, 'jwt').replace(/.(~|$)/, (m) => (m[0] === 'A' ? 'B' : 'A') + m.slice(1));
      expect(await codeOf(flipped)).not.toBe('VALID');
    }
    useCryptoBackend(nodeBackend);
    expect(results[0]).toBe(results[1]);
  });
});
