import { NestokenError, resolveBounds } from '@nestoken/core';

/**
 * The header contract (README "Headers"). `Workload-Identity-Token` is the WIMSE name for the
 * caller's identity document; the other two are ours, since no standard carries a nested token
 * or a crate yet.
 */
export const NESTOKEN_HEADER = 'Nestoken';
/** The header carrying a crate in the compact form. */
export const NESTOKEN_CRATE_HEADER = 'Nestoken-Crate';
/** The header carrying the calling workload's identity document (WIT). */
export const WORKLOAD_IDENTITY_TOKEN_HEADER = 'Workload-Identity-Token';

/** Characters allowed in each header value, checked before anything is decoded. */
export interface HeaderLimits {
  readonly maxTokenChars: number;
  readonly maxCrateChars: number;
  readonly maxIdentityDocumentChars: number;
}

/** Node's own default cap on all request headers together is 16 KiB; ours are per value. */
export const DEFAULT_HEADER_LIMITS: HeaderLimits = Object.freeze({
  maxTokenChars: 16 * 1024,
  maxCrateChars: 16 * 1024,
  maxIdentityDocumentChars: 8 * 1024,
});

export const resolveHeaderLimits = (partial?: Partial<HeaderLimits>): HeaderLimits =>
  resolveBounds(DEFAULT_HEADER_LIMITS, partial, 'header limit');

/** What the verifier reads from a request: Node's `IncomingMessage` is one. */
export interface RequestHeaders {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  /** Every value of each header, unjoined (Node's `headersDistinct`). */
  readonly headersDistinct: Readonly<Record<string, readonly string[] | undefined>>;
}

/**
 * One header's value, bounded. A header sent twice is refused rather than joined: Node would
 * join the copies with ", ", and which copy wins must never be a guess.
 */
export function readHeader(request: RequestHeaders, name: string, maxChars: number): string | undefined {
  const values = request.headersDistinct[name.toLowerCase()];
  if (values === undefined || values.length === 0) return undefined;
  if (values.length > 1) throw new NestokenError('ERR_MALFORMED', `${name} was sent ${values.length} times`);
  const value = values[0]!;
  if (value.length > maxChars) throw new NestokenError('ERR_INPUT_TOO_LARGE', `${name} is ${value.length} characters, above the limit of ${maxChars}`);
  return value;
}
