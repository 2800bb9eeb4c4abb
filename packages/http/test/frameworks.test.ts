import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastifyNestoken, nestokenAttributes, problemResponse, verifyFetchRequest, withNestokenFetch, type NestokenContext } from '../src/index.js';
import { barOptions, chainToBar, foo, gateway } from './fixtures.js';

/** A Hono app as one would write it: a middleware that verifies, a route that reads the proven path. */
function honoApp(seen: unknown[]) {
  const options = barOptions({ onError: (e) => seen.push(e) });
  const app = new Hono<{ Variables: { nestoken: NestokenContext } }>();
  app.use('*', async (c, next) => {
    try {
      c.set('nestoken', await verifyFetchRequest(c.req.raw, options));
    } catch (e) {
      options.onError!(e, c.req.raw);
      return problemResponse(e);
    }
    await next();
  });
  app.post('/orders', (c) => c.json({ hops: c.get('nestoken').path.hops.map((h) => h.identity), attributes: nestokenAttributes(c.get('nestoken')) }));
  return app;
}

let honoUrl: string;
let fastifyUrl: string;
const honoErrors: unknown[] = [];
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  const hono = createAdaptorServer({ fetch: honoApp(honoErrors).fetch }).listen(0, '127.0.0.1');
  await once(hono, 'listening');
  honoUrl = `http://127.0.0.1:${(hono.address() as AddressInfo).port}`;
  closers.push(() => new Promise((r) => hono.close(r)));

  const fastify = Fastify();
  await fastify.register(fastifyNestoken, barOptions());
  fastify.post('/orders', async (request) => ({ caller: (request as unknown as { nestoken: NestokenContext }).nestoken.caller?.identity }));
  fastifyUrl = await fastify.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => fastify.close());
});
afterAll(async () => {
  for (const close of closers) await close();
});

describe('Fetch API handler in a real Hono app, called with Node fetch over loopback', () => {
  it('accepts the chain made for it and offers the proven path as trace attributes', async () => {
    const sent = await chainToBar({ origin: honoUrl });
    const r = await fetch(`${honoUrl}/orders`, { method: 'POST', headers: sent.headers });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { hops: string[]; attributes: Record<string, unknown> };
    expect(body.hops).toEqual(['https://issuer.nestoken.test', gateway.identity, foo.identity]);
    expect(body.attributes).toEqual(expect.objectContaining({ 'nestoken.chain.mode': 'id', 'nestoken.chain.length': 3, 'nestoken.caller.identity': foo.identity }));
  });

  it('answers problem details: 401 without credentials, 400 for a proof replayed', async () => {
    const none = await fetch(`${honoUrl}/orders`, { method: 'POST' });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toBe('application/problem+json');
    expect(await none.json()).toEqual(expect.objectContaining({ status: 401, code: 'ERR_TOKEN_MISSING' }));
    const sent = await chainToBar({ origin: honoUrl });
    expect((await fetch(`${honoUrl}/orders`, { method: 'POST', headers: sent.headers })).status).toBe(200);
    const again = await fetch(`${honoUrl}/orders`, { method: 'POST', headers: sent.headers });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual(expect.objectContaining({ code: 'ERR_PROOF_REPLAYED' }));
    expect(honoErrors.length).toBeGreaterThanOrEqual(2);
  });

  it('runs as a bare fetch handler too (Workers, Deno, Bun)', async () => {
    const handler = withNestokenFetch(barOptions(), (_req, ctx) => Response.json({ caller: ctx.caller?.identity }));
    const sent = await chainToBar({ origin: 'https://bar.example' });
    const ok = await handler(new Request('https://bar.example/orders', { method: 'POST', headers: sent.headers }));
    expect(await ok.json()).toEqual({ caller: foo.identity });
    const joined = new Headers(sent.headers);
    joined.append('Nestoken', sent.token);
    const twice = await handler(new Request('https://bar.example/orders', { method: 'POST', headers: joined }));
    expect(await twice.json()).toEqual(expect.objectContaining({ code: 'ERR_MALFORMED' }));
  });
});

describe('Fastify plugin in a real Fastify server', () => {
  it('decorates the request with the proven caller, refuses with problem details', async () => {
    const sent = await chainToBar({ origin: fastifyUrl });
    const ok = await fetch(`${fastifyUrl}/orders`, { method: 'POST', headers: sent.headers });
    expect(await ok.json()).toEqual({ caller: foo.identity });
    const wrongRoute = await chainToBar({ origin: fastifyUrl, method: 'DELETE' });
    const refused = await fetch(`${fastifyUrl}/orders`, { method: 'POST', headers: wrongRoute.headers });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual(expect.objectContaining({ code: 'ERR_REQUEST_MISMATCH', layer: 2 }));
  });
});
