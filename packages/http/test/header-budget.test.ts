import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createTrustBundle,
  documentDigest,
  encodeToken,
  exportPublicJwk,
  extend,
  issue,
  issueIdentityDocument,
  signingKeyFromSeed,
  verify,
  type LayerFormat,
  type SigningKey,
  type Token,
  type TrustBundle,
} from '@nestoken/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519CaKeys, mintSvidChain } from '../../vectors/src/x509-svid-mint.js';
import { NESTOKEN_HEADER, WORKLOAD_IDENTITY_TOKEN_HEADER } from '../src/headers.js';

/**
 * Issue 16's target: a 16-hop chain in which every hop's key comes from an identity document
 * travels in the headers of one request to a Node HTTP server with default settings (16 KiB
 * for all headers together), token and documents included, because each document travels once
 * (spec §4.6). Over 127.0.0.1, measured, not assumed: the figures are printed for the closing note.
 */
const NOW = 1_800_000_000;
const HOPS = 16;
const TD = 'example.org';
const seed = (label: string): Uint8Array => new Uint8Array(Buffer.from(label.padEnd(32, '.')).subarray(0, 32));
const keys: SigningKey[] = Array.from({ length: HOPS + 1 }, (_, i) => signingKeyFromSeed(seed(`header-budget-${i}`)));
const identity = (i: number): string => `spiffe://${TD}/svc-${i}`;
const authority = signingKeyFromSeed(seed('header-budget-authority'));

/** The facts of the bench's realistic story, with the HTTP binding's request data (spec §11.2). */
const claimsOf = (i: number) =>
  i === 0
    ? { iss: identity(0), sub: 'alice@example.com', aud: identity(1), iat: NOW, exp: NOW + 600, jti: 'r-7f3a9c1e', data: { scope: 'orders:read', http: { method: 'GET', path: '/orders/1' } } }
    : { iss: identity(i), aud: identity(i + 1), iat: NOW + i, data: { op: 'read', hop: i, http: { method: 'GET', path: `/svc-${i + 1}/orders/1` } } };

async function chainOf(document: (i: number) => Promise<{ identityDocument: string } | { x509Chain: readonly Uint8Array[] }>, format: LayerFormat): Promise<Token> {
  let t = await issue({ key: keys[0]!, audienceKey: keys[1]!.publicKey, format, claims: claimsOf(0), ...(await document(0)) });
  for (let i = 1; i < HOPS; i++) t = await extend(t, { key: keys[i]!, audienceKey: keys[i + 1]!.publicKey, format, claims: claimsOf(i), ...(await document(i)) });
  return t;
}

interface Received {
  readonly status: number;
  readonly hops: number;
  /** Bytes of the header block as the server received it: every `name: value\r\n`. */
  readonly headerBytes: number;
  /** The verifier's code when it refused. */
  readonly error?: string;
}

let server: Server;
let port: number;
let trust: TrustBundle;

/** A Node server with default settings; it verifies the chain in `Nestoken` as the last hop's receiver. */
beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    const raw = req.rawHeaders;
    let headerBytes = 0;
    for (let i = 0; i < raw.length; i += 2) headerBytes += Buffer.byteLength(`${raw[i]}: ${raw[i + 1]}\r\n`);
    // As the HTTP binding does (spec §11.1): the WIT of Workload-Identity-Token is the last layer's document.
    const wit = req.headers[WORKLOAD_IDENTITY_TOKEN_HEADER.toLowerCase()];
    const beside = typeof wit === 'string' ? { lastLayerDocument: { wit } } : {};
    verify(String(req.headers[NESTOKEN_HEADER.toLowerCase()]), { trust, now: NOW + 60, audience: keys[HOPS]!.publicKey, issuers: [identity(0)], ...beside }).then(
      (path) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ hops: path.hops.length, headerBytes })),
      (e: unknown) => res.writeHead(401).end(JSON.stringify({ error: (e as { code?: string }).code, headerBytes })),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function send(headers: Record<string, string>): Promise<Received> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/orders/1', method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        const parsed = body === '' ? {} : (JSON.parse(body) as { hops?: number; headerBytes?: number; error?: string });
        resolve({ status: res.statusCode!, hops: parsed.hops ?? 0, headerBytes: parsed.headerBytes ?? 0, ...(parsed.error ? { error: parsed.error } : {}) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a 16-hop chain with an identity document per hop fits the headers of a default Node server (issue 16)', () => {
  it.each(['jwt', 'cbor'] as const)('every key from a WIT, %s layers, JWT form: accepted', async (format) => {
    trust = createTrustBundle({ authorities: [{ use: 'wit-svid', jwk: exportPublicJwk(authority), trustDomain: TD }] });
    const wits = await Promise.all(keys.slice(0, HOPS).map((k, i) => issueIdentityDocument({ authority, subject: identity(i), key: k.publicKey, expiresAt: NOW + 3600 })));
    const chain = await chainOf(async (i) => ({ identityDocument: wits[i]! }), format);
    const last = wits[HOPS - 1]!;
    // The last hop's WIT travels in Workload-Identity-Token, which the proof needs, and so not in the token.
    const token = encodeToken(chain, 'jwt', { omitDocuments: [documentDigest({ wit: last })] });
    const received = await send({ [NESTOKEN_HEADER]: token, [WORKLOAD_IDENTITY_TOKEN_HEADER]: last });
    expect(received).toMatchObject({ status: 200, hops: HOPS });
    expect(received.headerBytes).toBeLessThan(16 * 1024);
    // In both places, as before the rule: one WIT more on the wire, and refused.
    const both = await send({ [NESTOKEN_HEADER]: encodeToken(chain, 'jwt'), [WORKLOAD_IDENTITY_TOKEN_HEADER]: last });
    expect(both).toMatchObject({ status: 401, error: 'ERR_NONCANONICAL' });
    expect(both.headerBytes - received.headerBytes).toBe(last.length + 1);
    console.log(
      `[issue 16] ${HOPS} hops, WIT per hop, ${format} layers: Nestoken ${token.length} B (${wits[0]!.length} B per WIT, each once), all headers ${received.headerBytes} B (${both.headerBytes} B with the last WIT in the token too)`,
    );
  });

  it.each([
    ['root -> leaf', 0],
    ['root -> intermediate -> leaf', 1],
  ] as const)('every key from an X.509-SVID (%s), cbor layers, JWT form: measured, accepted when it fits', async (shape, intermediates) => {
    const root = await ed25519CaKeys(seed('header-budget-root'));
    const intermediate = await ed25519CaKeys(seed('header-budget-intermediate'));
    const chains = await Promise.all(
      keys.slice(0, HOPS).map((k, i) =>
        mintSvidChain({ trustDomain: TD, leafKey: k.publicKey.bytes, uris: [identity(i)], root, intermediates: intermediates ? [intermediate] : [], notBefore: NOW - 3600, notAfter: NOW + 3600 }),
      ),
    );
    trust = createTrustBundle({ domains: [{ trustDomain: TD, x509Roots: [chains[0]!.root] }] });
    const token = encodeToken(await chainOf(async (i) => ({ x509Chain: chains[i]!.chain }), 'cbor'), 'jwt');
    const received = await send({ [NESTOKEN_HEADER]: token });
    const der = chains.reduce((n, c) => n + c.chain.reduce((m, d) => m + d.length, 0), 0);
    console.log(`[issue 16] ${HOPS} hops, X.509-SVID (${shape}) per hop: Nestoken ${token.length} B (${der} B of DER), all headers ${received.headerBytes || 'refused by the server'}${received.headerBytes ? ' B' : ''}`);
    if (intermediates === 0) {
      expect(received).toMatchObject({ status: 200, hops: HOPS });
      expect(received.headerBytes).toBeLessThan(16 * 1024);
    } else {
      // A chain is one document, so each hop's intermediate travels with its leaf: beyond 16 KiB here.
      expect(token.length > 16 * 1024 ? received.status === 431 : received.status === 200).toBe(true);
    }
  });
});

describe('a document the service holds may be left out of the token (spec §4.6.3)', () => {
  it('after one request that carried it; a service that lacks it names it', async () => {
    trust = createTrustBundle({ authorities: [{ use: 'wit-svid', jwk: exportPublicJwk(authority), trustDomain: TD }] });
    const wits = await Promise.all(keys.slice(0, HOPS).map((k, i) => issueIdentityDocument({ authority, subject: identity(i), key: k.publicKey, expiresAt: NOW + 3600 })));
    const token = await chainOf(async (i) => ({ identityDocument: wits[i]! }), 'cbor');
    const digests = [...token.documents!.keys()];
    const bare = encodeToken(token, 'jwt', { omitDocuments: digests });
    const first = await send({ [NESTOKEN_HEADER]: bare });
    expect(first).toMatchObject({ status: 401, error: 'ERR_DOCUMENT_MISSING' });
    const full = await send({ [NESTOKEN_HEADER]: encodeToken(token, 'jwt') });
    expect(full.status).toBe(200);
    const again = await send({ [NESTOKEN_HEADER]: bare });
    expect(again).toMatchObject({ status: 200, hops: HOPS });
    console.log(`[issue 16] the same 16 hops with every WIT held by the service: all headers ${again.headerBytes} B (${full.headerBytes} B with the documents)`);
  });
});
