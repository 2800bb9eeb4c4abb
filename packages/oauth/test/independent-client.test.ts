import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TXN_TOKEN_TYPE, txnTokenListener, verifyTxnToken } from '../src/index.js';
import { NOW, oauthWorld, TRUST_DOMAIN, type OAuthWorld } from './world.js';

/** oauth4webapi (panva), a client that knows nothing of nestoken, obtains a Txn-Token over 127.0.0.1. */
describe('an independent RFC 8693 client', () => {
  let server: Server;
  let w: OAuthWorld;
  let as: oauth.AuthorizationServer;
  beforeAll(async () => {
    w = await oauthWorld();
    server = createServer(txnTokenListener(w.tts));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    as = { issuer: `http://127.0.0.1:${port}`, token_endpoint: `http://127.0.0.1:${port}/token` };
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client: oauth.Client = { client_id: 'gateway' };
  const exchange = (params: Record<string, string>) =>
    oauth.genericTokenEndpointRequest(as, client, oauth.None(), 'urn:ietf:params:oauth:grant-type:token-exchange', params, { [oauth.allowInsecureRequests]: true });

  it("obtains a Txn-Token with oauth4webapi's generic grant request", async () => {
    const response = await exchange({
      requested_token_type: TXN_TOKEN_TYPE,
      audience: TRUST_DOMAIN,
      scope: 'trade.stocks',
      subject_token: 'eyJhbGciOiJFUzI1NiIsImtpZC-independent',
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      request_details: JSON.stringify({ action: 'BUY' }),
    });
    const result = await oauth.processGenericTokenEndpointResponse(as, client, response, { recognizedTokenTypes: { n_a: () => {} } });
    expect(result.token_type).toBe('n_a'); // oauth4webapi lower-cases token_type; the wire says N_A
    expect(result.issued_token_type).toBe(TXN_TOKEN_TYPE);
    const claims = await verifyTxnToken(result.access_token, { keys: w.jwks, trustDomain: TRUST_DOMAIN, now: NOW });
    expect(claims).toMatchObject({ sub: 'd084sdrt234fsaw34tr23t', scope: 'trade.stocks', tctx: { action: 'BUY' } });
  });

  it('gets RFC 6749 §5.2 errors it understands', async () => {
    const response = await exchange({ requested_token_type: TXN_TOKEN_TYPE, audience: 'other-domain.example', scope: 'trade.stocks', subject_token: 'x', subject_token_type: 'urn:ietf:params:oauth:token-type:unsigned_json' });
    const err = await oauth.processGenericTokenEndpointResponse(as, client, response).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(oauth.ResponseBodyError);
    expect((err as oauth.ResponseBodyError).error).toBe('invalid_target');
    expect((err as oauth.ResponseBodyError).status).toBe(400);
  });
});
