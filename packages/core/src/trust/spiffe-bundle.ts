import { base64 } from '@scure/base';
import { fail } from '../errors.js';
import { checkAuthority, usableAuthorityKeyType, type Authority } from './authority.js';
import { createTrustBundle, type TrustBundle } from './bundle.js';
import { forKey, readKeySet } from './json-input.js';
import { checkTrustDomainName } from './scope.js';

/** Options of `loadSpiffeBundle`: which trust domain the bundle is read for. */
export interface SpiffeBundleOptions {
  /** The trust domain this bundle is for: everything in it vouches for that domain only. */
  readonly trustDomain: string;
}

const MAX_CERTIFICATE_BYTES = 16 * 1024;

function x509Root(k: Record<string, unknown>): Uint8Array {
  const x5c = k.x5c;
  if (!Array.isArray(x5c) || x5c.length !== 1 || typeof x5c[0] !== 'string') fail('ERR_TRUST_BUNDLE', 'an x509-svid key holds exactly one certificate in x5c');
  const text = x5c[0];
  if (text.length > (MAX_CERTIFICATE_BYTES * 4) / 3 + 4) fail('ERR_TRUST_BUNDLE', 'an x509-svid certificate is too large');
  let der: Uint8Array;
  try {
    der = base64.decode(text);
  } catch {
    return fail('ERR_TRUST_BUNDLE', 'x5c is not base64 (RFC 7517 §4.7)');
  }
  if (der.length < 2 || der[0] !== 0x30) fail('ERR_TRUST_BUNDLE', 'x5c does not hold a DER certificate');
  return der;
}

/** SPIFFE's `kid` rule for JWT keys: present, so validators select by it. */
function spiffeAuthority(k: Record<string, unknown>, use: 'wit-svid' | 'jwt-svid', trustDomain: string): Authority | undefined {
  if (!usableAuthorityKeyType(k)) return undefined;
  if (typeof k.kid !== 'string') fail('ERR_TRUST_BUNDLE', `a ${use} key names itself in kid`);
  const a = checkAuthority({ use, profile: 'wit-svid', jwk: k, trustDomain });
  // An Ed25519 key cannot sign a WIT-SVID: SPIFFE's algorithm list has no EdDSA, so it vouches for nothing.
  return use === 'wit-svid' && a.algs.length === 0 ? undefined : a;
}

/**
 * Reads the SPIFFE bundle of one trust domain (spec §5.1). A key's `use` decides its role:
 * `wit-svid` keys verify WIT-SVIDs, `jwt-svid` keys verify JWT-SVIDs only (kept, never used to
 * vouch for a hop), `x509-svid` keys are the domain's X.509 roots. Keys with a missing or
 * unknown `use`, and key types nestoken cannot use, are ignored, as the SPIFFE bundle format
 * requires. An empty `keys` array is a valid bundle that trusts nothing in the domain.
 */
export function loadSpiffeBundle(input: string | Uint8Array | object, options: SpiffeBundleOptions): TrustBundle {
  if (typeof options !== 'object' || options === null) fail('ERR_USAGE', 'loadSpiffeBundle needs { trustDomain }');
  const trustDomain = checkTrustDomainName(options.trustDomain, 'trustDomain');
  const what = `SPIFFE bundle of ${trustDomain}`;
  const { doc, keys } = readKeySet(input, what);
  const whole = (name: string): number | undefined => {
    const v = doc[name];
    if (v === undefined) return undefined;
    if (!Number.isSafeInteger(v) || (v as number) < 0) fail('ERR_TRUST_BUNDLE', `${what}: ${name} is a whole number ≥ 0`);
    return v as number;
  };
  const sequence = whole('spiffe_sequence');
  const refreshHint = whole('spiffe_refresh_hint');
  const authorities: Authority[] = [];
  const x509Roots: Uint8Array[] = [];
  keys.forEach((k, i) =>
    forKey(what, i, () => {
      if (k.use === 'x509-svid') x509Roots.push(x509Root(k));
      else if (k.use === 'wit-svid' || k.use === 'jwt-svid') {
        const a = spiffeAuthority(k, k.use, trustDomain);
        if (a) authorities.push(a);
      }
    }),
  );
  return createTrustBundle({
    authorities,
    domains: [{ trustDomain, ...(sequence !== undefined ? { sequence } : {}), ...(refreshHint !== undefined ? { refreshHint } : {}), x509Roots }],
  });
}
