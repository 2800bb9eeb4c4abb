/** Names fixed by RFC 8693 and draft-ietf-oauth-transaction-tokens (spec §12). */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const TXN_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:txn_token';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
export const SELF_SIGNED_TYPE = 'urn:ietf:params:oauth:token-type:self_signed';
export const UNSIGNED_JSON_TYPE = 'urn:ietf:params:oauth:token-type:unsigned_json';
export const REFRESH_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:refresh_token';
/** The JWT `typ` of a Txn-Token. */
export const TXN_TOKEN_TYP = 'txntoken+jwt';
/** The HTTP field that carries a Txn-Token between workloads. */
export const TXN_TOKEN_HEADER = 'Txn-Token';
/** RFC 8693 `token_type` of a token that is not an access token. */
export const NOT_APPLICABLE = 'N_A';
/**
 * Our extension parameter (RFC 6749 §8.2) in requests and responses: the nestoken chain bound to
 * the Txn-Token. Unknown parameters are ignored by other clients and services.
 */
export const NESTOKEN_PARAMETER = 'nestoken';
/** Bounds on what a Txn-Token and a token request may weigh, checked before parsing. */
export const MAX_TXN_TOKEN_CHARS = 8 * 1024;
export const MAX_REQUEST_BYTES = 64 * 1024;
