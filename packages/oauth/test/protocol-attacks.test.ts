import fc from 'fast-check';
import { base64url, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { encodeToken, extend, NestokenError, type ProvenPath } from '@nestoken/core';
import * as oauth from '../src/index.js';
import { bindingClaims, checkTxnBinding, parseTxnTokenRequest, toActClaim, txnTokenHash, txnTokenRequestBody, verifyTxnToken, ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT, TXN_TOKEN_TYPE } from '../src/index.js';
import { NOW, oauthWorld, TRUST_DOMAIN } from './world.js';

/**
 * Each attack of the adversarial review of issue #14 as one row: a Txn-Token, a binding or a token
 * request an attacker controls, and the stable code (or RFC 6749 error) it must meet.
 */
const codeOf = (p: Promise<unknown> | (() => unknown)) =>
  Promise.resolve()
    .then(typeof p === 'function' ? p : () => p)
    .then(
      () => 'VALID',
      (e: unknown) => (e instanceof NestokenError ? e.code : `RAW ${String(e)}`),
    );

const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
const publicJwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
const keys = { keys: [publicJwk] };
const enc = (s: string) => base64url.encode(new TextEncoder().encode(s));
const CLAIMS = { iat: NOW, exp: NOW + 60, aud: TRUST_DOMAIN, txn: 't-1', sub: 's', scope: 'x', req_wl: 'w' };
const HEADER = { alg: 'ES256', typ: 'txntoken+jwt', kid: 'k1' };

/** Signs the exact header and payload text given (WebCrypto ES256 gives the JWS r||s form): no library normalizes the attack away. */
async function signText(header: string, payload: string): Promise<string> {
  const input = `${enc(header)}.${enc(payload)}`;
  const sig = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, new TextEncoder().encode(input)));
  return `${input}.${base64url.encode(sig)}`;
}
const sign = (header: Record<string, unknown> = HEADER, claims: Record<string, unknown> = CLAIMS) => signText(JSON.stringify(header), JSON.stringify(claims));
const check = (token: string, extra: Record<string, unknown> = {}) => codeOf(verifyTxnToken(token, { keys, trustDomain: TRUST_DOMAIN, now: NOW, ...extra }));

async function hmac(header: Record<string, unknown>, secret: Uint8Array): Promise<string> {
  const input = `${enc(JSON.stringify(header))}.${enc(JSON.stringify(CLAIMS))}`;
  const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return `${input}.${base64url.encode(new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input))))}`;
}

describe('Txn-Token verification refuses each protocol attack with its code (spec §12.2)', () => {
  it('the untouched token verifies', async () => {
    expect(await check(await sign())).toBe('VALID');
  });

  it.each([
    ['alg none, no signature', async () => `${enc(JSON.stringify({ ...HEADER, alg: 'none' }))}.${enc(JSON.stringify(CLAIMS))}.`, 'ERR_TXN_TOKEN_INVALID'],
    ['HS256 keyed with the public JWK text', async () => hmac({ ...HEADER, alg: 'HS256' }, new TextEncoder().encode(JSON.stringify(publicJwk))), 'ERR_TXN_TOKEN_INVALID'],
    ['HS256 keyed with the public x coordinate', async () => hmac({ ...HEADER, alg: 'HS256' }, base64url.decode(publicJwk.x!)), 'ERR_TXN_TOKEN_INVALID'],
    ['an unknown critical header', async () => sign({ ...HEADER, crit: ['exp-hint'], 'exp-hint': 1 }), 'ERR_TXN_TOKEN_INVALID'],
    ['a repeated header member', async () => signText('{"alg":"ES256","typ":"txntoken+jwt","kid":"k1","kid":"k2"}', JSON.stringify(CLAIMS)), 'ERR_DUPLICATE_KEY'],
    ['a repeated payload member', async () => signText(JSON.stringify(HEADER), JSON.stringify(CLAIMS).replace('"sub":"s"', '"sub":"s","sub":"admin"')), 'ERR_DUPLICATE_KEY'],
    ['typ JWT', async () => sign({ ...HEADER, typ: 'JWT' }), 'ERR_TXN_TOKEN_INVALID'],
    ['no kid', async () => sign({ alg: 'ES256', typ: 'txntoken+jwt' }), 'ERR_TXN_TOKEN_INVALID'],
    ['an unknown kid', async () => sign({ ...HEADER, kid: 'k9' }), 'ERR_TXN_TOKEN_INVALID'],
    ['expired beyond the skew', async () => sign(HEADER, { ...CLAIMS, iat: NOW - 600, exp: NOW - 61 }), 'ERR_TXN_TOKEN_INVALID'],
    ['iat in the future beyond the skew', async () => sign(HEADER, { ...CLAIMS, iat: NOW + 61, exp: NOW + 600 }), 'ERR_TXN_TOKEN_INVALID'],
    ['exp before iat', async () => sign(HEADER, { ...CLAIMS, iat: NOW, exp: NOW - 1 }), 'ERR_TXN_TOKEN_INVALID'],
    ['iat beyond 2^53', async () => signText(JSON.stringify(HEADER), JSON.stringify(CLAIMS).replace(`"iat":${NOW}`, '"iat":9007199254740993')), 'ERR_TXN_TOKEN_INVALID'],
    ['aud of another trust domain', async () => sign(HEADER, { ...CLAIMS, aud: 'other.example' }), 'ERR_TXN_TOKEN_AUDIENCE'],
    ['aud an empty array', async () => sign(HEADER, { ...CLAIMS, aud: [] }), 'ERR_TXN_TOKEN_INVALID'],
    ['tctx not an object', async () => sign(HEADER, { ...CLAIMS, tctx: [1] }), 'ERR_TXN_TOKEN_INVALID'],
    ['tctx nested 40 deep', async () => signText(JSON.stringify(HEADER), JSON.stringify({ ...CLAIMS, tctx: {} }).replace('"tctx":{}', `"tctx":${'{"a":'.repeat(40)}1${'}'.repeat(40)}`)), 'ERR_LIMIT_EXCEEDED'],
    ['rctx with a lone surrogate', async () => signText(JSON.stringify(HEADER), JSON.stringify({ ...CLAIMS, rctx: { ip: 'x' } }).replace('"x"', '"\\ud800"')), 'ERR_TXN_TOKEN_INVALID'],
    ['a payload that is not UTF-8', async () => `${enc(JSON.stringify(HEADER))}.${base64url.encode(new Uint8Array([0x7b, 0xff, 0x7d]))}.AAAA`, 'ERR_TXN_TOKEN_INVALID'],
    ['white space added around the token', async () => ` ${await sign()}`, 'ERR_TXN_TOKEN_INVALID'],
    ['a JWE-shaped token (five segments)', async () => `${await sign()}.AAAA.BBBB`, 'ERR_TXN_TOKEN_INVALID'],
    ['a signature of another token', async () => (await sign()).replace(/\.[^.]+$/, `.${(await sign(HEADER, { ...CLAIMS, txn: 't-2' })).split('.')[2]}`), 'ERR_TXN_TOKEN_INVALID'],
  ] as const)('%s', async (_, make, code) => {
    expect(await check(await make())).toBe(code);
  });

  it('options are checked at the boundary: unknown keys, wrong types, weakening algorithms are ERR_USAGE', async () => {
    const token = await sign();
    expect(await check(token, { trustDomian: TRUST_DOMAIN })).toBe('ERR_USAGE');
    expect(await check(token, { algorithms: ['none'] })).toBe('ERR_USAGE');
    expect(await check(token, { algorithms: ['HS256'] })).toBe('ERR_USAGE');
    expect(await check(token, { clockSkew: 1e9 })).toBe('ERR_USAGE');
    expect(await check(token, { maxLength: -1 })).toBe('ERR_USAGE');
    expect(await codeOf(verifyTxnToken(token, { keys: { keys: 'x' } as never, trustDomain: TRUST_DOMAIN }))).toBe('ERR_USAGE');
    expect(await codeOf(verifyTxnToken(42 as never, { keys, trustDomain: TRUST_DOMAIN }))).toBe('ERR_USAGE');
    expect(await codeOf(verifyTxnToken(token, null as never))).toBe('ERR_USAGE');
  });
});

/** A proven path by hand: the binding rules look only at identities and claims. */
const hop = (index: number, identity: string, claims: Record<string, unknown>) => ({ index, identity, anonymous: false, via: 'trust-bundle', format: 'jwt', digest: 'd', claims });
const pathOf = (...hops: ReturnType<typeof hop>[]) => ({ mode: 'id', form: 'jwt', issuer: hops[0]!.identity, hops, expiresAt: NOW + 60, sealed: false }) as unknown as ProvenPath;
const TTS = 'spiffe://td/tts';

describe('binding attacks (spec §12.3)', () => {
  it('a binding only on a later layer, a rebinding by another workload, a white-space-altered Txn-Token, another txn', async () => {
    const token = await sign();
    const claims = await verifyTxnToken(token, { keys, trustDomain: TRUST_DOMAIN, now: NOW });
    const bound = bindingClaims(token, 't-1');
    const run = (p: ProvenPath, t = token) => codeOf(() => checkTxnBinding(p, t, claims));
    expect(await run(pathOf(hop(0, TTS, bound), hop(1, 'spiffe://td/a', {})))).toBe('VALID');
    expect(await run(pathOf(hop(0, TTS, {}), hop(1, TTS, bound)))).toBe('ERR_TXN_TOKEN_MISMATCH'); // bound at a non-root layer only
    expect(await run(pathOf(hop(0, TTS, bound), hop(1, 'spiffe://td/a', bound)))).toBe('ERR_TXN_TOKEN_MISMATCH'); // rebinding by another workload
    expect(await run(pathOf(hop(0, TTS, bound)), `${token}\n`)).toBe('ERR_TXN_TOKEN_MISMATCH'); // other bytes, same JWS
    expect(await run(pathOf(hop(0, TTS, { ...bound, txn: 't-2' })))).toBe('ERR_TXN_MISMATCH');
    expect(await run(pathOf(hop(0, TTS, bound), hop(1, 'spiffe://td/a', { txn: 't-2' })))).toBe('ERR_TXN_MISMATCH');
    // tth is over the exact text: no trimming, no re-serialization.
    expect(txnTokenHash(token)).not.toBe(txnTokenHash(` ${token}`));
  });

  it('the act export refuses a path deeper than any verified chain (128 hops) instead of nesting without bound', async () => {
    const deep = pathOf(...Array.from({ length: 129 }, (_, i) => hop(i, `spiffe://td/${i}`, {})));
    expect(await codeOf(() => toActClaim(deep))).toBe('ERR_USAGE');
    const ok = pathOf(...Array.from({ length: 128 }, (_, i) => hop(i, `spiffe://td/${i}`, {})));
    let depth = 0;
    for (let a: oauth.ActClaim | undefined = toActClaim(ok); a; a = a.act) depth++;
    expect(depth).toBe(128);
  });
});

describe('token exchange attacks (RFC 8693, RFC 6749 §5.2)', async () => {
  const w = await oauthWorld();
  const form = (overrides: Record<string, string | string[]> = {}) => {
    const f = txnTokenRequestBody({ audience: TRUST_DOMAIN, scope: 'trade.stocks', subjectToken: 'eyJhbGciOiJFUzI1NiIsImtpZC-e', subjectTokenType: ACCESS_TOKEN_TYPE });
    for (const [k, v] of Object.entries(overrides)) {
      f.delete(k);
      for (const x of [v].flat()) f.append(k, x);
    }
    return f.toString();
  };
  const post = async (body: string, service = w.tts) => {
    const a = await service.handle('POST', { 'content-type': 'application/x-www-form-urlencoded' }, new TextEncoder().encode(body));
    expect(a.body).not.toContain('    at '); // never a stack trace
    return { status: a.status, error: (JSON.parse(a.body) as { error?: string }).error };
  };

  it.each([
    ['a duplicated subject_token', { subject_token: ['eyJhbGciOiJFUzI1NiIsImtpZC-e', 'other'] }, 'invalid_request'],
    ['a duplicated audience', { audience: [TRUST_DOMAIN, 'other.example'] }, 'invalid_request'],
    ['a wrong grant_type', { grant_type: 'client_credentials' }, 'unsupported_grant_type'],
    ['a wrong requested_token_type', { requested_token_type: ACCESS_TOKEN_TYPE }, 'invalid_request'],
    ['an oversized subject_token', { subject_token: `eyJhbGciOiJFUzI1NiIsImtpZC-${'a'.repeat(20_000)}` }, 'invalid_request'],
    ['an unsigned_json subject token by default', { subject_token: '{"sub":"admin","scope":"trade.stocks"}', subject_token_type: 'urn:ietf:params:oauth:token-type:unsigned_json' }, 'invalid_request'],
    ['a request_context nested 40 deep', { request_context: `${'{"a":'.repeat(40)}1${'}'.repeat(40)}` }, 'invalid_request'],
    ['a request_details with a lone surrogate', { request_details: '{"a":"\\udc00"}' }, 'invalid_request'],
    ['a request_context with an integer beyond 2^53', { request_context: '{"n":9007199254740993}' }, 'invalid_request'],
    ['a request_context repeating a member (two parsers, two contexts)', { request_context: '{"role":"reader","role":"admin"}' }, 'invalid_request'],
    ['a request_details repeating a member', { request_details: '{"a":{"b":1,"b":2}}' }, 'invalid_request'],
    ['another trust domain as audience', { audience: 'other.example' }, 'invalid_target'],
  ] as const)('%s', async (_, overrides, error) => {
    expect(await post(form(overrides as Record<string, string | string[]>))).toEqual({ status: 400, error });
  });

  it('thousands of distinct parameter names are refused after a bounded count, not looked up each', async () => {
    const body = Array.from({ length: 5000 }, (_, i) => `p${i}=1`).join('&');
    expect(await post(body)).toEqual({ status: 400, error: 'invalid_request' });
  });

  it('a replacement keeps sub, txn and aud whatever the request says', async () => {
    const first = await w.tts.exchange(parseTxnTokenRequest(new URLSearchParams(form())), { workload: w.identity('gateway'), key: w.keys.gateway.publicKey });
    // The gateway hands its chain back to the service, asking for a replacement that would name another subject.
    const handedBack = encodeToken(await extend(first.nestoken!, { key: w.keys.gateway, audienceKey: w.keys.tts.publicKey, claims: { iss: w.identity('gateway') } }), 'jwt');
    const replacement = new URLSearchParams({ grant_type: TOKEN_EXCHANGE_GRANT, requested_token_type: TXN_TOKEN_TYPE, audience: TRUST_DOMAIN, scope: 'trade.stocks', subject_token: first.access_token, subject_token_type: TXN_TOKEN_TYPE, request_context: '{"sub":"admin","aud":"other.example"}', nestoken: handedBack });
    const again = await w.tts.exchange(parseTxnTokenRequest(replacement), { workload: w.identity('gateway'), key: w.keys.gateway.publicKey });
    const [a, b] = await Promise.all([first, again].map((g) => verifyTxnToken(g.access_token, { keys: w.jwks, trustDomain: TRUST_DOMAIN, now: NOW })));
    expect([b!.sub, b!.txn, b!.aud]).toEqual([a!.sub, a!.txn, a!.aud]);
    expect(b!.rctx).toEqual(a!.rctx); // the context of the transaction is kept too, not replaced by the request's
  });

  it('misuse of the service API is ERR_USAGE: unknown option, wrong types, bad handle arguments', async () => {
    expect(await codeOf(() => w.make({ trustDomian: 'x' } as never))).toBe('ERR_USAGE');
    expect(await codeOf(() => w.make({ lifetime: -5 }))).toBe('ERR_USAGE');
    expect(await codeOf(() => w.make({ hookTimeoutMs: 'soon' as never }))).toBe('ERR_USAGE');
    expect(await codeOf(w.tts.handle('POST', null as never, new Uint8Array()))).toBe('ERR_USAGE');
    expect(await codeOf(w.tts.handle('POST', {}, 'body' as never))).toBe('ERR_USAGE');
    expect(await codeOf(w.tts.exchange({} as never, { workload: 'x' }))).toBe('ERR_USAGE');
    expect(await codeOf(() => parseTxnTokenRequest('grant_type=x' as never))).toBe('ERR_USAGE');
    expect(await codeOf(oauth.requestTxnToken('http://127.0.0.1:1/', { audience: 'a', scope: 's', subjectToken: 't', subjectTokenType: 'x' }, { timeout: 5 } as never))).toBe('ERR_USAGE');
  });

  it('a caller-supplied fetch that never answers (and ignores the signal) is cut off by timeoutMs', async () => {
    const never = () => new Promise<Response>(() => undefined);
    expect(await codeOf(oauth.requestTxnToken('http://tts.example/', { audience: 'a', scope: 's', subjectToken: 't', subjectTokenType: 'x' }, { fetch: never as never, timeoutMs: 20 }))).toBe('ERR_TOKEN_EXCHANGE');
  });
});

describe('every exported function of @nestoken/oauth, given arbitrary arguments, throws only NestokenError', () => {
  const fns = Object.entries(oauth).filter(([, v]) => typeof v === 'function' && !/^[A-Z]/.test(v.name)) as Array<[string, (...a: unknown[]) => unknown]>;
  it.each(fns.map(([name]) => name))('%s', async (name) => {
    const fn = fns.find(([n]) => n === name)![1];
    const arg = fc.oneof(fc.anything({ maxDepth: 3 }), fc.string(), fc.constant(undefined), fc.constant({ hops: [] }), fc.constant(new URLSearchParams('a=1')));
    await fc.assert(
      fc.asyncProperty(fc.array(arg, { maxLength: 3 }), async (args) => {
        // Nothing listens on port 1 of 127.0.0.1: a client call fails fast, never reaching the network beyond.
        const call = name === 'requestTxnToken' ? () => fn('http://127.0.0.1:1/', ...args.slice(1)) : () => fn(...args);
        const code = await codeOf(call);
        expect(code.startsWith('RAW'), `${name}: ${code}`).toBe(false);
      }),
      { numRuns: 40 },
    );
  });
});
