import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { importPrivateJwk, issue, loadWitIssuers, mergeTrustBundles, createTrustBundle, verify, verifyIdentityDocument, generateSigningKey } from '../src/index.node.js';

/** The published examples of draft-ietf-wimse-workload-creds (see fixtures/wimse/ORIGIN.md). */
const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'wimse');
const read = (f: string): string => readFileSync(join(dir, f), 'utf8').trim();
const WIT = read('wit.txt');
const ISSUER_JWK = JSON.parse(read('wit-issuer.public.jwk')) as Record<string, string>;
const WORKLOAD = importPrivateJwk(read('workload.private.jwk'));
/** Inside the example's lifetime (iat 1745508910, exp 1745512510). */
const NOW = 1745510000;
const at = { now: NOW, clockSkew: 60 };
const issuers = loadWitIssuers({ keys: [ISSUER_JWK] }, { trustDomain: 'example.com' });

const decode = (part: string): Record<string, unknown> => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
const [, CLAIMS_PART] = WIT.split('.') as [string, string, string];
const CLAIMS = decode(CLAIMS_PART);

/** We do not hold the example issuer's private key: modified WITs are re-signed by a test P-256 issuer of our own. */
const testIssuer = await generateKeyPair('ES256', { extractable: true });
const testIssuerJwk = { ...(await exportJWK(testIssuer.publicKey)), kid: 'test-p256' };
const testIssuers = loadWitIssuers({ keys: [testIssuerJwk] }, { trustDomain: 'example.com' });
async function resign(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'ES256', kid: 'test-p256', typ: 'wit+jwt' }): Promise<string> {
  return new SignJWT(claims).setProtectedHeader(header as never).sign(testIssuer.privateKey);
}

describe('the WIMSE example WIT (draft-ietf-wimse-workload-creds)', () => {
  it('verifies with its issuer key as a plain JWKS, yielding the workload identity and its Ed25519 cnf key', async () => {
    const proven = await verifyIdentityDocument(WIT, issuers, at);
    expect(proven.identity).toBe('wimse://example.com/specific-workload');
    expect(proven.trustDomain).toBe('example.com');
    expect(proven.profile).toBe('wimse');
    expect(proven.authorityKid).toBe('June 5');
    expect(proven.confirmation.alg).toBe('Ed25519');
    expect(proven.confirmation.jwk).toEqual({ crv: 'Ed25519', kty: 'OKP', x: '1CXXvflN_LVVsIsYXsUvB03JmlGWeCHqQVuouCF92bg' });
    expect(proven.key?.kid).toBe(WORKLOAD.publicKey.kid);
    expect(proven.confirmation.thumbprint).toBe(WORKLOAD.publicKey.kid);
  });

  it('vouches for a nestoken layer signed by the example workload key', async () => {
    const verifier = generateSigningKey(new Uint8Array(32).fill(7));
    const token = await issue({ key: WORKLOAD, audienceKey: verifier.publicKey, identityDocument: WIT, claims: { iss: 'wimse://example.com/specific-workload', exp: NOW + 600 } });
    const path = await verify(token, { trust: issuers, now: NOW, audience: verifier.publicKey, issuers: ['wimse://example.com/specific-workload'] });
    expect(path.hops[0]).toMatchObject({ identity: 'wimse://example.com/specific-workload', via: 'identity-document', keyThumbprint: WORKLOAD.publicKey.kid });
  });

  it('starts no chain by default: only a direct signer of the bundle is an issuer unless listed', async () => {
    const verifier = generateSigningKey(new Uint8Array(32).fill(7));
    const token = await issue({ key: WORKLOAD, audienceKey: verifier.publicKey, identityDocument: WIT, claims: { exp: NOW + 600 } });
    await expect(verify(token, { trust: issuers, now: NOW, audience: verifier.publicKey })).rejects.toMatchObject({ code: 'ERR_KEY_UNTRUSTED', layer: 0 });
  });

  it('is refused outside its lifetime and outside its trust domain', async () => {
    await expect(verifyIdentityDocument(WIT, issuers, { now: 1745512510 + 60, clockSkew: 60 })).rejects.toMatchObject({ code: 'ERR_EXPIRED' });
    const elsewhere = loadWitIssuers({ keys: [ISSUER_JWK] }, { trustDomain: 'example.org' });
    await expect(verifyIdentityDocument(WIT, elsewhere, at)).rejects.toMatchObject({ code: 'ERR_TRUST_DOMAIN' });
  });

  it('the re-signed copy verifies with the test issuer, so each refusal below is for its one change', async () => {
    await expect(verifyIdentityDocument(await resign(CLAIMS), testIssuers, at)).resolves.toMatchObject({ identity: 'wimse://example.com/specific-workload' });
  });

  it('without typ fails', async () => {
    await expect(verifyIdentityDocument(await resign(CLAIMS, { alg: 'ES256', kid: 'test-p256' }), testIssuers, at)).rejects.toMatchObject({ code: 'ERR_IDENTITY_DOCUMENT' });
    await expect(verifyIdentityDocument(await resign(CLAIMS, { alg: 'ES256', kid: 'test-p256', typ: 'JWT' }), testIssuers, at)).rejects.toMatchObject({ code: 'ERR_IDENTITY_DOCUMENT' });
  });

  it('without cnf.jwk.alg fails', async () => {
    const { alg: _alg, ...jwk } = (CLAIMS.cnf as { jwk: Record<string, string> }).jwk;
    await expect(verifyIdentityDocument(await resign({ ...CLAIMS, cnf: { jwk } }), testIssuers, at)).rejects.toMatchObject({ code: 'ERR_IDENTITY_DOCUMENT' });
  });

  it('fails when the layer algorithm is not cnf.jwk.alg', async () => {
    // The WIT confirms a P-256 key for ES256 proofs; an Ed25519 layer is not that proof.
    const ec = await generateKeyPair('ES256', { extractable: true });
    const ecJwk = { ...(await exportJWK(ec.publicKey)), alg: 'ES256' };
    const wit = await resign({ ...CLAIMS, cnf: { jwk: ecJwk } });
    const trust = mergeTrustBundles(testIssuers, createTrustBundle({}));
    const verifier = generateSigningKey(new Uint8Array(32).fill(7));
    const token = await issue({ key: WORKLOAD, audienceKey: verifier.publicKey, identityDocument: wit, claims: { exp: NOW + 600 } });
    await expect(verify(token, { trust, now: NOW, audience: verifier.publicKey, issuers: ['wimse://example.com/specific-workload'] })).rejects.toMatchObject({
      code: 'ERR_ALG_NOT_ALLOWED',
      layer: 0,
    });
  });
});
