import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeToken, verify } from '@nestoken/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpStatusListFetch, STATUS, statusListRevocation } from '../src/index.node.js';
import { NOW, trust, verifierOf } from './fixtures.js';

/** A status provider on 127.0.0.1 that serves whatever list the test last published, and counts requests. */
let server: Server;
let base = '';
let published: string | Uint8Array | undefined;
let requests = 0;
let up = true;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    if (!up || published === undefined) {
      res.writeHead(503).end();
      return;
    }
    const cwt = published instanceof Uint8Array;
    res.writeHead(200, { 'content-type': cwt ? 'application/statuslist+cwt' : 'application/statuslist+jwt' }).end(published);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const codeOf = async (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'VALID',
    (e: { code?: string }) => String(e.code),
  );

describe('a verifier resolving statuses over HTTP', () => {
  it('fetches the list once for many requests, picks up a ban after ttl, and fails closed when the list cannot be fetched', async () => {
    const uri = `${base}/lists/1`;
    // The fixtures sign lists for LIST_URI; this provider publishes under its own URI.
    const { StatusList, signStatusListJwt } = await import('../src/index.node.js');
    const { lister } = await import('./fixtures.js');
    const publish = async (values: Record<number, number>, iat: number) => {
      const list = StatusList.create(2, 64);
      for (const [i, v] of Object.entries(values)) list.set(Number(i), v);
      published = await signStatusListJwt({ list, uri, key: lister, iat, ttl: 60 });
    };
    let clock = NOW;
    const source = statusListRevocation({ fetch: httpStatusListFetch(), trust, ttl: 600, now: () => clock });
    // A chain whose layers name entries of the list this provider publishes.
    const { extend, issue } = await import('@nestoken/core');
    const { keys, identity } = await import('./fixtures.js');
    let t = await issue({ key: keys[0]!, audienceKey: keys[1]!.publicKey, claims: { iss: identity(0), exp: NOW + 7200, status: { status_list: { idx: 0, uri } } } });
    t = await extend(t, { key: keys[1]!, audienceKey: keys[2]!.publicKey, format: 'cbor', claims: { status: { status_list: { idx: 1, uri } } } });
    const wire = encodeToken(t, 'jwt');
    const check = () => codeOf(verify(wire, { ...verifierOf(2), now: clock, isRevoked: source }));

    await publish({}, NOW);
    const answers = await Promise.all(Array.from({ length: 40 }, check));
    expect(new Set(answers)).toEqual(new Set(['VALID']));
    for (let i = 0; i < 10; i++) expect(await check()).toBe('VALID');
    expect(requests).toBe(1);

    // The issuer bans layer 1; within the list's ttl (60 s, shorter than the source's 600 s) the cached list still answers.
    await publish({ 1: STATUS.INVALID }, NOW + 30);
    clock = NOW + 59;
    expect(await check()).toBe('VALID');
    expect(requests).toBe(1);
    clock = NOW + 61;
    expect(await check()).toBe('ERR_STATUS_INVALID');
    expect(requests).toBe(2);

    // The provider goes down: once the list's time is up, the verifier refuses (fail closed).
    up = false;
    clock = NOW + 125;
    expect(await check()).toBe('ERR_STATUS_UNAVAILABLE');
    expect(requests).toBe(3);
    // ... and does not hammer the provider: the failure is remembered for `retryAfter` seconds.
    expect(await check()).toBe('ERR_STATUS_UNAVAILABLE');
    expect(requests).toBe(3);
    expect(source.stats).toEqual({ fetches: 3, failures: 1 });
  });

  it('serves a stale list only when told to, and only within the stated bound', async () => {
    const uri = `${base}/lists/2`;
    const { StatusList, signStatusListCwt } = await import('../src/index.node.js');
    const { lister, keys, identity } = await import('./fixtures.js');
    const { issue } = await import('@nestoken/core');
    const list = StatusList.create(1, 16);
    published = await signStatusListCwt({ list, uri, key: lister, iat: NOW, ttl: 60 });
    up = true;
    let clock = NOW;
    const stale = statusListRevocation({ fetch: httpStatusListFetch(), trust, now: () => clock, onStale: { serveStaleFor: 120 }, retryAfter: 1 });
    const t = await issue({ key: keys[0]!, audienceKey: keys[1]!.publicKey, format: 'cbor', claims: { iss: identity(0), exp: NOW + 7200, status: { status_list: { idx: 3, uri } } } });
    const check = () => codeOf(verify(encodeToken(t, 'cbor'), { ...verifierOf(1), now: clock, isRevoked: stale }));
    expect(await check()).toBe('VALID');
    up = false;
    clock = NOW + 60 + 119;
    expect(await check()).toBe('VALID');
    clock = NOW + 60 + 121;
    expect(await check()).toBe('ERR_STATUS_UNAVAILABLE');
  });

  it('an answer that is not a status list media type, or too large, is refused', async () => {
    const fetchOf = (type: string, body: string) => async () => new Response(body, { status: 200, headers: { 'content-type': type } });
    await expect(httpStatusListFetch(fetchOf('text/html', 'x'))('https://x.example/l')).rejects.toMatchObject({ code: 'ERR_STATUS_UNAVAILABLE' });
    await expect(httpStatusListFetch(fetchOf('application/statuslist+jwt', 'x'.repeat(100)), { maxBytes: 10 })('https://x.example/l')).rejects.toMatchObject({ code: 'ERR_INPUT_TOO_LARGE' });
    const slow = statusListRevocation({ fetch: () => new Promise(() => {}), trust, timeoutMs: 20, now: () => NOW });
    await expect(slow({ index: 0, digest: 'd', issuer: 'i', status: { status_list: { idx: 0, uri: 'https://x.example/l' } } })).rejects.toMatchObject({ code: 'ERR_STATUS_UNAVAILABLE' });
    expect(() => statusListRevocation({ fetch: async () => '', trust, tll: 5 } as never)).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
  });
});
