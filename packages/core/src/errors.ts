/**
 * One error class, stable codes. A code never changes meaning once published; the spec
 * section that defines the check is carried so a failure can be traced to the text.
 */
export const ERROR_CODES = {
  ERR_INPUT_TOO_LARGE: 'spec §7.1',
  ERR_LIMIT_EXCEEDED: 'spec §7.1',
  ERR_MALFORMED: 'spec §4.1',
  ERR_UNSUPPORTED_VERSION: 'spec §4.1',
  ERR_BASE64: 'spec §4.2',
  ERR_JSON: 'spec §4.2',
  ERR_CBOR: 'spec §4.3',
  ERR_NONCANONICAL: 'spec §4.4',
  ERR_DUPLICATE_KEY: 'spec §4.4',
  ERR_HEADER_INVALID: 'spec §3.2',
  ERR_CRIT_UNSUPPORTED: 'spec §3.2',
  ERR_ALG_NOT_ALLOWED: 'spec §3.2',
  ERR_ALG_KEY_MISMATCH: 'spec §7.4',
  ERR_CLAIMS_INVALID: 'spec §3.3',
  ERR_KEY_INVALID: 'spec §3.5',
  ERR_POINT_INVALID: 'spec §6.2',
  ERR_SCALAR_INVALID: 'spec §6.2',
  ERR_CHAIN_TRUNCATED: 'spec §7.3',
  ERR_CHAIN_LINK: 'spec §7.3',
  ERR_FORMAT_CHANGED: 'spec §4.5',
  ERR_MODE_MIXED: 'spec §7.3',
  ERR_KEY_BINDING: 'spec §7.4',
  ERR_KEY_UNTRUSTED: 'spec §7.4',
  ERR_IDENTITY_DOCUMENT: 'spec §5.3',
  ERR_DOCUMENT_MISSING: 'spec §4.6',
  ERR_DOCUMENT_MISMATCH: 'spec §4.6',
  ERR_X509_INVALID: 'spec §5.6',
  ERR_X509_SVID: 'spec §5.6',
  ERR_X509_CHAIN: 'spec §5.6',
  ERR_ISSUER_MISMATCH: 'spec §7.4',
  ERR_SIGNATURE_INVALID: 'spec §7.5',
  ERR_SEALED: 'spec §6.5',
  ERR_NOT_SEALED: 'spec §6.5',
  ERR_EXPIRED: 'spec §7.6',
  ERR_NOT_YET_VALID: 'spec §7.6',
  ERR_LIFETIME_WIDENED: 'spec §7.6',
  ERR_REVOKED: 'spec §7.7',
  ERR_AUDIENCE_MISMATCH: 'spec §7.8',
  ERR_TRUST_BUNDLE: 'spec §5.1',
  ERR_TRUST_DOMAIN: 'spec §5.4',
  ERR_USAGE: 'spec §2',
  ERR_CRATE_NODE_INVALID: 'spec §10.2',
  ERR_CRATE_CID_MISMATCH: 'spec §10.3',
  ERR_CRATE_DANGLING_LINK: 'spec §10.5',
  ERR_CRATE_CYCLE: 'spec §10.5',
  ERR_CRATE_MERGE_CONFLICT: 'spec §10.4',
  ERR_ATTESTATION_UNBOUND: 'spec §10.9',
  ERR_TOKEN_MISSING: 'spec §11.2',
  ERR_REQUEST_MISMATCH: 'spec §11.3',
  ERR_CRATE_UNBOUND: 'spec §11.4',
  ERR_CRATE_MISSING: 'spec §11.4',
  ERR_PROOF_MISSING: 'spec §11.7',
  ERR_PROOF_INVALID: 'spec §11.7',
  ERR_PROOF_MISMATCH: 'spec §11.7',
  ERR_PROOF_REPLAYED: 'spec §11.8',
  ERR_HOOK_FAILED: 'spec §11.8',
  ERR_PATH_POLICY: 'spec §7.10',
  ERR_TXN_TOKEN_INVALID: 'spec §12.2',
  ERR_TXN_TOKEN_AUDIENCE: 'spec §12.2',
  ERR_TXN_TOKEN_MISMATCH: 'spec §12.3',
  ERR_TXN_MISMATCH: 'spec §12.3',
  ERR_TOKEN_EXCHANGE: 'spec §12.4',
  ERR_STATUS_LIST: 'spec §13.1',
  ERR_STATUS_INDEX: 'spec §13.1',
  ERR_STATUS_TOKEN: 'spec §13.3',
  ERR_STATUS_INVALID: 'spec §13.4',
  ERR_STATUS_SUSPENDED: 'spec §13.4',
  ERR_STATUS_REFUSED: 'spec §13.4',
  ERR_STATUS_UNAVAILABLE: 'spec §13.4',
  ERR_IDENTITY_BANNED: 'spec §13.5',
  ERR_ISSUER_BANNED: 'spec §13.5',
} as const;

/** A stable error code: a key of `ERROR_CODES`. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Every failure of nestoken: a stable `code`, the layer it concerns when there is one, and the spec section of the check. */
export class NestokenError extends Error {
  override readonly name = 'NestokenError';
  readonly code: ErrorCode;
  /** Index of the layer the failure was found in, innermost = 0, when it concerns one layer. */
  readonly layer: number | undefined;

  /** Makes an error with its code, a message for people and, when one layer is at fault, its index. */
  constructor(code: ErrorCode, message: string, options?: { layer?: number; cause?: unknown }) {
    // An error about a caller's mistake must not fail itself on the caller's values.
    let layer: unknown;
    let cause: unknown;
    try {
      ({ layer, cause } = options ?? {});
    } catch {
      [layer, cause] = [undefined, undefined];
    }
    super(printable(message), cause === undefined ? undefined : { cause });
    this.code = typeof code === 'string' && Object.hasOwn(ERROR_CODES, code) ? code : 'ERR_USAGE';
    this.layer = Number.isSafeInteger(layer) ? (layer as number) : undefined;
  }

  /** The spec section that defines the failed check, e.g. `spec §7.5`. */
  get specRef(): string {
    return ERROR_CODES[this.code];
  }
}

/** Text for a message from a value of any type, without ever throwing. */
export function printable(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return String(value);
  } catch {
    return '(a value that cannot be printed)';
  }
}

/** Throws a NestokenError with this code (and layer): the one way core and its packages fail. */
export function fail(code: ErrorCode, message: string, layer?: number): never {
  throw new NestokenError(code, message, layer === undefined ? undefined : { layer });
}

/** Whether `e` is a NestokenError (of the given code, when one is given). */
export function isNestokenError(e: unknown, code?: ErrorCode): e is NestokenError {
  return e instanceof NestokenError && (code === undefined || e.code === code);
}

/** Names the layer a failure came from, unless a deeper check already did. */
export function atLayer(e: unknown, layer: number): unknown {
  if (e instanceof NestokenError && e.layer === undefined) return new NestokenError(e.code, e.message, { layer, cause: e.cause });
  return e;
}
