import { fail } from '../errors.js';
import { checkAuthority, usableAuthorityKeyType, type Authority } from './authority.js';
import { createTrustBundle, type TrustBundle } from './bundle.js';
import { forKey, readKeySet } from './json-input.js';
import { checkTrustDomainName } from './scope.js';

/** Options of `loadWitIssuers`: the trust domain the issuer keys vouch for, or (opt-in) every trust domain. */
export type WitIssuerOptions =
  /** The trust domain whose WITs these keys sign. */
  | { readonly trustDomain: string; readonly anyTrustDomain?: never }
  /** Opt-in: the keys vouch for any trust domain (an issuer trusted for everything). */
  | { readonly anyTrustDomain: true; readonly trustDomain?: never };

/**
 * Reads a plain JWK Set of WIT issuers, as the WIMSE draft publishes them (spec §5.1): the
 * caller says that is what it is. Keys with `use` absent, `sig` or `wit-svid` sign WITs under
 * the WIMSE rules; keys marked for another SPIFFE role (`jwt-svid`, `x509-svid`) or another use
 * keep that role and are skipped, as are key types nestoken cannot verify.
 */
export function loadWitIssuers(input: string | Uint8Array | object, options: WitIssuerOptions): TrustBundle {
  if (typeof options !== 'object' || options === null) fail('ERR_USAGE', 'loadWitIssuers needs { trustDomain } or { anyTrustDomain: true }');
  const scope = options.anyTrustDomain === true ? { anyTrustDomain: true } : { trustDomain: checkTrustDomainName(options.trustDomain, 'trustDomain') };
  const what = 'WIT issuer JWKS';
  const { keys } = readKeySet(input, what);
  const authorities: Authority[] = [];
  keys.forEach((k, i) =>
    forKey(what, i, () => {
      if (k.use !== undefined && k.use !== 'sig' && k.use !== 'wit-svid') return;
      if (!usableAuthorityKeyType(k)) return;
      authorities.push(checkAuthority({ use: 'wit-svid', profile: 'wimse', jwk: k, ...scope }));
    }),
  );
  return createTrustBundle({ authorities });
}
