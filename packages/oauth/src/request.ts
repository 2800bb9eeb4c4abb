import { DEFAULT_LIMITS, NestokenError, parseJsonObject } from '@nestoken/core';
import { NESTOKEN_PARAMETER } from './constants.js';
import { OAuthError } from './oauth-error.js';

/** A Txn-Token Request (RFC 8693 §2.1 as profiled by the draft), as the service reads it. */
export interface TxnTokenRequest {
  readonly grantType: string;
  readonly requestedTokenType: string;
  readonly audience: string;
  readonly scope: string;
  readonly subjectToken: string;
  readonly subjectTokenType: string;
  readonly requestContext?: Readonly<Record<string, unknown>>;
  readonly requestDetails?: Readonly<Record<string, unknown>>;
  /** Our extension: the chain bound to the Txn-Token being replaced. */
  readonly nestoken?: string;
}

/** Far above the dozen a Txn-Token Request uses. */
const MAX_PARAMETERS = 32;

const bad = (description: string): never => {
  throw new OAuthError('invalid_request', description);
};

function jsonObject(text: string | undefined, name: string): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  // It becomes rctx or tctx of a signed Txn-Token: one object, each member once (two parsers
  // must not read two contexts), within the claim data model, bounded in depth and size.
  try {
    return parseJsonObject(text, name, DEFAULT_LIMITS);
  } catch (e) {
    if (e instanceof NestokenError) return bad(e.message);
    throw e;
  }
}

/**
 * Reads the form body: each parameter at most once (RFC 6749 §3.2), an empty value counts as
 * absent, the required ones present. Which values are acceptable is the service's business.
 */
export function parseTxnTokenRequest(form: URLSearchParams): TxnTokenRequest {
  if (!(form instanceof URLSearchParams)) throw new NestokenError('ERR_USAGE', 'parseTxnTokenRequest takes the form body as URLSearchParams');
  // Counted before any lookup: each lookup scans the whole form, so many names would cost their square.
  let count = 0;
  for (const _ of form.keys()) if (++count > MAX_PARAMETERS) bad(`more than ${MAX_PARAMETERS} parameters`);
  const one = (name: string): string | undefined => {
    const all = form.getAll(name);
    if (all.length > 1) bad(`${name} is repeated`);
    return all[0] === '' ? undefined : all[0];
  };
  for (const name of new Set(form.keys())) one(name);
  const required = (name: string): string => one(name) ?? bad(`${name} is required`);
  if (one('actor_token') !== undefined) bad('actor_token is not supported: the call chain travels as a nestoken');
  const requestContext = jsonObject(one('request_context'), 'request_context');
  const requestDetails = jsonObject(one('request_details'), 'request_details');
  const nestoken = one(NESTOKEN_PARAMETER);
  return {
    grantType: required('grant_type'),
    requestedTokenType: required('requested_token_type'),
    audience: required('audience'),
    scope: required('scope'),
    subjectToken: required('subject_token'),
    subjectTokenType: required('subject_token_type'),
    ...(requestContext ? { requestContext } : {}),
    ...(requestDetails ? { requestDetails } : {}),
    ...(nestoken !== undefined ? { nestoken } : {}),
  };
}
