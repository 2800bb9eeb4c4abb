/**
 * The claims a layer may carry (spec §3.3). The set is open: any name not listed here is an
 * application claim whose value only has to fit the data model. The rows below are the claims
 * the format gives a meaning or a CBOR key; each is one row, so a newly adopted claim is one
 * more line here and in spec §3.3 / §4.3.
 */
export interface ClaimRow {
  readonly name: string;
  /** Its key in the IANA CWT Claims registry (RFC 8392 §9.1); absent: the text name is the CBOR key. */
  readonly cwtKey?: number;
}

/** The v1 snapshot of the CWT registry rows nestoken maps; a claim registered later keeps its text name in v1. */
export const REGISTERED_CLAIMS: readonly ClaimRow[] = [
  { name: 'iss', cwtKey: 1 },
  { name: 'sub', cwtKey: 2 },
  { name: 'aud', cwtKey: 3 },
  { name: 'exp', cwtKey: 4 },
  { name: 'nbf', cwtKey: 5 },
  { name: 'iat', cwtKey: 6 },
  { name: 'jti', cwtKey: 7 },
  { name: 'cnf', cwtKey: 8 },
  { name: 'scope', cwtKey: 9 },
  // The OAuth Token Status List draft's claim (spec §13.2); inside it the keys stay text.
  { name: 'status', cwtKey: 65535 },
];

/** JSON name -> CWT key and back. Maps, not objects, so `__proto__` or `toString` are just names. */
export const CWT_KEY_OF: ReadonlyMap<string, number> = new Map(REGISTERED_CLAIMS.filter((r) => r.cwtKey !== undefined).map((r) => [r.name, r.cwtKey!]));
export const CLAIM_NAME_OF: ReadonlyMap<unknown, string> = new Map([...CWT_KEY_OF].map(([name, key]) => [key, name]));

/** Names held back for later versions of the format: refused as claims (spec §3.3). */
export const RESERVED_CLAIM_PREFIX = 'nst_';
