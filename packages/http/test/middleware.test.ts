import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NestokenError } from '@nestoken/core';
import { nestokenMiddleware, sendNestokenError, withNestoken, type NestokenRequest } from '../src/middleware.js';
import { serve, type Running } from './support/serve.js';
import { barOptions, chainToBar, foo, gateway, type HopExtra } from './fixtures.js';

/** What the handler saw, answered as JSON so the test reads it over real HTTP. */
const echo = (req: NestokenRequest, res: ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ route: req.nestoken.path.hops.map((h) => h.identity), caller: req.nestoken.caller?.identity }));
};

let server: Running;
let strict: Running;
beforeAll(async () => {
  server = await serve(
    withNestoken(barOptions(), async (req, res) => {
      if (req.url === '/boom') throw new Error('handler bug');
      echo(req, res);
    }),
  );
  strict = await serve(withNestoken(barOptions({ headerLimits: { maxTokenChars: 1024 } }), echo));
});
afterAll(async () => {
  await server.close();
  await strict.close();
});

async function post(base: Running, path: string, headers: Record<string, string>): Promise<{ status: number; body: Record<string, unknown>; auth: string | null }> {
  const r = await fetch(`${base.url}${path}`, { method: 'POST', headers });
  return { status: r.status, body: (await r.json()) as Record<string, unknown>, auth: r.headers.get('www-authenticate') };
}

/** A chain to bar whose last hop is made for the server actually listening. */
const chainTo = (base: Running, extra: Omit<HopExtra, 'crate'> & { crate?: boolean } = {}) => chainToBar({ ...extra, origin: base.url });

describe('withNestoken over HTTP', () => {
  it('lets a valid chain through and hands the proven path to the handler', async () => {
    const sent = await chainTo(server);
    const r = await post(server, '/orders', sent.headers);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ route: ['https://issuer.nestoken.test', gateway.identity, foo.identity], caller: foo.identity });
  });

  it('answers 401 with the code when the header is missing', async () => {
    const r = await post(server, '/orders', {});
    expect(r).toEqual({
      status: 401,
      body: { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'no Nestoken header', code: 'ERR_TOKEN_MISSING' },
      auth: 'Nestoken error="ERR_TOKEN_MISSING", WPT',
    });
  });

  it('answers 401 for an oversized header without decoding it', async () => {
    const r = await post(strict, '/orders', { Nestoken: `${'a'.repeat(1025)}` });
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('ERR_INPUT_TOO_LARGE');
  });

  it('answers 401 for a tampered token, naming the layer at fault', async () => {
    const sent = await chainTo(server);
    // The chain, then its identity documents after `!` (spec §4.1.1).
    const [chain, ...documents] = sent.token.split('!');
    const layers = chain!.split('~');
    const last = layers[2]!;
    // Flip one character of the last layer's signature.
    const flipped = `${last.slice(0, -5)}${last.at(-5) === 'A' ? 'B' : 'A'}${last.slice(-4)}`;
    const r = await post(server, '/orders', { ...sent.headers, Nestoken: [[...layers.slice(0, 2), flipped].join('~'), ...documents].join('!') });
    expect(r.status).toBe(401);
    expect(r.body).toEqual(expect.objectContaining({ code: 'ERR_SIGNATURE_INVALID', layer: 2 }));
  });

  it('answers 500 when the handler fails, and keeps serving', async () => {
    const boom = await post(server, '/boom', (await chainTo(server, { path: '/boom' })).headers);
    expect(boom).toEqual(expect.objectContaining({ status: 500, body: { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'the handler failed', code: 'internal' } }));
    expect((await post(server, '/orders', (await chainTo(server)).headers)).status).toBe(200);
  });
});

describe('nestokenMiddleware', () => {
  it('calls next with req.nestoken set, or answers 401 itself', async () => {
    const use = nestokenMiddleware(barOptions());
    const app = await serve((req, res) => use(req, res, () => echo(req as NestokenRequest, res)));
    try {
      expect((await post(app, '/orders', (await chainTo(app)).headers)).status).toBe(200);
      expect((await post(app, '/orders', { Nestoken: 'x' })).status).toBe(401);
    } finally {
      await app.close();
    }
  });
});

describe('sendNestokenError', () => {
  it('answers problem details: 401 for a refused chain, 400 for a bad proof, 500 and nothing more for anything else', async () => {
    const errors: Record<string, Error> = {
      '/': new NestokenError('ERR_REVOKED', 'banned', { layer: 1 }),
      '/proof': new NestokenError('ERR_PROOF_MISMATCH', 'wth'),
      '/bug': new TypeError('secret detail'),
    };
    const app = await serve((req, res) => sendNestokenError(res, errors[req.url!]));
    try {
      expect(await post(app, '/', {})).toEqual({
        status: 401,
        body: { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'banned', code: 'ERR_REVOKED', layer: 1 },
        auth: 'Nestoken error="ERR_REVOKED", WPT',
      });
      expect(await post(app, '/proof', {})).toEqual({ status: 400, body: expect.objectContaining({ code: 'ERR_PROOF_MISMATCH', status: 400 }), auth: null });
      expect(await post(app, '/bug', {})).toEqual({ status: 500, body: { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'the verifier failed', code: 'internal' }, auth: null });
    } finally {
      await app.close();
    }
  });
});
