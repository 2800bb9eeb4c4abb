import { readFileSync } from 'node:fs';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { parseTxnTokenRequest, readTxnTokenResponse, txnTokenRequestBody, verifyTxnToken } from '../src/index.js';
import { NOW, oauthWorld, TRUST_DOMAIN } from './world.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** An HTTP message of the draft: head lines, then the body (the draft's added line breaks removed for a form). */
function message(text: string, form: boolean): { head: string[]; headers: Record<string, string>; body: string } {
  const [head, body] = text.split(/\n\n/) as [string, string];
  const lines = head.split('\n');
  const headers = Object.fromEntries(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { head: lines, headers, body: form ? body.trim().split('\n').join('') : body };
}
const stripComments = (jsonc: string) => JSON.parse(jsonc.replace(/\/\/[^\n]*/g, '')) as Record<string, unknown>;

const request = message(fixture('txn-token-request.http'), true);
const response = message(fixture('txn-token-response.http'), false);
const draftForm = new URLSearchParams(request.body);

describe('the draft examples, field for field (draft-ietf-oauth-transaction-tokens)', () => {
  it('the client writes the example request: the same parameters, in the same order, with the same values', () => {
    const body = txnTokenRequestBody({
      audience: 'trust-domain.example',
      scope: 'trade.stocks',
      subjectToken: draftForm.get('subject_token')!,
      subjectTokenType: 'urn:ietf:params:oauth:token-type:access_token',
      requestContext: draftForm.get('request_context')!,
      requestDetails: draftForm.get('request_details')!,
    });
    expect([...body]).toEqual([...draftForm]);
    // And built from objects, the JSON parameters carry the same values.
    const fromObjects = txnTokenRequestBody({ audience: 'trust-domain.example', scope: 'trade.stocks', subjectToken: 'x', subjectTokenType: 'y', requestContext: { req_ip: '69.151.72.123', authn: 'face' }, requestDetails: { action: 'BUY', ticker: 'MSFT', quantity: '100' } });
    expect(JSON.parse(fromObjects.get('request_context')!)).toEqual(JSON.parse(draftForm.get('request_context')!));
    expect(JSON.parse(fromObjects.get('request_details')!)).toEqual(JSON.parse(draftForm.get('request_details')!));
  });

  it('the service reads the example request field for field and answers with the example response fields', async () => {
    expect(parseTxnTokenRequest(draftForm)).toEqual({
      grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
      requestedTokenType: 'urn:ietf:params:oauth:token-type:txn_token',
      audience: 'trust-domain.example',
      scope: 'trade.stocks',
      subjectToken: 'eyJhbGciOiJFUzI1NiIsImtpZC...kdXjwhw',
      subjectTokenType: 'urn:ietf:params:oauth:token-type:access_token',
      requestContext: { req_ip: '69.151.72.123', authn: 'face' },
      requestDetails: { action: 'BUY', ticker: 'MSFT', quantity: '100' },
    });
    const w = await oauthWorld();
    const tts = w.make({ newTxn: () => '97053963-771d-49cc-a4e3-20aad399c312', chain: undefined });
    const answer = await tts.handle('POST', { ...request.headers, 'x-test-workload': 'apigateway' }, new TextEncoder().encode(request.body));
    expect(answer.status).toBe(200);
    for (const [name, value] of Object.entries(response.headers)) expect(answer.headers[name]).toBe(value);
    const body = JSON.parse(answer.body) as Record<string, string>;
    const draft = JSON.parse(response.body) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(Object.keys(draft).sort());
    expect(body.token_type).toBe(draft.token_type);
    expect(body.issued_token_type).toBe(draft.issued_token_type);

    // The issued Txn-Token: the draft's header and body, except what the draft's TTS computed itself.
    const header = decodeProtectedHeader(body.access_token!);
    const draftHeader = JSON.parse(fixture('txn-token-header.json')) as Record<string, unknown>;
    expect(Object.keys(header).sort()).toEqual(Object.keys(draftHeader).sort());
    expect(header).toMatchObject({ typ: draftHeader.typ, kid: draftHeader.kid });
    const claims = decodeJwt(body.access_token!);
    const draftBody = stripComments(fixture('txn-token-body.jsonc'));
    const { customer_type: _computed, ...tctx } = draftBody.tctx as Record<string, unknown>;
    expect(claims).toEqual({ ...draftBody, tctx });
    expect(await verifyTxnToken(body.access_token!, { keys: w.jwks, trustDomain: TRUST_DOMAIN, now: NOW })).toEqual(claims);
  });

  it('the client reads the example response', () => {
    expect(readTxnTokenResponse(200, JSON.parse(response.body))).toEqual({ txnToken: 'eyJCI6IjllciJ9...Qedw6rx' });
  });
});
