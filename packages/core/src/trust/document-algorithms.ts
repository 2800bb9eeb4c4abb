/**
 * The JWS algorithms of identity documents (spec §5.3): which an issuer may sign a WIT with,
 * which a `cnf.jwk` may name, and which key types each needs. Everything else (`none`, HMAC,
 * encryption algorithms, unknown names) is refused before any key is looked at.
 */
export type DocumentAlg = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'Ed25519';

/** The rules a WIT is held to: the WIMSE draft's, or SPIFFE's WIT-SVID profile of them. */
export type DocumentProfile = 'wimse' | 'wit-svid';

const RSA: readonly DocumentAlg[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const EC: Readonly<Record<string, DocumentAlg>> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };

/** Per profile, the algorithms allowed for the document's signature and for `cnf.jwk.alg`: SPIFFE lists no EdDSA. */
export const PROFILE_ALGS: Readonly<Record<DocumentProfile, ReadonlySet<DocumentAlg>>> = {
  wimse: new Set<DocumentAlg>([...RSA, 'ES256', 'ES384', 'ES512', 'Ed25519']),
  'wit-svid': new Set<DocumentAlg>([...RSA, 'ES256', 'ES384', 'ES512']),
};

/** `EdDSA` (RFC 8037) and `Ed25519` (RFC 9864) name the same algorithm for an Ed25519 key. */
export function documentAlg(name: unknown): DocumentAlg | undefined {
  if (name === 'EdDSA') return 'Ed25519';
  return typeof name === 'string' && PROFILE_ALGS.wimse.has(name as DocumentAlg) ? (name as DocumentAlg) : undefined;
}

/** The algorithms a public JWK can verify, by `kty` and `crv`; a JWK `alg` narrows them to one. */
export function algsOfKeyType(jwk: Readonly<Record<string, unknown>>): readonly DocumentAlg[] {
  if (jwk.kty === 'RSA') return RSA;
  if (jwk.kty === 'EC' && typeof jwk.crv === 'string' && Object.hasOwn(EC, jwk.crv)) return [EC[jwk.crv]!];
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return ['Ed25519'];
  return [];
}
