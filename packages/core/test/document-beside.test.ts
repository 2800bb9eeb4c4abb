import { describe, expect, it } from 'vitest';
import {
  createTrustBundle,
  documentDigest,
  encodeToken,
  exportPublicJwk,
  extend,
  holdsDocument,
  issue,
  issueIdentityDocument,
  signingKeyFromSeed,
  verify,
} from '../src/index.node.js';

/** The last layer's document beside the token (spec §4.6.3): `verify`'s `lastLayerDocument`, what HTTP's Workload-Identity-Token feeds. */
const NOW = 1_800_000_000;
const TD = 'example.org';
const seed = (label: string): Uint8Array => new Uint8Array(Buffer.from(label.padEnd(32, '.')).subarray(0, 32));
const [issuer, a, b] = ['beside-issuer', 'beside-a', 'beside-b'].map((l) => signingKeyFromSeed(seed(l))) as [ReturnType<typeof signingKeyFromSeed>, ReturnType<typeof signingKeyFromSeed>, ReturnType<typeof signingKeyFromSeed>];
const authority = signingKeyFromSeed(seed('beside-authority'));
const identityA = `spiffe://${TD}/a`;
const freshTrust = () =>
  createTrustBundle({ signers: [{ identity: `spiffe://${TD}/issuer`, key: issuer.publicKey }], authorities: [{ use: 'wit-svid', jwk: exportPublicJwk(authority), trustDomain: TD }] });
const wit = (expiresAt: number) => issueIdentityDocument({ authority, subject: identityA, key: a.publicKey, expiresAt });

async function chain() {
  const root = await issue({ key: issuer, audienceKey: a.publicKey, claims: { iat: NOW, exp: NOW + 600 } });
  const document = await wit(NOW + 3600);
  const token = await extend(root, { key: a, audienceKey: b.publicKey, identityDocument: document, claims: { iat: NOW } });
  return { root, token, document, digest: documentDigest({ wit: document }) };
}
const options = (trust = freshTrust()) => ({ trust, now: NOW + 1, audience: b.publicKey });

describe('the last layer document beside the token (spec §4.6.3)', () => {
  it.each(['jwt', 'cbor'] as const)('left out of the token and given beside it, it verifies (%s form); beside and absent, the layer names what is missing', async (form) => {
    const { token, document, digest } = await chain();
    const bare = encodeToken(token, form, { omitDocuments: [digest] });
    const trust = freshTrust();
    const missing = await verify(bare, options(trust)).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'ERR_DOCUMENT_MISSING', layer: 1 });
    expect((missing as Error).message).toContain(digest);
    const path = await verify(bare, { ...options(trust), lastLayerDocument: { wit: document } });
    expect(path.hops[1]).toMatchObject({ identity: identityA, via: 'identity-document' });
    // Verified beside the token, it is held like any document that verified.
    expect(holdsDocument(trust, digest)).toBe(true);
  });

  it('another WIT beside the token, valid for the same workload and key, is substituted: ERR_DOCUMENT_MISMATCH naming it', async () => {
    const { token, digest } = await chain();
    const other = await wit(NOW + 1800);
    const err = await verify(encodeToken(token, 'jwt', { omitDocuments: [digest] }), { ...options(), lastLayerDocument: { wit: other } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_DOCUMENT_MISMATCH', layer: 1 });
    expect((err as Error).message).toContain(documentDigest({ wit: other }));
    // Held or carried, the named document does not make a substituted one pass.
    const carried = await verify(encodeToken(token, 'jwt'), { ...options(), lastLayerDocument: { wit: other } }).catch((e: unknown) => e);
    expect(carried).toMatchObject({ code: 'ERR_DOCUMENT_MISMATCH', layer: 1 });
  });

  it('the same document in the token and beside it is sent twice: ERR_NONCANONICAL', async () => {
    const { token, document } = await chain();
    for (const form of ['jwt', 'cbor'] as const) {
      await expect(verify(encodeToken(token, form), { ...options(), lastLayerDocument: { wit: document } })).rejects.toMatchObject({ code: 'ERR_NONCANONICAL', layer: 1 });
    }
  });

  it('a last layer that names no document takes none: the one beside is no part of the token', async () => {
    const { root, document } = await chain();
    await expect(verify(encodeToken(root, 'jwt'), { trust: freshTrust(), now: NOW + 1, audience: a.publicKey, lastLayerDocument: { wit: document } })).resolves.toMatchObject({ hops: [{ via: 'trust-bundle' }] });
  });

  it('the option is an identity document', async () => {
    const { token } = await chain();
    for (const bad of ['x.y.z', { wit: 7 }, {}, { x5c: 'x' }]) {
      await expect(verify(encodeToken(token, 'jwt'), { ...options(), lastLayerDocument: bad as never })).rejects.toMatchObject({ code: 'ERR_USAGE' });
    }
  });
});
