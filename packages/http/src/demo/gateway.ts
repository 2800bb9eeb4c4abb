import type { IncomingMessage, ServerResponse } from 'node:http';
import { nestokenFetch } from '../client.js';
import { WORKLOAD_IDENTITY_TOKEN_HEADER } from '../headers.js';
import { sendJson } from '../json-response.js';
import { checkBearer } from './access-token.js';
import { peer, type Directory } from './directory.js';
import { ingressCrate } from './ingress-crate.js';
import { CALL_TIMEOUT_MS, relay } from './serve.js';
import { exchangeForTxnToken } from './gateway-txn.js';
import type { World } from './world.js';

/**
 * The entry point: the only service that sees a bare access token. It checks it, trades it at
 * the issuer for a root layer bound to its own key, puts it in a crate as evidence, and calls
 * foo with the chain extended by its layer. `?mode=anon|hybrid` picks the chain mode.
 */
export function gatewayService(world: World, directory: Directory, fetchImpl: typeof fetch): (req: IncomingMessage, res: ServerResponse) => void {
  const me = world.workloads.gateway;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const mode = url.searchParams.get('mode') ?? 'id';
    const now = world.now();
    const bearer = await checkBearer(req.headers.authorization, world.issuerKey, now);
    if (!bearer) return sendJson(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });

    let token: string;
    let txnToken: string | undefined;
    if (mode === 'txn') {
      // The Txn-Token flow: RFC 8693 at the Txn-Token Service, which returns the root layer too.
      const grant = await exchangeForTxnToken(world, directory, fetchImpl, bearer.token, { method: req.method ?? 'GET', path: url.pathname });
      if (!grant.ok) return sendJson(res, 502, { error: grant.error });
      ({ token, txnToken } = grant);
    } else {
      const exchanged = await fetchImpl(`${directory.get('issuer')}/nestoken?mode=${encodeURIComponent(mode)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer.token}`, [WORKLOAD_IDENTITY_TOKEN_HEADER]: me.wit! },
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
      if (!exchanged.ok) return relay(res, exchanged);
      ({ token } = (await exchanged.json()) as { token: string });
    }

    const anonymous = mode === 'anon';
    // An anonymous gateway does not sign the crate in its own name either.
    const crate = await ingressCrate(bearer.token, anonymous ? undefined : me, { now, expiresAt: bearer.claims.exp });
    const foo = peer(directory, world.workloads.foo);
    const answer = await nestokenFetch(
      `${foo.url}${url.pathname}`,
      { method: req.method ?? 'GET', signal: AbortSignal.timeout(CALL_TIMEOUT_MS) },
      {
        token,
        key: me.key,
        audienceKey: foo.workload.key.publicKey,
        audience: foo.workload.identity,
        identityDocument: me.wit!,
        crate,
        anonymous,
        ...(txnToken !== undefined ? { txnToken } : {}),
        now: world.now,
        fetch: fetchImpl,
      },
    );
    await relay(res, answer);
  }

  return (req, res) => {
    handle(req, res).catch(() => (res.headersSent ? res.destroy() : sendJson(res, 502, { error: 'bad_gateway' })));
  };
}
