import { decodeToken, DEFAULT_LIMITS, documentDigest, NestokenError } from '@nestoken/core';
import { fromCompact } from '@nestoken/crate';
import { describe, expect, it } from 'vitest';
import { nestokenFetch, nestokenHop } from '../src/client.js';
import { tokenHash } from '../src/proof/token-hash.js';
import { accessCrate, bar, foo, gateway, held, hop, NOW, ORIGIN, root } from './fixtures.js';

const lastClaims = (token: string) => decodeToken(token, DEFAULT_LIMITS).token.layers.at(-1)!.claims;
const usage = expect.objectContaining({ code: 'ERR_USAGE' });

describe('nestokenHop', () => {
  it('writes a layer for this request, naming the next hop, and the headers that carry it', async () => {
    const start = await root();
    const crate = await accessCrate(start);
    const sent = await hop(gateway, foo, start, { crate, path: '/a/b', method: 'put' });
    const claims = lastClaims(sent.token);
    expect(claims).toEqual({
      aud: foo.identity,
      iat: NOW,
      cnf: { jkt: foo.key.publicKey.kid },
      data: { http: { method: 'PUT', path: '/a/b' }, crate: crate.root.toString() },
    });
    expect(Object.keys(sent.headers).sort()).toEqual(['Nestoken', 'Nestoken-Crate', 'Workload-Identity-Token', 'Workload-Proof-Token']);
    const [header, payload] = sent.headers['Workload-Proof-Token']!.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p!, 'base64url').toString()));
    // The proof's alg is the WIT's cnf.jwk.alg, which conformant WITs write as Ed25519 (RFC 9864).
    expect(header).toEqual({ alg: 'Ed25519', typ: 'wpt+jwt' });
    expect(payload).toEqual({
      aud: `${ORIGIN}/a/b`,
      exp: NOW + 30,
      jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      oth: { nestoken: tokenHash(sent.token), 'nestoken-crate': tokenHash(sent.headers['Nestoken-Crate']!) },
      wth: tokenHash(gateway.wit!),
    });
    expect(fromCompact(sent.headers['Nestoken-Crate']!).root.toString()).toBe(crate.root.toString());
    expect(sent.headers['Workload-Identity-Token']).toBe(gateway.wit);
  });

  it('sends its WIT once, in Workload-Identity-Token, not in the token; other documents stay, or are left out as asked (spec §11.1)', async () => {
    const atFoo = await hop(gateway, foo, await root());
    // The layer names gateway's WIT; the token leaves it out, so the section is empty.
    const { token } = decodeToken(atFoo.token, DEFAULT_LIMITS);
    expect(token.layers.at(-1)!.header.doc).toBe(documentDigest({ wit: gateway.wit! }));
    expect(token.documents).toBeUndefined();
    expect(atFoo.token).not.toContain('!');
    // foo's hop carries gateway's WIT (the token it holds has it back) but not its own.
    const atBar = await hop(foo, bar, held(atFoo));
    expect(atBar.token.split('!').slice(1)).toEqual([gateway.wit]);
    expect(atBar.headers['Workload-Identity-Token']).toBe(foo.wit);
    // The service holds gateway's WIT: omitDocuments leaves that out too.
    const lean = await nestokenHop(`${ORIGIN}/orders`, 'POST', {
      token: held(atFoo),
      key: foo.key,
      audienceKey: bar.key.publicKey,
      identityDocument: foo.wit!,
      now: () => NOW,
      omitDocuments: [documentDigest({ wit: gateway.wit! })],
    });
    expect(lean.token).not.toContain('!');
    // Without a proof (no key for the WIT, an anonymous link) nothing is beside the token, so nothing is left out.
    const anonymous = await hop(gateway, foo, await root(gateway, 'anon'), { anonymous: true, seal: false });
    expect(anonymous.headers['Workload-Identity-Token']).toBeUndefined();
  });

  it('keeps the caller\'s own data and refuses to overwrite its own members', async () => {
    const token = await root();
    const base = { token, key: gateway.key, audienceKey: foo.key.publicKey, audience: foo.identity };
    const sent = await nestokenHop('http://x/y', 'GET', { ...base, claims: { data: { order: 7 } } });
    expect(lastClaims(sent.token).data).toEqual({ order: 7, http: { method: 'GET', path: '/y' } });
    await expect(nestokenHop('http://x/y', 'GET', { ...base, claims: { data: { http: 1 } } })).rejects.toEqual(usage);
    await expect(nestokenHop('http://x/y', 'GET', { ...base, claims: { data: [1] } })).rejects.toEqual(usage);
    await expect(nestokenHop('http://x/y', 'GET', { ...base, claims: { aud: 'elsewhere' } })).rejects.toEqual(usage);
  });

  it('refuses to sign for a key the token was not handed to', async () => {
    await expect(hop(foo, bar, await root(gateway))).rejects.toEqual(expect.objectContaining({ code: 'ERR_KEY_BINDING' }));
  });

  it('in aggregate chains: anonymous on request, identified otherwise, and always addressed', async () => {
    const open = await root(gateway, 'anon');
    const anonymous = await hop(gateway, foo, open, { anonymous: true });
    expect(decodeToken(anonymous.token, DEFAULT_LIMITS).token.layers.at(-1)!.header.kid).toBeUndefined();
    expect(anonymous.headers['Workload-Identity-Token']).toBeUndefined();
    const identified = await hop(gateway, foo, open);
    expect(decodeToken(identified.token, DEFAULT_LIMITS).token.layers.at(-1)!.header.kid).toBe(gateway.key.publicKey.kid);
    expect(identified.headers['Workload-Identity-Token']).toBe(gateway.wit);
    await expect(nestokenHop('http://x/', 'GET', { token: open })).rejects.toEqual(usage);
  });
});

describe('nestokenFetch', () => {
  it('sends the headers through the given fetch, beside the caller\'s own', async () => {
    const seen: Array<{ url: string; init: RequestInit | undefined }> = [];
    const fake: typeof fetch = async (url, init) => {
      seen.push({ url: String(url), init });
      return new Response('ok');
    };
    const response = await nestokenFetch('http://127.0.0.1:1/orders', { method: 'POST', headers: { 'x-trace': '1', nestoken: 'stale' } }, {
      token: await root(),
      key: gateway.key,
      audienceKey: foo.key.publicKey,
      audience: foo.identity,
      fetch: fake,
    });
    expect(await response.text()).toBe('ok');
    const headers = new Headers(seen[0]!.init!.headers);
    expect(headers.get('x-trace')).toBe('1');
    expect(lastClaims(headers.get('nestoken')!).data).toEqual({ http: { method: 'POST', path: '/orders' } });
  });

  it('fails before sending anything when the hop cannot be signed', async () => {
    let called = false;
    const fake: typeof fetch = async () => {
      called = true;
      return new Response('');
    };
    await expect(nestokenFetch('http://x/', undefined, { token: 'garbage', key: gateway.key, fetch: fake })).rejects.toBeInstanceOf(NestokenError);
    expect(called).toBe(false);
  });
});
