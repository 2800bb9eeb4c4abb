import { DEFAULT_LIMITS, fromB64u, NestokenError, parseJsonObject, type ErrorCode } from '@nestoken/core';

/** A byte order mark is kept as a character, so JSON.parse refuses it rather than skipping it. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A part of a compact JWS that another system wrote (a WPT's header or claims, a WIT's
 * claims), read as I-JSON (spec §4.4): canonical unpadded base64url, well-formed UTF-8, one
 * JSON object, no member name twice (`ERR_DUPLICATE_KEY`: two parsers could read two
 * different values), within the claim data model's bounds (`ERR_LIMIT_EXCEEDED`). Any other
 * failure carries `code`, the caller's own.
 */
export function jwsJsonPart(part: string, what: string, code: ErrorCode): Record<string, unknown> {
  let text: string;
  try {
    text = utf8.decode(fromB64u(part, what));
  } catch {
    throw new NestokenError(code, `the ${what} is not base64url UTF-8 JSON`);
  }
  try {
    return parseJsonObject(text, `the ${what}`, DEFAULT_LIMITS);
  } catch (e) {
    if (e instanceof NestokenError && (e.code === 'ERR_DUPLICATE_KEY' || e.code === 'ERR_LIMIT_EXCEEDED')) throw e;
    throw new NestokenError(code, e instanceof Error ? e.message : `the ${what} is not an I-JSON object`, { cause: e });
  }
}
