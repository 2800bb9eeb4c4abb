import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTrustSource, verifyIdentityDocument, x509Roots } from '../src/index.node.js';
import { rootCertificate } from './x509-fixtures.js';

/** Rotation (spec §5.5): a clock the test moves, a bundle the test replaces; no sleeps. */
const T0 = 1_800_000_000;
const SUB = 'spiffe://example.org/w';

interface Issuer {
  readonly kid: string;
  readonly jwk: Record<string, unknown>;
  readonly key: CryptoKey;
}
async function issuer(kid: string): Promise<Issuer> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { kid, jwk: { ...(await exportJWK(publicKey)), kid, use: 'wit-svid' }, key: privateKey };
}
const cnf = { ...(await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey)), alg: 'ES256' };
const svid = (i: Issuer, now: number) => new SignJWT({ sub: SUB, exp: now + 3600, cnf: { jwk: cnf } }).setProtectedHeader({ alg: 'ES256', kid: i.kid, typ: 'wit+jwt' }).sign(i.key);
const root = (der: Uint8Array) => ({ kty: 'EC', crv: 'P-256', use: 'x509-svid', x5c: [Buffer.from(der).toString('base64')] });
// Roots must be certificates (spec §5.1): two real ones, the old and the new.
const [rootA, rootB] = await Promise.all([rootCertificate('rotation-root-a'), rootCertificate('rotation-root-b')]);

describe('a trust source that rotates (spec §5.5)', () => {
  it('re-reads on the refresh hint, keeps replaced keys and roots for the overlap window, refuses a lower sequence', async () => {
    const [a, b] = await Promise.all([issuer('a'), issuer('b')]);
    let now = T0;
    let served: object = { spiffe_sequence: 1, spiffe_refresh_hint: 60, keys: [a.jwk, root(rootA)] };
    let reads = 0;
    const source = await createTrustSource({ trustDomain: 'example.org', from: { read: async () => (reads++, served) }, overlapSeconds: 120, now: () => now });
    const oldWit = await svid(a, T0);
    expect(source.sequence).toBe(1);
    await expect(verifyIdentityDocument(oldWit, await source.current(), { now, clockSkew: 0 })).resolves.toMatchObject({ identity: SUB });

    // Rotation to b: not read before the hint...
    served = { spiffe_sequence: 2, spiffe_refresh_hint: 60, keys: [b.jwk, root(rootB)] };
    now = T0 + 30;
    await source.current();
    expect([reads, source.sequence]).toEqual([1, 1]);
    // ...read after it; a's key and root stay for the overlap window.
    now = T0 + 61;
    const during = await source.current();
    expect([reads, source.sequence]).toEqual([2, 2]);
    await expect(verifyIdentityDocument(oldWit, during, { now, clockSkew: 0 })).resolves.toMatchObject({ identity: SUB });
    await expect(verifyIdentityDocument(await svid(b, now), during, { now, clockSkew: 0 })).resolves.toMatchObject({ identity: SUB });
    expect(x509Roots(during, 'example.org')).toHaveLength(2);
    // After the window, a is gone.
    now = T0 + 61 + 121;
    served = { spiffe_sequence: 2, spiffe_refresh_hint: 600, keys: [b.jwk, root(rootB)] };
    const after = await source.current();
    await expect(verifyIdentityDocument(oldWit, after, { now, clockSkew: 0 })).rejects.toMatchObject({ code: 'ERR_KEY_UNTRUSTED' });
    expect(x509Roots(after, 'example.org')).toHaveLength(1);

    // A rollback to sequence 1 (a's bundle again) is refused; the bundle in use stays.
    served = { spiffe_sequence: 1, keys: [a.jwk] };
    await expect(source.refresh()).rejects.toMatchObject({ code: 'ERR_TRUST_BUNDLE' });
    expect(source.lastError?.code).toBe('ERR_TRUST_BUNDLE');
    expect(source.sequence).toBe(2);
    await expect(verifyIdentityDocument(oldWit, await source.current(), { now, clockSkew: 0 })).rejects.toMatchObject({ code: 'ERR_KEY_UNTRUSTED' });
  });

  it('reads a URL with the caller fetch, keeps the last good bundle when a read fails, and fails closed when stale', async () => {
    const a = await issuer('a');
    let now = T0;
    let status = 200;
    const fetched: string[] = [];
    const fetch = async (url: string) => {
      fetched.push(url);
      return { ok: status === 200, status, text: async () => JSON.stringify({ spiffe_sequence: 5, spiffe_refresh_hint: 10, keys: [a.jwk] }) };
    };
    const source = await createTrustSource({ trustDomain: 'example.org', from: { url: 'https://bundle.example.org/', fetch }, maxStaleSeconds: 100, now: () => now });
    expect(fetched).toEqual(['https://bundle.example.org/']);
    status = 503;
    now = T0 + 20;
    const kept = await source.current();
    expect(kept.authorities).toHaveLength(1);
    expect(source.lastError?.code).toBe('ERR_TRUST_BUNDLE');
    now = T0 + 101;
    await expect(source.current()).rejects.toMatchObject({ code: 'ERR_TRUST_BUNDLE' });
    status = 200;
    await source.refresh();
    await expect(source.current()).resolves.toBe(await source.current());
  });

  it('fails with codes on a bad first read, bad options and a read that never answers', async () => {
    await expect(createTrustSource({ trustDomain: 'example.org', from: { read: async () => 'not json' } })).rejects.toMatchObject({ code: 'ERR_TRUST_BUNDLE' });
    await expect(createTrustSource({ trustDomain: 'example.org', from: { read: async () => { throw new Error('disk on fire'); } } })).rejects.toMatchObject({ code: 'ERR_TRUST_BUNDLE' });
    await expect(createTrustSource({ trustDomain: 'Example.org', from: { read: async () => ({ keys: [] }) } })).rejects.toMatchObject({ code: 'ERR_USAGE' });
    await expect(createTrustSource(null as never)).rejects.toMatchObject({ code: 'ERR_USAGE' });
    await expect(createTrustSource({ trustDomain: 'example.org', timeoutMs: 1, from: { read: () => new Promise(() => undefined) } })).rejects.toMatchObject({ code: 'ERR_TRUST_BUNDLE' });
  });
});
