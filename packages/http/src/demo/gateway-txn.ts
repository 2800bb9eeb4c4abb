import type { IncomingMessage } from 'node:http';
import { ACCESS_TOKEN_TYPE, requestTxnToken, TXN_TOKEN_HEADER } from '@nestoken/oauth';
import { WORKLOAD_IDENTITY_TOKEN_HEADER } from '../headers.js';
import type { Directory } from './directory.js';
import { CALL_TIMEOUT_MS } from './serve.js';
import { TXN_TOKEN_PATH } from './txn-token-service.js';
import { TRUST_DOMAIN, type World } from './world.js';

export type TxnGrant = { readonly ok: true; readonly token: string; readonly txnToken: string } | { readonly ok: false; readonly error: string };

/** The gateway's Txn-Token Request: the client's access token as subject, its WIT as client authentication. */
export async function exchangeForTxnToken(world: World, directory: Directory, fetchImpl: typeof fetch, accessToken: string, details: { method: string; path: string }): Promise<TxnGrant> {
  try {
    const grant = await requestTxnToken(
      `${directory.get('issuer')}${TXN_TOKEN_PATH}`,
      { audience: TRUST_DOMAIN, scope: 'orders:write', subjectToken: accessToken, subjectTokenType: ACCESS_TOKEN_TYPE, requestDetails: details },
      { fetch: fetchImpl, headers: { [WORKLOAD_IDENTITY_TOKEN_HEADER]: world.workloads.gateway.wit! }, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) },
    );
    if (grant.nestoken === undefined) return { ok: false, error: 'the Txn-Token Service returned no chain' };
    return { ok: true, token: grant.nestoken, txnToken: grant.txnToken };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : 'token exchange failed' };
  }
}

/** The `Txn-Token` a hop received, to send on unmodified. */
export function forwardedTxnToken(req: IncomingMessage): { txnToken?: string } {
  const value = req.headersDistinct[TXN_TOKEN_HEADER.toLowerCase()];
  return value && value.length === 1 ? { txnToken: value[0]! } : {};
}
