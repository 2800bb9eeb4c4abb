import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extend, NestokenError, type LayerFormat } from '@nestoken/core';
import { checkTxnBinding, verifyTxnToken, OAuthError, toActClaim, toCallChain, txnTokenRequestBody, parseTxnTokenRequest, ACCESS_TOKEN_TYPE, TXN_TOKEN_TYPE, verifyTxnBound, type TxnTokenResponse } from '../src/index.js';
import { NOW, oauthWorld, TRUST_DOMAIN, TTS, type OAuthWorld } from './world.js';

const w: OAuthWorld = await oauthWorld();
const hopNames = ['gateway', 'foo', 'bar'] as const;

/** The gateway's exchange, as the service decides it. */
async function exchange(txn: string, tts = w.make({ newTxn: () => txn })): Promise<TxnTokenResponse> {
  const form = txnTokenRequestBody({ audience: TRUST_DOMAIN, scope: 'trade.stocks', subjectToken: 'eyJhbGciOiJFUzI1NiIsImtpZC-at', subjectTokenType: ACCESS_TOKEN_TYPE, requestDetails: { action: 'BUY' } });
  return tts.exchange(parseTxnTokenRequest(form), { workload: w.identity('gateway'), key: w.keys.gateway.publicKey });
}

/** tts -> gateway -> foo -> bar (-> the verifier), each hop in its chosen format, each hop's claims as given. */
async function chainFrom(root: string, formats: readonly LayerFormat[], extra: (i: number) => Record<string, unknown> = () => ({})): Promise<string> {
  let t: Parameters<typeof extend>[0] = root;
  for (let i = 0; i < formats.length; i++) {
    const next = i + 1 < formats.length ? w.keys[hopNames[i + 1]!] : w.keys.mallory; // the last hop hands it to the verifier
    t = await extend(t, { key: w.keys[hopNames[i]!], audienceKey: next.publicKey, format: formats[i]!, claims: { iss: w.identity(hopNames[i]!), ...extra(i) } });
  }
  const { encodeToken, decodeToken, DEFAULT_LIMITS } = await import('@nestoken/core');
  return encodeToken(typeof t === 'string' ? decodeToken(t, DEFAULT_LIMITS).token : (t as never), 'jwt');
}

const verifyAs = (chain: string, txnToken: string, trustDomain = TRUST_DOMAIN) =>
  verifyTxnBound(chain, txnToken, { chain: { trust: w.trust, now: NOW, audience: w.keys.mallory.publicKey, issuers: [TTS] }, txnToken: { keys: w.jwks, trustDomain } });

const codeOf = (p: Promise<unknown>) => p.then(() => 'VALID', (e: unknown) => (e instanceof NestokenError ? e.code : String(e)));
const formats = fc.array(fc.constantFrom<LayerFormat>('jwt', 'cbor'), { minLength: 3, maxLength: 3 });

describe('a chain bound to a Txn-Token (spec §12.3)', () => {
  it('verifies, returning the Txn-Token claims beside the proven path, in any mix of formats', async () => {
    const g = await exchange('t-1');
    await fc.assert(
      fc.asyncProperty(formats, async (fs) => {
        const { path, txnToken } = await verifyAs(await chainFrom(g.nestoken!, fs), g.access_token);
        expect(txnToken).toMatchObject({ txn: 't-1', aud: TRUST_DOMAIN, req_wl: w.identity('gateway'), tctx: { action: 'BUY' } });
        expect(path.hops[0]!.claims).toMatchObject({ txn: 't-1', iss: TTS });
        expect(toCallChain(path)).toEqual([TTS, ...hopNames.map(w.identity)]);
      }),
      { numRuns: 8 },
    );
  });

  it('a Txn-Token of another transaction swapped in is ERR_TXN_TOKEN_MISMATCH; a hop naming another txn is ERR_TXN_MISMATCH; another trust domain is ERR_TXN_TOKEN_AUDIENCE', async () => {
    const [g1, g2] = [await exchange('t-1'), await exchange('t-2')];
    await fc.assert(
      fc.asyncProperty(formats, fc.nat(2), fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s !== 't-1'), async (fs, at, otherTxn) => {
        const chain = await chainFrom(g1.nestoken!, fs);
        expect(await codeOf(verifyAs(chain, g2.access_token))).toBe('ERR_TXN_TOKEN_MISMATCH');
        const changed = await chainFrom(g1.nestoken!, fs, (i) => (i === at ? { txn: otherTxn } : {}));
        expect(await codeOf(verifyAs(changed, g1.access_token))).toBe('ERR_TXN_MISMATCH');
        // The verifier of another trust domain refuses this domain's Txn-Token.
        expect(await codeOf(verifyAs(chain, g1.access_token, `${otherTxn}.example`))).toBe('ERR_TXN_TOKEN_AUDIENCE');
      }),
      { numRuns: 6 },
    );
  });

  it('a Txn-Token of another trust domain is ERR_TXN_TOKEN_AUDIENCE; a forged one ERR_TXN_TOKEN_INVALID; a hop may not rebind', async () => {
    const g = await exchange('t-1');
    const chain = await chainFrom(g.nestoken!, ['jwt', 'cbor', 'jwt']);
    expect(await codeOf(verifyAs(chain, g.access_token, 'other-domain.example'))).toBe('ERR_TXN_TOKEN_AUDIENCE');
    const other = await oauthWorld('other-kid');
    const foreign = await other.make({ trustDomain: 'other-domain.example' }).exchange(
      parseTxnTokenRequest(txnTokenRequestBody({ audience: 'other-domain.example', scope: 'trade.stocks', subjectToken: 'eyJhbGciOiJFUzI1NiIsImtpZC-x', subjectTokenType: ACCESS_TOKEN_TYPE })),
      { workload: 'w' },
    );
    expect(await codeOf(verifyAs(chain, foreign.access_token))).toBe('ERR_TXN_TOKEN_INVALID'); // another service's key
    const [h, p, s] = g.access_token.split('.');
    expect(await codeOf(verifyAs(chain, `${h}.${p}.${s!.slice(0, -4)}AAAA`))).toBe('ERR_TXN_TOKEN_INVALID');
    const rebound = await chainFrom(g.nestoken!, ['jwt', 'jwt', 'jwt'], (i) => (i === 1 ? { txn: 't-1', tth: 'A'.repeat(43) } : {}));
    expect(await codeOf(verifyAs(rebound, g.access_token))).toBe('ERR_TXN_TOKEN_MISMATCH');
    expect(() => checkTxnBinding({ ...({} as never), hops: [{ index: 0, identity: TTS, anonymous: false, via: 'trust-bundle', format: 'jwt', digest: '', claims: {} }] } as never, g.access_token, { txn: 't-1' } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_TXN_TOKEN_MISMATCH' }),
    );
  });

  it('replacement keeps txn, sub and aud, narrows scope, and continues the chain', async () => {
    const g = await exchange('t-1');
    // foo hands its chain to the service and asks for a replacement.
    let chain = await extend(g.nestoken!, { key: w.keys.gateway, audienceKey: w.keys.foo.publicKey, claims: { iss: w.identity('gateway') } });
    chain = await extend(chain, { key: w.keys.foo, audienceKey: w.keys.tts.publicKey, claims: { iss: w.identity('foo') } });
    const { encodeToken } = await import('@nestoken/core');
    const form = txnTokenRequestBody({ audience: TRUST_DOMAIN, scope: 'trade.stocks', subjectToken: g.access_token, subjectTokenType: TXN_TOKEN_TYPE, nestoken: encodeToken(chain, 'jwt') });
    const r = await w.tts.exchange(parseTxnTokenRequest(form), { workload: w.identity('foo'), key: w.keys.foo.publicKey });
    const next = await extend(r.nestoken!, { key: w.keys.foo, audienceKey: w.keys.mallory.publicKey, claims: { iss: w.identity('foo') } });
    const { path, txnToken } = await verifyTxnBound(next, r.access_token, { chain: { trust: w.trust, now: NOW, audience: w.keys.mallory.publicKey }, txnToken: { keys: w.jwks, trustDomain: TRUST_DOMAIN } });
    expect(txnToken).toMatchObject({ txn: 't-1', sub: 'd084sdrt234fsaw34tr23t', aud: TRUST_DOMAIN, req_wl: w.identity('foo') });
    expect(toCallChain(path)).toEqual([TTS, w.identity('gateway'), w.identity('foo'), TTS, w.identity('foo')]);
    // The old Txn-Token no longer matches the continued chain.
    expect(await codeOf(verifyTxnBound(next, g.access_token, { chain: { trust: w.trust, now: NOW, audience: w.keys.mallory.publicKey }, txnToken: { keys: w.jwks, trustDomain: TRUST_DOMAIN } }))).toBe('ERR_TXN_TOKEN_MISMATCH');
    // Widening is refused, and so is a replacement without the chain.
    const wider = txnTokenRequestBody({ audience: TRUST_DOMAIN, scope: 'trade.stocks trade.bonds', subjectToken: g.access_token, subjectTokenType: TXN_TOKEN_TYPE, nestoken: encodeToken(chain, 'jwt') });
    await expect(w.tts.exchange(parseTxnTokenRequest(wider), { workload: 'foo', key: w.keys.foo.publicKey })).rejects.toMatchObject({ error: 'invalid_scope' });
    const bare = txnTokenRequestBody({ audience: TRUST_DOMAIN, scope: 'trade.stocks', subjectToken: g.access_token, subjectTokenType: TXN_TOKEN_TYPE });
    await expect(w.tts.exchange(parseTxnTokenRequest(bare), { workload: 'foo', key: w.keys.foo.publicKey })).rejects.toBeInstanceOf(OAuthError);
  });

  it('the act export nests as RFC 8693 §4.1 says: current actor outermost, the root deepest, only sub inside', async () => {
    const g = await exchange('t-1');
    const { path } = await verifyAs(await chainFrom(g.nestoken!, ['jwt', 'cbor', 'jwt']), g.access_token);
    const act = toActClaim(path);
    const chainOfAct: string[] = [];
    for (let a: typeof act | undefined = act; a; a = a.act) {
      expect(Object.keys(a).every((k) => k === 'sub' || k === 'act')).toBe(true); // no exp, nbf, aud inside act
      expect(typeof a.sub).toBe('string');
      chainOfAct.push(a.sub);
    }
    expect(chainOfAct).toEqual([...toCallChain(path)].reverse());
    expect(act.sub).toBe(w.identity('bar')); // the current actor
  });
});

describe('token endpoint errors (RFC 6749 §5.2, RFC 8693 §2.2.2)', () => {
  const post = (form: URLSearchParams | string, headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }, method = 'POST') =>
    w.tts.handle(method, headers, new TextEncoder().encode(form.toString())).then((a) => ({ status: a.status, ...(JSON.parse(a.body) as { error: string }), cache: a.headers['cache-control'] }));
  const good = () => txnTokenRequestBody({ audience: TRUST_DOMAIN, scope: 'trade.stocks', subjectToken: 'eyJhbGciOiJFUzI1NiIsImtpZC-e', subjectTokenType: ACCESS_TOKEN_TYPE });
  const withParam = (name: string, value: string | undefined, append = false) => {
    const f = good();
    if (value === undefined) f.delete(name);
    else if (append) f.append(name, value);
    else f.set(name, value);
    return f;
  };
  it.each([
    ['grant_type', 'client_credentials', false, 'unsupported_grant_type'],
    ['requested_token_type', 'urn:ietf:params:oauth:token-type:access_token', false, 'invalid_request'],
    ['audience', 'other-domain.example', false, 'invalid_target'],
    ['scope', 'admin', false, 'invalid_scope'],
    ['scope', undefined, false, 'invalid_request'],
    ['subject_token', 'not-an-access-token', false, 'invalid_request'],
    ['subject_token_type', 'urn:ietf:params:oauth:token-type:refresh_token', false, 'invalid_request'],
    ['subject_token', 'again', true, 'invalid_request'],
    ['request_context', '[1]', false, 'invalid_request'],
    ['request_details', '{', false, 'invalid_request'],
    ['actor_token', 'x', false, 'invalid_request'],
  ] as const)('%s = %s → %s', async (name, value, append, error) => {
    const r = await post(withParam(name, value, append));
    expect(r).toMatchObject({ status: 400, error, cache: 'no-store' });
  });
  it('wrong method, wrong media type, oversized body, failed client authentication', async () => {
    expect((await post(good(), undefined, 'GET')).status).toBe(405);
    expect(await post(good(), { 'content-type': 'application/json' })).toMatchObject({ status: 400, error: 'invalid_request' });
    expect(await post('a='.padEnd(70_000, 'x'))).toMatchObject({ status: 400, error: 'invalid_request' });
    const strict = w.make({ authenticateClient: async () => Promise.reject(new Error('no certificate')) });
    const a = await strict.handle('POST', { 'content-type': 'application/x-www-form-urlencoded' }, new TextEncoder().encode(good().toString()));
    expect(a.status).toBe(401);
    expect(JSON.parse(a.body)).toMatchObject({ error: 'invalid_client' });
  });
  it('hooks that never answer fail closed within hookTimeoutMs; the client reports an unreachable service as ERR_TOKEN_EXCHANGE', async () => {
    const never = () => new Promise<never>(() => {});
    const body = new TextEncoder().encode(good().toString());
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const hungClient = await w.make({ hookTimeoutMs: 20, authenticateClient: never }).handle('POST', headers, body);
    expect([hungClient.status, JSON.parse(hungClient.body).error]).toEqual([401, 'invalid_client']);
    const hungSubject = await w.make({ hookTimeoutMs: 20, validateAccessToken: never }).handle('POST', headers, body);
    expect([hungSubject.status, JSON.parse(hungSubject.body).error]).toEqual([400, 'invalid_request']);
    const { requestTxnToken } = await import('../src/index.js');
    const init = { audience: TRUST_DOMAIN, scope: 's', subjectToken: 't', subjectTokenType: ACCESS_TOKEN_TYPE };
    await expect(requestTxnToken('http://127.0.0.1:9/', init, { fetch: () => Promise.reject(new TypeError('fetch failed')) })).rejects.toMatchObject({ code: 'ERR_TOKEN_EXCHANGE' });
    await expect(requestTxnToken('http://127.0.0.1:9/', { ...init, scope: '' })).rejects.toMatchObject({ code: 'ERR_USAGE' });
    expect(new OAuthError('invalid_scope', 'x')).toBeInstanceOf(NestokenError);
    expect(() => toActClaim({} as never)).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
  });

  it('any body, any parameter values: an RFC 6749 error or a Txn-Token, never a crash', async () => {
    const names = fc.constantFrom('grant_type', 'requested_token_type', 'audience', 'scope', 'subject_token', 'subject_token_type', 'request_context', 'request_details', 'nestoken', 'actor_token', 'x');
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.array(fc.tuple(names, fc.string({ unit: 'binary', maxLength: 40 })), { maxLength: 10 }).map((pairs) => {
        const f = good();
        for (const [k, v] of pairs) f.set(k, v);
        return f.toString();
      })), async (text) => {
        const a = await w.tts.handle('POST', { 'content-type': 'application/x-www-form-urlencoded' }, new TextEncoder().encode(text));
        const body = JSON.parse(a.body) as Record<string, unknown>;
        if (a.status === 200) expect(body.token_type).toBe('N_A');
        else expect([a.status, typeof body.error]).toEqual([400, 'string']);
        expect(a.headers['cache-control']).toBe('no-store');
      }),
      { numRuns: 60 },
    );
  });

  it('unsigned_json (refused unless the service opts in) and self_signed subject tokens', async () => {
    const unsigned = txnTokenRequestBody({ audience: TRUST_DOMAIN, scope: 'batch', subjectToken: JSON.stringify({ sub: 'job-7', scope: 'batch' }), subjectTokenType: 'urn:ietf:params:oauth:token-type:unsigned_json' });
    expect(await post(unsigned)).toMatchObject({ status: 400, error: 'invalid_request' });
    const lenient = w.make({ allowUnsignedJsonSubject: true });
    const postTo = (form: URLSearchParams) => lenient.handle('POST', { 'content-type': 'application/x-www-form-urlencoded' }, new TextEncoder().encode(form.toString())).then((a) => ({ status: a.status, ...(JSON.parse(a.body) as { error: string }) }));
    expect((await postTo(unsigned)).status).toBe(200);
    const noScope = txnTokenRequestBody({ audience: TRUST_DOMAIN, scope: 'batch', subjectToken: JSON.stringify({ sub: 'job-7' }), subjectTokenType: 'urn:ietf:params:oauth:token-type:unsigned_json' });
    expect(await postTo(noScope)).toMatchObject({ error: 'invalid_scope' }); // unknown scope is never unlimited
    // A subject sent twice is two subjects to two parsers: refused, not the last one taken.
    const twice = txnTokenRequestBody({ audience: TRUST_DOMAIN, scope: 'batch', subjectToken: '{"sub":"job-7","scope":"batch","sub":"admin"}', subjectTokenType: 'urn:ietf:params:oauth:token-type:unsigned_json' });
    expect(await postTo(twice)).toMatchObject({ status: 400, error: 'invalid_request' });
    const selfSigned = txnTokenRequestBody({ audience: TRUST_DOMAIN, scope: 'batch', subjectToken: 'eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.', subjectTokenType: 'urn:ietf:params:oauth:token-type:self_signed' });
    expect(await post(selfSigned)).toMatchObject({ error: 'invalid_request' });
  });
});

describe('hostile Txn-Tokens (spec §12.2)', () => {
  it('a repeated member, an oversized token, another typ, no kid: each refused with a typed error before use', async () => {
    const { SignJWT, generateKeyPair, exportJWK } = await import('jose');
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const keys = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] };
    const claims = { iat: NOW, exp: NOW + 60, aud: TRUST_DOMAIN, txn: 't', sub: 's', scope: 'x', req_wl: 'w' };
    const sign = (header: Record<string, unknown>, payload: Record<string, unknown> = claims) => new SignJWT(payload).setProtectedHeader({ alg: 'ES256', ...header }).sign(privateKey);
    const check = (t: string, max?: number) => codeOf(verifyTxnToken(t, { keys, trustDomain: TRUST_DOMAIN, now: NOW, ...(max ? { maxLength: max } : {}) }));
    expect(await check(await sign({ typ: 'txntoken+jwt', kid: 'k1' }))).toBe('VALID');
    expect(await check(await sign({ typ: 'JWT', kid: 'k1' }))).toBe('ERR_TXN_TOKEN_INVALID');
    expect(await check(await sign({ typ: 'txntoken+jwt' }))).toBe('ERR_TXN_TOKEN_INVALID');
    expect(await check(await sign({ typ: 'txntoken+jwt', kid: 'k1' }, { ...claims, req_wl: undefined }))).toBe('ERR_TXN_TOKEN_INVALID');
    expect(await check(await sign({ typ: 'txntoken+jwt', kid: 'k1' }), 20)).toBe('ERR_INPUT_TOO_LARGE');
    expect(await check('not a jws')).toBe('ERR_TXN_TOKEN_INVALID');
    // The same payload with txn twice, signed: jose would read the second.
    const { base64url } = await import('jose');
    const enc = (s: string) => base64url.encode(new TextEncoder().encode(s));
    const head = enc('{"alg":"ES256","kid":"k1","typ":"txntoken+jwt"}');
    const body = enc(`{"iat":${NOW},"exp":${NOW + 60},"aud":"${TRUST_DOMAIN}","txn":"t-1","txn":"t-2","sub":"s","scope":"x","req_wl":"w"}`);
    const { createSign } = await import('node:crypto');
    const der = createSign('SHA256').update(`${head}.${body}`).sign({ key: (await import('node:crypto')).createPrivateKey({ key: (await exportJWK(privateKey)) as never, format: 'jwk' }), dsaEncoding: 'ieee-p1363' });
    expect(await check(`${head}.${body}.${base64url.encode(der)}`)).toBe('ERR_DUPLICATE_KEY');
  });
});
