import { NestokenError, resolveBounds } from '@nestoken/core';

/**
 * The header contract (README "Headers"). `Workload-Identity-Token` and `Workload-Proof-Token`
 * are the WIMSE names; `Nestoken` and `Nestoken-Crate` are ours, since no standard carries a
 * nested token or a crate yet.
 */
export const NESTOKEN_HEADER = 'Nestoken';
/** The header carrying a crate in the compact form. */
export const NESTOKEN_CRATE_HEADER = 'Nestoken-Crate';
/** The header carrying the calling workload's identity document (WIT). */
export const WORKLOAD_IDENTITY_TOKEN_HEADER = 'Workload-Identity-Token';

/** Characters allowed in each header value, checked before anything is decoded, and header fields per request. */
export interface HeaderLimits {
  readonly maxTokenChars: number;
  readonly maxCrateChars: number;
  readonly maxIdentityDocumentChars: number;
  /** `Workload-Proof-Token`, `Authorization` and `Txn-Token`. */
  readonly maxProofChars: number;
  /**
   * Header fields (lines) a request may have in all. Node stops parsing after
   * `server.maxHeadersCount` fields (2,000 by default) and drops the rest unseen, so a request
   * at or above this bound is refused rather than read partly; keep it below the server's.
   */
  readonly maxHeaderFields: number;
}

/** Node's own default cap on all request headers together is 16 KiB; ours are per value. */
export const DEFAULT_HEADER_LIMITS: HeaderLimits = Object.freeze({
  maxTokenChars: 16 * 1024,
  maxCrateChars: 16 * 1024,
  maxIdentityDocumentChars: 8 * 1024,
  maxProofChars: 8 * 1024,
  maxHeaderFields: 200,
});

/** The defaults need no checking: most services pass no limits, and this runs on every request. */
export const resolveHeaderLimits = (partial?: Partial<HeaderLimits>): HeaderLimits =>
  partial === undefined ? DEFAULT_HEADER_LIMITS : resolveBounds(DEFAULT_HEADER_LIMITS, partial, 'header limit');

/**
 * What the verifier reads from a request. Node's `IncomingMessage` is one (it has `rawHeaders`);
 * the Fetch API adapter and tests give `headersDistinct`.
 */
export interface RequestHeaders {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  /** Every field line, name and value alternating, as received: counted, never merged. Preferred when present. */
  readonly rawHeaders?: readonly string[] | undefined;
  /** Every value of each header, unjoined, by lower-case name. */
  readonly headersDistinct?: Readonly<Record<string, readonly string[] | undefined>> | undefined;
  /** `scheme://host[:port]` the request was addressed to, when the adapter knows it (Fetch API). */
  readonly origin?: string | undefined;
}

/** The values of the headers the binding reads, each at most once and within its bound. */
export type HeaderReader = (name: string, maxChars: number) => string | undefined;

/**
 * Reads the request's header lines once. A header sent twice is refused rather than joined:
 * HTTP would join the copies with ", ", and which copy wins must never be a guess. No value
 * the binding reads contains a comma (JWS, base64url, `~`), so a comma is a join made by
 * someone on the way (the Fetch API's `Headers` does it) and is refused the same way.
 */
export function headerReader(request: RequestHeaders, limits: HeaderLimits): HeaderReader {
  const raw = request.rawHeaders;
  let lines: (name: string) => readonly string[];
  if (raw) {
    if (raw.length / 2 >= limits.maxHeaderFields) {
      throw new NestokenError('ERR_INPUT_TOO_LARGE', `the request has ${raw.length / 2} header fields, at or above the limit of ${limits.maxHeaderFields}`);
    }
    const byName = new Map<string, string[]>();
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i]!.toLowerCase();
      const list = byName.get(name);
      if (list) list.push(raw[i + 1]!);
      else byName.set(name, [raw[i + 1]!]);
    }
    lines = (name) => byName.get(name) ?? [];
  } else {
    const distinct = request.headersDistinct ?? {};
    if (Object.keys(distinct).length >= limits.maxHeaderFields) {
      throw new NestokenError('ERR_INPUT_TOO_LARGE', `the request has more than ${limits.maxHeaderFields} header fields`);
    }
    lines = (name) => distinct[name] ?? [];
  }
  return (name, maxChars) => {
    const values = lines(name.toLowerCase());
    if (values.length === 0) return undefined;
    if (values.length > 1) throw new NestokenError('ERR_MALFORMED', `${name} was sent ${values.length} times`);
    const value = values[0]!;
    if (value.length > maxChars) throw new NestokenError('ERR_INPUT_TOO_LARGE', `${name} is ${value.length} characters, above the limit of ${maxChars}`);
    if (value.includes(',')) throw new NestokenError('ERR_MALFORMED', `${name} holds a comma: two field lines joined into one`);
    return value.trim();
  };
}
