import { NestokenError } from '@nestoken/core';
import { NESTOKEN_PARAMETER, NOT_APPLICABLE, TOKEN_EXCHANGE_GRANT, TXN_TOKEN_TYPE } from './constants.js';

/** What a workload asks a Txn-Token Service for (draft "Txn-Token Request"). */
export interface TxnTokenRequestInit {
  /** The trust domain. */
  readonly audience: string;
  readonly scope: string;
  readonly subjectToken: string;
  readonly subjectTokenType: string;
  /** A JSON object, or its text exactly as it should be sent. */
  readonly requestContext?: Readonly<Record<string, unknown>> | string;
  readonly requestDetails?: Readonly<Record<string, unknown>> | string;
  /** On replacement: the chain bound to the Txn-Token given as subject token, handed to the service's key. */
  readonly nestoken?: string;
}

/** The form body, parameters in the order of the draft's example. */
export function txnTokenRequestBody(init: TxnTokenRequestInit): URLSearchParams {
  if (!init || typeof init !== 'object') throw new NestokenError('ERR_USAGE', 'a Txn-Token Request needs its parameters');
  for (const k of ['audience', 'scope', 'subjectToken', 'subjectTokenType'] as const) {
    if (typeof init[k] !== 'string' || init[k] === '') throw new NestokenError('ERR_USAGE', `${k} is required text`);
  }
  for (const k of ['requestContext', 'requestDetails'] as const) {
    const v = init[k];
    if (v !== undefined && typeof v !== 'string' && (typeof v !== 'object' || v === null || Array.isArray(v))) throw new NestokenError('ERR_USAGE', `${k} is a JSON object or its text`);
  }
  const text = (v: Readonly<Record<string, unknown>> | string): string => (typeof v === 'string' ? v : JSON.stringify(v));
  const form = new URLSearchParams();
  form.set('grant_type', TOKEN_EXCHANGE_GRANT);
  form.set('requested_token_type', TXN_TOKEN_TYPE);
  form.set('audience', init.audience);
  form.set('scope', init.scope);
  form.set('subject_token', init.subjectToken);
  form.set('subject_token_type', init.subjectTokenType);
  if (init.requestContext !== undefined) form.set('request_context', text(init.requestContext));
  if (init.requestDetails !== undefined) form.set('request_details', text(init.requestDetails));
  if (init.nestoken !== undefined) form.set(NESTOKEN_PARAMETER, init.nestoken);
  return form;
}

/** A refusal (RFC 6749 §5.2) or a response outside the profile; `error` is the OAuth error code when the service sent one. */
export class TokenExchangeError extends NestokenError {
  constructor(
    message: string,
    readonly status: number,
    readonly error?: string,
  ) {
    super('ERR_TOKEN_EXCHANGE', message);
  }
}

export interface TxnTokenGrant {
  readonly txnToken: string;
  /** The chain bound to the Txn-Token, when the service keeps one for this caller. */
  readonly nestoken?: string;
}

export interface RequestTxnTokenOptions {
  readonly fetch?: typeof fetch;
  /** Client authentication and anything else the deployment needs. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

async function boundedJson(res: Response): Promise<unknown> {
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_RESPONSE_BYTES) throw new TokenExchangeError('the response is too large', res.status);
  const text = await res.text();
  if (text.length > MAX_RESPONSE_BYTES) throw new TokenExchangeError('the response is too large', res.status);
  try {
    return JSON.parse(text);
  } catch {
    throw new TokenExchangeError('the response is not JSON', res.status);
  }
}

/** Reads a Txn-Token Response and holds it to the profile: `N_A`, the Txn-Token type, no refresh token. */
export function readTxnTokenResponse(status: number, body: unknown): TxnTokenGrant {
  const o = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  if (status !== 200) {
    const error = typeof o.error === 'string' ? o.error : undefined;
    const description = typeof o.error_description === 'string' ? `: ${o.error_description.slice(0, 300)}` : '';
    throw new TokenExchangeError(`the Txn-Token Service refused (${error ?? `HTTP ${status}`})${description}`, status, error);
  }
  if (o.token_type !== NOT_APPLICABLE) throw new TokenExchangeError(`token_type must be ${NOT_APPLICABLE}`, status);
  if (o.issued_token_type !== TXN_TOKEN_TYPE) throw new TokenExchangeError(`issued_token_type must be ${TXN_TOKEN_TYPE}`, status);
  if (typeof o.access_token !== 'string' || o.access_token === '') throw new TokenExchangeError('no access_token', status);
  if (o.refresh_token !== undefined) throw new TokenExchangeError('a Txn-Token Response carries no refresh token', status);
  const nestoken = o[NESTOKEN_PARAMETER];
  if (nestoken !== undefined && typeof nestoken !== 'string') throw new TokenExchangeError('nestoken must be text', status);
  return { txnToken: o.access_token, ...(nestoken !== undefined ? { nestoken } : {}) };
}

/** POSTs a Txn-Token Request to the token endpoint and reads the response. */
export async function requestTxnToken(endpoint: string | URL, init: TxnTokenRequestInit, options: RequestTxnTokenOptions = {}): Promise<TxnTokenGrant> {
  const body = txnTokenRequestBody(init).toString();
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(endpoint, {
      method: 'POST',
      headers: { ...options.headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (e) {
    throw new TokenExchangeError(`the Txn-Token Service could not be reached: ${e instanceof Error ? e.message : 'unknown failure'}`, 0);
  }
  return readTxnTokenResponse(res.status, await boundedJson(res));
}
