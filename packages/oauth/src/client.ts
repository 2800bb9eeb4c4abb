import { NestokenError } from '@nestoken/core';
import { withinTime } from './oauth-error.js';
import { checkOptions, isFunction, isPlainObject, isWhole } from './options.js';
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
  const text = (v: Readonly<Record<string, unknown>> | string): string => {
    if (typeof v === 'string') return v;
    try {
      return JSON.stringify(v);
    } catch (e) {
      throw new NestokenError('ERR_USAGE', 'requestContext and requestDetails must be JSON (no cycles, no BigInt)', { cause: e });
    }
  };
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
  /** Milliseconds the whole exchange (answer and body) may take; default 10000. */
  readonly timeoutMs?: number;
}

const CLIENT_OPTIONS = {
  fetch: isFunction,
  headers: (v: unknown) => isPlainObject(v) && Object.values(v).every((x) => typeof x === 'string'),
  signal: (v: unknown) => v instanceof AbortSignal,
  timeoutMs: isWhole(1, 300_000),
};

const MAX_RESPONSE_BYTES = 64 * 1024;

/** Reads at most MAX_RESPONSE_BYTES of the body, then stops: a hostile service cannot make us buffer more. */
async function boundedJson(res: Response): Promise<unknown> {
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_RESPONSE_BYTES) throw new TokenExchangeError('the response is too large', res.status);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      size += r.value.length;
      if (size > MAX_RESPONSE_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw new TokenExchangeError('the response is too large', res.status);
      }
      chunks.push(r.value);
    }
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) bytes.set(c, (at += c.length) - c.length);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new TokenExchangeError('the response is not UTF-8 JSON', res.status);
  }
}

/** Reads a Txn-Token Response and holds it to the profile: `N_A`, the Txn-Token type, no refresh token. */
export function readTxnTokenResponse(status: number, body: unknown): TxnTokenGrant {
  if (!Number.isSafeInteger(status)) throw new NestokenError('ERR_USAGE', 'readTxnTokenResponse takes the HTTP status and the parsed body');
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
  checkOptions(options, 'requestTxnToken', CLIENT_OPTIONS);
  if (typeof endpoint !== 'string' && !(endpoint instanceof URL)) throw new NestokenError('ERR_USAGE', 'requestTxnToken takes the token endpoint URL');
  const body = txnTokenRequestBody(init).toString();
  // A service that never answers must not hold the caller: the request and its body share one deadline.
  const ms = options.timeoutMs ?? 10_000;
  const deadline = AbortSignal.timeout(ms);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const unreachable = (e: unknown) => new TokenExchangeError(`the Txn-Token Service could not be reached: ${e instanceof Error ? e.message : 'unknown failure'}`, 0);
  let res: Response;
  try {
    // withinTime as well as the signal: a caller-supplied fetch may ignore the signal.
    const sent = Promise.resolve().then(() =>
      (options.fetch ?? fetch)(endpoint, {
        method: 'POST',
        headers: { ...options.headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal,
      }),
    );
    res = await withinTime(sent, ms, () => new Error(`no answer within ${ms} ms`));
    if (!(res instanceof Response)) throw new Error('fetch gave no Response');
  } catch (e) {
    throw unreachable(e);
  }
  const json = await withinTime(boundedJson(res), ms, () => new Error(`the body did not arrive within ${ms} ms`)).catch((e: unknown) => {
    throw e instanceof TokenExchangeError ? e : unreachable(e);
  });
  return readTxnTokenResponse(res.status, json);
}
