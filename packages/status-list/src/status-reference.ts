import { checkStatusClaim, decodeCbor, decodeCoseSign1, DEFAULT_LIMITS, fail, fromB64u, isNestokenError, parseJsonObject, type StatusClaim, type StatusListReference } from '@nestoken/core';

/** The CWT claim key of `status` (status list draft, CWT Claims registry). */
export const CWT_STATUS_CLAIM = 65535;
/** A referenced token is small; its own verifier bounds it, this bounds the parse. */
const MAX_REFERENCED_TOKEN_BYTES = 64 * 1024;
const DEPTH = 16;
/** The claim data model, with strings as long as the token itself may be. */
const REFERENCED_JSON_LIMITS = { ...DEFAULT_LIMITS, maxStringLength: MAX_REFERENCED_TOKEN_BYTES };

/** The status list reference of a layer's (or any token's) `status` claim, if it has one. */
export function statusListReference(status: StatusClaim | undefined): StatusListReference | undefined {
  return status === undefined ? undefined : checkStatusClaim(status).status_list;
}

/** CBOR maps with text keys as plain objects, so the one claim check of core applies. */
function plain(v: unknown): unknown {
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v) {
      if (typeof k !== 'string') fail('ERR_CLAIMS_INVALID', 'the status claim has text keys');
      o[k] = plain(x);
    }
    return o;
  }
  return Array.isArray(v) ? v.map(plain) : v;
}

/**
 * Reads the status reference of a foreign referenced token: a JWT (its payload's `status`) or
 * a CWT (claim 65535). It only parses: checking the token's own signature is its verifier's
 * business. Every failure is `ERR_CLAIMS_INVALID` or a decoding code.
 */
export function referencedTokenStatus(token: string | Uint8Array): StatusListReference {
  const size = typeof token === 'string' ? token.length : token.length;
  if (size > MAX_REFERENCED_TOKEN_BYTES) fail('ERR_INPUT_TOO_LARGE', 'the referenced token is too large');
  let status: unknown;
  if (typeof token === 'string') {
    const parts = token.split('.');
    if (parts.length !== 3) fail('ERR_MALFORMED', 'a JWT has three parts');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(fromB64u(parts[1]!, 'payload'));
    } catch (e) {
      if (isNestokenError(e)) throw e;
      return fail('ERR_JSON', 'the JWT payload is not UTF-8');
    }
    // Another issuer's JSON: a status member sent twice could name two lists to two parsers.
    status = parseJsonObject(text, 'the JWT payload', REFERENCED_JSON_LIMITS).status;
  } else {
    const { payload } = decodeCoseSign1(token, 4, true);
    const claims = decodeCbor(payload, 'claims', DEPTH, true);
    if (!(claims instanceof Map)) fail('ERR_CLAIMS_INVALID', 'the CWT claims are a map');
    status = plain(claims.get(CWT_STATUS_CLAIM));
  }
  if (status === undefined) fail('ERR_CLAIMS_INVALID', 'the token carries no status claim');
  const ref = checkStatusClaim(status).status_list;
  if (ref === undefined) fail('ERR_CLAIMS_INVALID', 'the status claim names no status list');
  return ref;
}
