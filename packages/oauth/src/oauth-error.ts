/** RFC 6749 §5.2 error codes, plus RFC 8693's `invalid_target`. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope' | 'invalid_target';

/** A refusal of the Txn-Token Service, as it goes on the wire. */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    /** 400, except 401 for client authentication. */
    readonly status: number = error === 'invalid_client' ? 401 : 400,
  ) {
    super(`${error}: ${description}`);
  }
}
