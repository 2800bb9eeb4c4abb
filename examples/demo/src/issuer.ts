import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeToken, issue, type IssueMode } from '@nestoken/core';
import { MemoryReplayCache, sendNestokenError, verifyWorkloadProof } from '@nestoken/http';
import { sendJson } from './json-response.js';
import { checkBearer, mintAccessToken } from './access-token.js';
import { readBody } from './serve.js';
import { TXN_TOKEN_PATH, txnTokenEndpoint } from './txn-token-service.js';
import { CLIENT_ID, ISSUER, type World } from './world.js';

export const CLIENT_SECRET = 'demo-secret';
/** A root layer lives at most this long, and never longer than the access token it stands for. */
const ROOT_TTL = 120;
const MODES: readonly IssueMode[] = ['id', 'anon', 'hybrid'];

/**
 * The issuer: an OAuth token endpoint for the outside client, and a token exchange in the
 * manner of OAuth Transaction Tokens, where the gateway trades the client's access token (plus
 * its own WIT) for the root layer of a nested token bound to the gateway's key.
 */
export function issuerService(world: World, entry: { readonly identity: string }): (req: IncomingMessage, res: ServerResponse) => void {
  let serial = 0;
  // The caller proves it holds the key its WIT confirms (WPT), once per proof: a WIT alone is public.
  const proofs = { trust: world.trust, now: world.now, replayCache: new MemoryReplayCache({ now: world.now }) };

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, 1024);
    const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
    if (req.headers.authorization !== basic) return sendJson(res, 401, { error: 'invalid_client' });
    if (new URLSearchParams(body ?? '').get('grant_type') !== 'client_credentials') return sendJson(res, 400, { error: 'unsupported_grant_type' });
    const accessToken = await mintAccessToken(world.issuerKey, { clientId: CLIENT_ID, scope: 'orders:write', now: world.now(), jti: `at-${++serial}` });
    sendJson(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 300 });
  }

  async function exchange(req: IncomingMessage, res: ServerResponse, mode: IssueMode): Promise<void> {
    const now = world.now();
    const bearer = await checkBearer(req.headers.authorization, world.issuerKey, now);
    if (!bearer) return sendJson(res, 401, { error: 'invalid_token' });
    let caller;
    try {
      caller = await verifyWorkloadProof(req, proofs);
    } catch (e) {
      return sendNestokenError(res, e);
    }
    if (!caller.key) return sendJson(res, 401, { error: 'invalid_client', message: 'the WIT confirms a key of a type nestoken layers cannot use' });
    // Only the entry point of the trust domain may start a chain.
    if (caller.identity !== entry.identity) return sendJson(res, 403, { error: 'access_denied', message: `${caller.identity} may not start chains` });
    const claims = {
      iss: ISSUER,
      sub: bearer.claims.sub,
      aud: caller.identity,
      iat: now,
      exp: Math.min(bearer.claims.exp, now + ROOT_TTL),
      jti: `txn-${++serial}`,
      data: { scope: bearer.claims.scope, client_id: bearer.claims.sub },
    };
    const root = mode === 'id' ? await issue({ key: world.issuerKey, audienceKey: caller.keyThumbprint, claims }) : await issue({ mode, key: world.issuerKey, claims });
    sendJson(res, 200, { token: encodeToken(root, 'jwt'), mode });
  }

  const txnTokens = txnTokenEndpoint(world);
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://issuer');
    if (url.pathname === TXN_TOKEN_PATH) return txnTokens(req, res);
    const mode = (url.searchParams.get('mode') ?? 'id') as IssueMode;
    let work: Promise<void>;
    if (req.method === 'POST' && url.pathname === '/token') work = token(req, res);
    else if (req.method === 'POST' && url.pathname === '/nestoken' && MODES.includes(mode)) work = exchange(req, res, mode);
    else work = Promise.resolve(sendJson(res, 404, { error: 'not_found' }));
    work.catch(() => (res.headersSent ? res.destroy() : sendJson(res, 500, { error: 'server_error' })));
  };
}
