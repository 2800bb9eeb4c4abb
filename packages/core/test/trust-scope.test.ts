import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { exportJWK, generateKeyPair, jwtVerify, importJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  createTrustBundle,
  exportPublicJwk,
  issue,
  issueIdentityDocument,
  loadSignerJwks,
  loadSpiffeBundle,
  loadBundleMap,
  loadWitIssuers,
  mergeTrustBundles,
  signingKeyFromSeed,
  verify,
  verifyIdentityDocument,
  witIssuerJwks,
  x509Roots,
} from '../src/index.node.js';
import { rootCertificate } from './x509-fixtures.js';

/**
 * The attacks listed in issue #10, each one a test that must fail with a typed error, and the
 * loaders' bounds (spec §5.1, §5.3, §5.4).
 */
const NOW = 1_800_000_000;
const key = (n: number) => signingKeyFromSeed(new Uint8Array(32).fill(n));
const [issuerKey, partnerKey, authority, workload, verifier] = [key(1), key(2), key(3), key(4), key(5)];
const ISSUER = 'spiffe://example.org/issuer';
const WORKLOAD = 'spiffe://example.org/workload';
const at = { now: NOW, clockSkew: 60 };
const code = (c: string) => expect.objectContaining({ code: c });

const wimse = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'wimse');
const exampleWit = readFileSync(join(wimse, 'wit.txt'), 'utf8').trim();
const exampleIssuer = JSON.parse(readFileSync(join(wimse, 'wit-issuer.public.jwk'), 'utf8')) as Record<string, string>;

describe('the attacks of issue #10', () => {
  it('the WIMSE example WIT needs no relabelling: its issuer as a plain JWKS verifies it, and relabelled jwt-svid it vouches for nothing', async () => {
    await expect(verifyIdentityDocument(exampleWit, loadWitIssuers({ keys: [exampleIssuer] }, { trustDomain: 'example.com' }), { now: 1745510000, clockSkew: 60 })).resolves.toMatchObject({
      identity: 'wimse://example.com/specific-workload',
    });
    const relabelled = loadSpiffeBundle({ keys: [{ ...exampleIssuer, use: 'jwt-svid' }] }, { trustDomain: 'example.com' });
    expect(relabelled.authorities.map((a) => a.use)).toEqual(['jwt-svid']);
    await expect(verifyIdentityDocument(exampleWit, relabelled, { now: 1745510000, clockSkew: 60 })).rejects.toEqual(code('ERR_TRUST_DOMAIN'));
  });

  it('SPIFFE WIT-SVIDs (RS, PS, ES) verify, and an EdDSA WIT-SVID is refused', async () => {
    for (const alg of ['RS256', 'PS384', 'ES256', 'ES384'] as const) {
      const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
      const bundle = loadSpiffeBundle({ spiffe_sequence: 1, keys: [{ ...(await exportJWK(publicKey)), kid: `k-${alg}`, use: 'wit-svid' }] }, { trustDomain: 'example.org' });
      const cnf = { ...(await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey)), alg: 'ES256' };
      const svid = await new SignJWT({ sub: WORKLOAD, exp: NOW + 600, cnf: { jwk: cnf } }).setProtectedHeader({ alg, kid: `k-${alg}`, typ: 'wit+jwt' }).sign(privateKey);
      await expect(verifyIdentityDocument(svid, bundle, at)).resolves.toMatchObject({ identity: WORKLOAD, profile: 'wit-svid', confirmation: { alg: 'ES256' } });
      const withAud = await new SignJWT({ sub: WORKLOAD, aud: 'x', exp: NOW + 600, cnf: { jwk: cnf } }).setProtectedHeader({ alg, kid: `k-${alg}`, typ: 'wit+jwt' }).sign(privateKey);
      await expect(verifyIdentityDocument(withAud, bundle, at)).rejects.toEqual(code('ERR_IDENTITY_DOCUMENT'));
    }
    const bundle = loadSpiffeBundle({ keys: [{ ...exportPublicJwk(authority), kid: 'ed', use: 'wit-svid' }] }, { trustDomain: 'example.org' });
    expect(bundle.authorities).toHaveLength(0);
  });

  it('the WITs nestoken mints are conformant: alg Ed25519, typ wit+jwt, cnf.jwk.alg; the issuer set says use wit-svid, and jose verifies both', async () => {
    const wit = await issueIdentityDocument({ authority, subject: WORKLOAD, key: workload.publicKey, expiresAt: NOW + 600, issuedAt: NOW });
    const jwks = witIssuerJwks(authority);
    expect(jwks.keys[0]).toMatchObject({ use: 'wit-svid', alg: 'Ed25519', kid: authority.publicKey.kid });
    const { payload, protectedHeader } = await jwtVerify(wit, await importJWK(jwks.keys[0] as never, 'Ed25519'), { typ: 'wit+jwt', currentDate: new Date(NOW * 1000) });
    expect(protectedHeader).toEqual({ alg: 'Ed25519', kid: authority.publicKey.kid, typ: 'wit+jwt' });
    expect(payload.cnf).toEqual({ jwk: { crv: 'Ed25519', kty: 'OKP', x: exportPublicJwk(workload).x, alg: 'Ed25519' } });
  });

  it("a partner bundle scoped to partner.test cannot list a key under our issuer's identity, with or without issuers", async () => {
    const partner = { keys: [{ ...exportPublicJwk(partnerKey), sub: ISSUER }] };
    expect(() => loadSignerJwks(partner, { trustDomain: 'partner.test' })).toThrow(code('ERR_TRUST_DOMAIN'));
    expect(() => createTrustBundle({ signers: [{ identity: ISSUER, key: partnerKey.publicKey, trustDomain: 'partner.test' }] })).toThrow(code('ERR_TRUST_DOMAIN'));
    // Nor can a partner's WIT issuer vouch for one of our identities.
    const ours = loadWitIssuers(witIssuerJwks(authority), { trustDomain: 'example.org' });
    const theirs = loadWitIssuers(witIssuerJwks(partnerKey), { trustDomain: 'partner.test' });
    const forged = await issueIdentityDocument({ authority: partnerKey, subject: ISSUER, key: partnerKey.publicKey, expiresAt: NOW + 600 });
    await expect(verifyIdentityDocument(forged, mergeTrustBundles(ours, theirs), at)).rejects.toEqual(code('ERR_KEY_UNTRUSTED'));
    await expect(verifyIdentityDocument(forged, theirs, at)).rejects.toEqual(code('ERR_TRUST_DOMAIN'));
  });

  it('merging fails when a later bundle lists a key or identity with another meaning', () => {
    const a = loadSignerJwks({ keys: [{ ...exportPublicJwk(issuerKey), sub: ISSUER }] }, { trustDomain: 'example.org' });
    const takeover = loadSignerJwks({ keys: [{ ...exportPublicJwk(issuerKey), sub: 'spiffe://example.org/other' }] }, { trustDomain: 'example.org' });
    expect(() => mergeTrustBundles(a, takeover)).toThrow(code('ERR_TRUST_BUNDLE'));
    expect(mergeTrustBundles(a, a).signers.size).toBe(1);
    const asIssuer = loadWitIssuers(witIssuerJwks(issuerKey), { trustDomain: 'example.org' });
    expect(() => mergeTrustBundles(a, asIssuer)).toThrow(code('ERR_TRUST_BUNDLE'));
    const elsewhere = loadWitIssuers(witIssuerJwks(authority), { trustDomain: 'example.com' });
    expect(() => mergeTrustBundles(loadWitIssuers(witIssuerJwks(authority), { trustDomain: 'example.org' }), elsewhere)).toThrow(code('ERR_TRUST_BUNDLE'));
    const seq1 = loadSpiffeBundle({ spiffe_sequence: 1, keys: [] }, { trustDomain: 'example.org' });
    const seq2 = loadSpiffeBundle({ spiffe_sequence: 2, keys: [] }, { trustDomain: 'example.org' });
    expect(() => mergeTrustBundles(seq1, seq2)).toThrow(code('ERR_TRUST_BUNDLE'));
  });

  it('an authority without a trust domain exists only by the opt-in anyTrustDomain', async () => {
    expect(() => createTrustBundle({ authorities: [{ use: 'wit-svid', jwk: exportPublicJwk(authority) }] })).toThrow(code('ERR_TRUST_DOMAIN'));
    expect(() => loadWitIssuers(witIssuerJwks(authority), {} as never)).toThrow(code('ERR_USAGE'));
    const any = loadWitIssuers(witIssuerJwks(authority), { anyTrustDomain: true });
    const wit = await issueIdentityDocument({ authority, subject: 'wimse://anywhere.example/w', key: workload.publicKey, expiresAt: NOW + 600 });
    await expect(verifyIdentityDocument(wit, any, at)).resolves.toMatchObject({ trustDomain: 'anywhere.example' });
  });

  it('an Ed25519 key marked wit-svid is never a layer signer, whichever file it is in', async () => {
    const jwk = { ...exportPublicJwk(authority), use: 'wit-svid', sub: ISSUER };
    const spiffe = loadSpiffeBundle({ keys: [jwk] }, { trustDomain: 'example.org' });
    expect([spiffe.signers.size, spiffe.authorities.length]).toEqual([0, 0]);
    const token = await issue({ key: authority, audienceKey: verifier.publicKey, claims: { iss: ISSUER, exp: NOW + 60 } });
    await expect(verify(token, { trust: spiffe, now: NOW, audience: verifier.publicKey })).rejects.toMatchObject({ code: 'ERR_KEY_UNTRUSTED', layer: 0 });
    expect(() => loadSignerJwks({ keys: [jwk] }, { trustDomain: 'example.org' })).toThrow(code('ERR_TRUST_BUNDLE'));
  });

  it('with issuers unset, a workload that only holds an identity document cannot start a chain', async () => {
    const trust = mergeTrustBundles(
      createTrustBundle({ signers: [{ identity: ISSUER, key: issuerKey.publicKey }] }),
      loadWitIssuers(witIssuerJwks(authority), { trustDomain: 'example.org' }),
    );
    const wit = await issueIdentityDocument({ authority, subject: WORKLOAD, key: workload.publicKey, expiresAt: NOW + 600 });
    const rooted = await issue({ key: workload, audienceKey: verifier.publicKey, identityDocument: wit, claims: { iss: WORKLOAD, exp: NOW + 60 } });
    await expect(verify(rooted, { trust, now: NOW, audience: verifier.publicKey })).rejects.toMatchObject({ code: 'ERR_KEY_UNTRUSTED', layer: 0 });
    await expect(verify(rooted, { trust, now: NOW, audience: verifier.publicKey, issuers: [WORKLOAD] })).resolves.toMatchObject({ issuer: WORKLOAD });
    const direct = await issue({ key: issuerKey, audienceKey: verifier.publicKey, claims: { iss: ISSUER, exp: NOW + 60 } });
    await expect(verify(direct, { trust, now: NOW, audience: verifier.publicKey })).resolves.toMatchObject({ issuer: ISSUER });
  });
});

describe('SPIFFE bundles', () => {
  it('expose spiffe_sequence, spiffe_refresh_hint and the x509-svid roots per trust domain; an empty keys array distrusts the domain', async () => {
    const rootDer = await rootCertificate('scope-root');
    const der = Buffer.from(rootDer).toString('base64');
    const map = loadBundleMap({
      'example.org': { spiffe_sequence: 9, spiffe_refresh_hint: 120, keys: [{ kty: 'EC', crv: 'P-256', use: 'x509-svid', x5c: [der] }, { kty: 'OKP', crv: 'Ed25519', x: 'whatever', use: 'unknown-use' }] },
      'partner.test': { keys: [] },
    });
    expect(map.domains.get('example.org')).toMatchObject({ sequence: 9, refreshHint: 120 });
    expect(x509Roots(map, 'example.org')).toEqual([rootDer]);
    expect(x509Roots(map, 'partner.test')).toEqual([]);
    const wit = await issueIdentityDocument({ authority, subject: 'spiffe://partner.test/w', key: workload.publicKey, expiresAt: NOW + 600 });
    await expect(verifyIdentityDocument(wit, map, at)).rejects.toEqual(code('ERR_TRUST_DOMAIN'));
  });

  it('bound their input and fail with codes on hostile input', async () => {
    const td = { trustDomain: 'example.org' };
    expect(() => loadSpiffeBundle('x'.repeat(1024 * 1024 + 1), td)).toThrow(code('ERR_INPUT_TOO_LARGE'));
    expect(() => loadSpiffeBundle({ keys: Array.from({ length: 1001 }, () => ({})) }, td)).toThrow(code('ERR_LIMIT_EXCEEDED'));
    expect(() => loadSpiffeBundle(`${'['.repeat(5000)}${']'.repeat(5000)}`, td)).toThrow(code('ERR_TRUST_BUNDLE'));
    expect(() => loadSpiffeBundle(`{"keys":[],"a":${'['.repeat(50)}${']'.repeat(50)}}`, td)).toThrow(code('ERR_LIMIT_EXCEEDED'));
    expect(() => loadSpiffeBundle('{"keys":[],"keys":[]}', td)).toThrow(code('ERR_DUPLICATE_KEY'));
    expect(() => loadSpiffeBundle({ keys: [] }, { trustDomain: 'spiffe://example.org' })).toThrow(code('ERR_USAGE'));
    expect(() => loadSpiffeBundle(null as never, td)).toThrow(code('ERR_TRUST_BUNDLE'));
    expect(() => loadSpiffeBundle({ keys: [{ use: 'x509-svid', x5c: ['***'] }] }, td)).toThrow(code('ERR_TRUST_BUNDLE'));
    expect(() => loadWitIssuers({ keys: [{ kty: 'RSA', n: 'AQAB', e: 'AQAB' }] }, td)).toThrow(code('ERR_TRUST_BUNDLE'));
    const trust = loadWitIssuers(witIssuerJwks(authority), td);
    await expect(verifyIdentityDocument('a.b.c'.padEnd(9000, 'c'), trust, at)).rejects.toEqual(code('ERR_INPUT_TOO_LARGE'));
    await expect(verifyIdentityDocument(42 as never, trust, at)).rejects.toEqual(code('ERR_IDENTITY_DOCUMENT'));
    await expect(verifyIdentityDocument('a.b.c', {} as never, at)).rejects.toEqual(code('ERR_USAGE'));
    await expect(verifyIdentityDocument('a.b.c', trust, { now: Number.NaN, clockSkew: 0 })).rejects.toEqual(code('ERR_USAGE'));
  });
});

describe('scoping holds for any identities (fast-check)', () => {
  const label = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
  it('a signer outside the file trust domain always fails, and a WIT of another domain never verifies', async () => {
    const ours = loadWitIssuers(witIssuerJwks(authority), { trustDomain: 'example.org' });
    await fc.assert(
      fc.asyncProperty(label, label, fc.constantFrom('spiffe', 'wimse'), async (domain, path, scheme) => {
        fc.pre(domain !== 'example');
        const identity = `${scheme}://${domain}.example/${path}`;
        expect(() => loadSignerJwks({ keys: [{ ...exportPublicJwk(partnerKey), sub: identity }] }, { trustDomain: 'example.org' })).toThrow(code('ERR_TRUST_DOMAIN'));
        const wit = await issueIdentityDocument({ authority, subject: identity, key: workload.publicKey, expiresAt: NOW + 600 });
        await expect(verifyIdentityDocument(wit, ours, at)).rejects.toEqual(code('ERR_TRUST_DOMAIN'));
      }),
      { numRuns: 40 },
    );
  });
});
