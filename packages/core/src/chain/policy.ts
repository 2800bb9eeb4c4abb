import { fail, type ErrorCode } from '../errors.js';
import type { Layer, StatusClaim } from '../encoding/layer.js';

export interface Lifetime {
  readonly notBefore?: number;
  readonly expiresAt: number;
}

/**
 * The chain is valid only where every layer is: the intersection of their windows. A layer
 * may narrow the lifetime it received, never widen it (spec §7.6).
 */
export function effectiveLifetime(layers: readonly Layer[], now: number, clockSkew: number): Lifetime {
  const rootExp = layers[0]!.claims.exp;
  if (rootExp === undefined) fail('ERR_CLAIMS_INVALID', 'the root layer must carry exp', 0);
  let expiresAt = rootExp;
  let notBefore: number | undefined;
  layers.forEach((layer, i) => {
    const { exp, nbf, iat } = layer.claims;
    if (exp !== undefined) {
      if (exp > expiresAt) fail('ERR_LIFETIME_WIDENED', `layer ${i} extends the lifetime it received`, i);
      expiresAt = exp;
    }
    if (nbf !== undefined) notBefore = Math.max(notBefore ?? nbf, nbf);
    if (iat !== undefined && iat > now + clockSkew) fail('ERR_NOT_YET_VALID', `layer ${i} was issued in the future: iat ${iat}, now ${now}, clock skew ${clockSkew} s`, i);
  });
  if (now >= expiresAt + clockSkew) fail('ERR_EXPIRED', `the chain has expired: exp ${expiresAt}, now ${now}, clock skew ${clockSkew} s (expired ${now - expiresAt} s ago)`);
  if (notBefore !== undefined && now + clockSkew < notBefore) fail('ERR_NOT_YET_VALID', `the chain is not yet valid: nbf ${notBefore}, now ${now}, clock skew ${clockSkew} s (valid in ${notBefore - now - clockSkew} s)`);
  return notBefore === undefined ? { expiresAt } : { notBefore, expiresAt };
}

/** What a revocation hook is shown of each layer: enough to ban a layer, a jti, a workload or a root issuer. */
export interface RevocationQuery {
  readonly index: number;
  readonly digest: string;
  readonly jti?: string;
  readonly identity?: string;
  readonly keyThumbprint?: string;
  /** The identity that started the chain (the root layer's signer). */
  readonly issuer: string;
  /** The layer's `status` claim, where its status is published (spec §13.2). */
  readonly status?: StatusClaim;
}

/**
 * `true` bans the layer (`ERR_REVOKED`). To name another cause the hook throws a
 * `NestokenError` with one of `REVOCATION_CODES`; anything else it throws fails closed as
 * `ERR_REVOKED` (spec §7.7).
 */
export type RevocationCheck = (layer: RevocationQuery) => boolean | Promise<boolean>;

/** The codes a revocation hook may raise itself: each names why a layer is refused. */
export const REVOCATION_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'ERR_REVOKED',
  'ERR_STATUS_LIST',
  'ERR_STATUS_INDEX',
  'ERR_STATUS_TOKEN',
  'ERR_STATUS_INVALID',
  'ERR_STATUS_SUSPENDED',
  'ERR_STATUS_REFUSED',
  'ERR_STATUS_UNAVAILABLE',
  'ERR_IDENTITY_BANNED',
  'ERR_ISSUER_BANNED',
]);
