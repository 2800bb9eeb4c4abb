import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  createTrustBundle,
  encodeToken,
  exportPublicJwk,
  extend,
  generateSigningKey,
  issue,
  issueIdentityDocument,
  loadSpiffeBundle,
  loadWitIssuers,
  mergeTrustBundles,
  verify,
  witIssuerJwks,
  type SigningKey,
} from '../src/index.node.js';

/**
 * SPIFFE WIT-SVIDs vouch for ES256 hops end to end (issue #10): the SPIFFE profile allows
 * RS/PS/ES only, so a WIT-SVID can vouch for an ES256 layer key and never for an Ed25519 one.
 */
const NOW = 1_800_000_000;
const TD = 'example.org';
const seed = (n: number) => new Uint8Array(32).fill(n);
const idp = generateSigningKey(seed(1));
const api = generateSigningKey({ alg: 'ES256', seed: seed(2) });
const db = generateSigningKey({ alg: 'ES256', seed: seed(3) });
const verifier = generateSigningKey(seed(4));
const nestokenAuthority = generateSigningKey({ alg: 'ES256', seed: seed(5) });
const API = 'spiffe://example.org/api';
const DB = 'spiffe://example.org/db';

/** A SPIRE-like issuer: a P-256 key outside nestoken, its WIT-SVIDs made with jose. */
const spire = await generateKeyPair('ES256', { extractable: true });
const spireJwk = { ...(await exportJWK(spire.publicKey)), kid: 'spire-1', use: 'wit-svid' };
const cnfOf = (k: SigningKey) => ({ ...exportPublicJwk(k), kid: undefined, alg: k.publicKey.alg });
const witSvid = (sub: string, k: SigningKey, claims: object = {}) =>
  new SignJWT({ sub, exp: NOW + 600, iat: NOW, cnf: { jwk: cnfOf(k) }, ...claims }).setProtectedHeader({ alg: 'ES256', kid: 'spire-1', typ: 'wit+jwt' }).sign(spire.privateKey);

const bundle = loadSpiffeBundle({ spiffe_sequence: 4, keys: [spireJwk, { ...witIssuerJwks(nestokenAuthority).keys[0], use: 'wit-svid' }] }, { trustDomain: TD });
const trust = mergeTrustBundles(createTrustBundle({ signers: [{ identity: 'https://idp.example', key: idp.publicKey }] }), bundle);

async function chain(format: 'jwt' | 'cbor', apiWit: string, dbWit: string) {
  let t = await issue({ key: idp, audienceKey: api.publicKey, format, claims: { iss: 'https://idp.example', sub: 'alice', exp: NOW + 300 } });
  t = await extend(t, { key: api, audienceKey: db.publicKey, format, identityDocument: apiWit, claims: { iss: API } });
  return extend(t, { key: db, audienceKey: verifier.publicKey, format: format === 'jwt' ? 'cbor' : 'jwt', identityDocument: dbWit, claims: { iss: DB } });
}

describe('WIT-SVIDs with ES256 documents vouch for ES256 hops', () => {
  it('a SPIRE-style WIT-SVID and a nestoken-minted ES256 WIT, in both encodings and both containers', async () => {
    const dbWit = await issueIdentityDocument({ authority: nestokenAuthority, subject: DB, key: db.publicKey, expiresAt: NOW + 600, issuedAt: NOW });
    for (const format of ['jwt', 'cbor'] as const) {
      const t = await chain(format, await witSvid(API, api), dbWit);
      for (const form of ['jwt', 'cbor'] as const) {
        const path = await verify(encodeToken(t, form), { trust, now: NOW, audience: verifier.publicKey });
        expect(path.hops.map((h) => [h.identity, h.via])).toEqual([
          ['https://idp.example', 'trust-bundle'],
          [API, 'identity-document'],
          [DB, 'identity-document'],
        ]);
      }
    }
  });

  it('refuses a WIT-SVID for an Ed25519 key, an ES256 hop whose WIT names an Ed25519 key, and a WIT-SVID with aud', async () => {
    const ed = generateSigningKey(seed(9));
    const edSvid = await new SignJWT({ sub: API, exp: NOW + 600, cnf: { jwk: { ...exportPublicJwk(ed), alg: 'Ed25519' } } }).setProtectedHeader({ alg: 'ES256', kid: 'spire-1', typ: 'wit+jwt' }).sign(spire.privateKey);
    let t = await issue({ key: idp, audienceKey: ed.publicKey, claims: { exp: NOW + 300 } });
    t = await extend(t, { key: ed, audienceKey: verifier.publicKey, identityDocument: edSvid });
    await expect(verify(t, { trust, now: NOW, audience: verifier.publicKey })).rejects.toMatchObject({ code: 'ERR_ALG_NOT_ALLOWED', layer: 1 });

    const edAuthority = generateSigningKey(seed(10));
    const wimse = loadWitIssuers(witIssuerJwks(edAuthority), { trustDomain: TD });
    const edWit = await issueIdentityDocument({ authority: edAuthority, subject: API, key: ed.publicKey, expiresAt: NOW + 600 });
    let u = await issue({ key: idp, audienceKey: api.publicKey, claims: { exp: NOW + 300 } });
    u = await extend(u, { key: api, audienceKey: verifier.publicKey, identityDocument: edWit });
    await expect(verify(u, { trust: mergeTrustBundles(trust, wimse), now: NOW, audience: verifier.publicKey })).rejects.toMatchObject({ code: 'ERR_ALG_NOT_ALLOWED', layer: 1 });

    const withAud = await witSvid(API, api, { aud: DB });
    let w = await issue({ key: idp, audienceKey: api.publicKey, claims: { exp: NOW + 300 } });
    w = await extend(w, { key: api, audienceKey: verifier.publicKey, identityDocument: withAud });
    await expect(verify(w, { trust, now: NOW, audience: verifier.publicKey })).rejects.toMatchObject({ code: 'ERR_IDENTITY_DOCUMENT', layer: 1 });
  });
});
