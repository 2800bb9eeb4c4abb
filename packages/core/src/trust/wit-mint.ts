import { fail } from '../errors.js';
import { exportPrivateJwk, exportPublicJwk, type PublicKey, type SigningKey } from '../keys.js';
import { requiredMembers } from './authority.js';
import { scopeOf } from './scope.js';
import { jose } from './jose.js';

/** What `issueIdentityDocument` mints a WIT from: the issuer key, the workload's identity and key, and its lifetime (seconds since the epoch). */
export interface IdentityDocumentInit {
  /** The issuer's key; its public JWK goes in verifiers' WIT issuer sets (`witIssuerJwks`). */
  readonly authority: SigningKey;
  /** The workload identity: a `spiffe://` or `wimse://` URI. */
  readonly subject: string;
  /** The workload's key, which signs its layers. */
  readonly key: PublicKey;
  readonly expiresAt: number;
  readonly issuer?: string;
  readonly issuedAt?: number;
  readonly notBefore?: number;
  readonly jti?: string;
}


/**
 * Mints a Workload Identity Token as draft-ietf-wimse-workload-creds defines it (spec §5.3):
 * header `{alg, kid, typ: "wit+jwt"}` with the fully specified `alg`, and `cnf.jwk` carrying
 * the workload key's `alg`. Signed through jose, as any foreign verifier would check it.
 */
export async function issueIdentityDocument(init: IdentityDocumentInit): Promise<string> {
  if (typeof init !== 'object' || init === null) fail('ERR_USAGE', 'issueIdentityDocument needs an authority, a subject, a key and expiresAt');
  const scope = scopeOf(init.subject);
  if (!scope || scope.scheme === 'https') fail('ERR_USAGE', 'a WIT subject is a spiffe:// or wimse:// URI');
  if (!Number.isSafeInteger(init.expiresAt)) fail('ERR_USAGE', 'expiresAt is whole seconds');
  const authorityJwk = exportPrivateJwk(init.authority);
  // The fully specified JOSE names (RFC 9864 Ed25519, RFC 7518 ES256) are nestoken's key algorithms.
  const alg = init.authority.publicKey.alg;
  const cnfJwk = exportPublicJwk(init.key);
  const claims = {
    ...(init.issuer !== undefined ? { iss: init.issuer } : {}),
    sub: init.subject,
    exp: init.expiresAt,
    ...(init.notBefore !== undefined ? { nbf: init.notBefore } : {}),
    ...(init.issuedAt !== undefined ? { iat: init.issuedAt } : {}),
    ...(init.jti !== undefined ? { jti: init.jti } : {}),
    cnf: { jwk: { ...requiredMembers(cnfJwk), alg: init.key.alg } },
  };
  const { kid: _kid, ...privateJwk } = authorityJwk;
  const { importJWK, SignJWT } = await jose();
  const signingKey = await importJWK(privateJwk, alg);
  return new SignJWT(claims).setProtectedHeader({ alg, kid: init.authority.publicKey.kid, typ: 'wit+jwt' }).sign(signingKey);
}

/** The public JWK Set verifiers load with `loadWitIssuers` (or as the `wit-svid` keys of a SPIFFE bundle). */
export function witIssuerJwks(...authorities: SigningKey[]): { keys: Record<string, unknown>[] } {
  return {
    keys: authorities.map((a) => {
      return { ...requiredMembers(exportPublicJwk(a)), kid: a.publicKey.kid, use: 'wit-svid', alg: a.publicKey.alg };
    }),
  };
}
