import { p256, p384, p521 } from '@noble/curves/nist.js';
import { fromB64u } from '../bytes.js';
import { canonicalJson } from '../encoding/json.js';
import { fail, NestokenError } from '../errors.js';
import { publicKeyFromBytes } from '../keys.js';
import { algsOfKeyType, documentAlg, PROFILE_ALGS, type DocumentAlg, type DocumentProfile } from './document-algorithms.js';
import { checkTrustDomainName } from './scope.js';

/**
 * A key that signs identity documents, and what for (spec §5.1). `use` is its role, taken from
 * the JWK and never from the file it came in: `wit-svid` keys verify WITs, `jwt-svid` keys
 * verify JWT-SVIDs only and so never vouch for a hop.
 */
export interface Authority {
  readonly use: 'wit-svid' | 'jwt-svid';
  /** Which rules its WITs are held to: SPIFFE's WIT-SVID profile for SPIFFE bundles, the WIMSE draft's for a plain JWKS of WIT issuers. */
  readonly profile: DocumentProfile;
  readonly kid?: string;
  /** The public JWK: its key members, and `alg` when the publisher named one. */
  readonly jwk: Readonly<Record<string, string>>;
  /** The algorithms this key verifies under its profile. */
  readonly algs: readonly DocumentAlg[];
  /** The one trust domain it vouches for; absent only with `anyTrustDomain`. */
  readonly trustDomain?: string;
  /** An authority for every trust domain: only by explicit opt-in (spec §5.4). */
  readonly anyTrustDomain?: true;
}

/** An identity-document issuer key as a caller gives it; checked and turned into an `Authority` wherever it enters a bundle. */
export interface AuthorityInit {
  readonly use: 'wit-svid' | 'jwt-svid';
  readonly profile?: DocumentProfile;
  /** A public JWK (RSA ≥ 2048 bits, EC P-256/384/521, OKP Ed25519). */
  readonly jwk: Readonly<Record<string, unknown>>;
  /** Default: the JWK's `kid`. */
  readonly kid?: string;
  readonly trustDomain?: string;
  readonly anyTrustDomain?: boolean;
}

const checked = new WeakSet<Authority>();

const EC_CURVES: Readonly<Record<string, { size: number; check: (point: Uint8Array) => void }>> = {
  'P-256': { size: 32, check: (p) => p256.Point.fromBytes(p).assertValidity() },
  'P-384': { size: 48, check: (p) => p384.Point.fromBytes(p).assertValidity() },
  'P-521': { size: 66, check: (p) => p521.Point.fromBytes(p).assertValidity() },
};

/** The key members of a JWK, checked: the input of its RFC 7638 thumbprint, and all a verifier needs. */
export function keyMembers(jwk: Readonly<Record<string, unknown>>): Record<string, string> {
  const str = (name: string): string => {
    const v = jwk[name];
    if (typeof v !== 'string') fail('ERR_KEY_INVALID', `JWK has no ${name}`);
    return v;
  };
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    publicKeyFromBytes(fromB64u(str('x'), 'JWK x', 32));
    return { crv: 'Ed25519', kty: 'OKP', x: str('x') };
  }
  if (jwk.kty === 'EC' && typeof jwk.crv === 'string' && Object.hasOwn(EC_CURVES, jwk.crv)) {
    const curve = EC_CURVES[jwk.crv]!;
    const point = new Uint8Array(1 + 2 * curve.size);
    point[0] = 4;
    point.set(fromB64u(str('x'), 'JWK x', curve.size), 1);
    point.set(fromB64u(str('y'), 'JWK y', curve.size), 1 + curve.size);
    try {
      curve.check(point);
    } catch {
      fail('ERR_KEY_INVALID', `${jwk.crv} key is not a point on the curve`);
    }
    return { crv: jwk.crv, kty: 'EC', x: str('x'), y: str('y') };
  }
  if (jwk.kty === 'RSA') {
    const n = fromB64u(str('n'), 'JWK n');
    const e = fromB64u(str('e'), 'JWK e');
    // 2048 bits is the floor of RFC 7518 §3.3; 8192 bounds the work a hostile key can cause.
    if (n.length < 256 || n.length > 1024 || n[0] === 0) fail('ERR_KEY_INVALID', 'an RSA modulus is 2048 to 8192 bits, without leading zero');
    if (e.length === 0 || e.length > 4 || e[0] === 0 || (e[e.length - 1]! & 1) === 0) fail('ERR_KEY_INVALID', 'an RSA exponent is odd, at most 32 bits');
    return { e: str('e'), kty: 'RSA', n: str('n') };
  }
  return fail('ERR_KEY_INVALID', 'not a usable public key type');
}

const REQUIRED: Readonly<Record<string, readonly string[]>> = { OKP: ['crv', 'kty', 'x'], EC: ['crv', 'kty', 'x', 'y'], RSA: ['e', 'kty', 'n'] };

/** The RFC 7638 required members of a JWK that already passed its checks, in their lexicographic order. */
export function requiredMembers(jwk: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of REQUIRED[jwk.kty as string] ?? ['kty']) out[m] = String(jwk[m]);
  return out;
}

/** Whether a JWK is of a type documents can be verified with at all; other types are skipped, not refused (spec §5.1). */
export const usableAuthorityKeyType = (jwk: Readonly<Record<string, unknown>>): boolean => algsOfKeyType(jwk).length > 0;

/** The canonical key members: two JWKs name the same key exactly when these are equal. */
export const keyFingerprint = (jwk: Readonly<Record<string, string>>): string => canonicalJson(jwk);

/** Checks an authority wherever it enters (loaders and `createTrustBundle` alike); failures are ERR_TRUST_BUNDLE. */
export function checkAuthority(a: AuthorityInit | Authority): Authority {
  if (checked.has(a as Authority)) return a as Authority;
  if (typeof a !== 'object' || a === null || typeof a.jwk !== 'object' || a.jwk === null) fail('ERR_TRUST_BUNDLE', 'an authority needs a public JWK');
  if (a.use !== 'wit-svid' && a.use !== 'jwt-svid') fail('ERR_TRUST_BUNDLE', 'an authority is a wit-svid or jwt-svid key');
  const profile = a.profile ?? 'wimse';
  if (profile !== 'wimse' && profile !== 'wit-svid') fail('ERR_TRUST_BUNDLE', 'an authority profile is wimse or wit-svid');
  if ('d' in a.jwk || 'p' in a.jwk) fail('ERR_TRUST_BUNDLE', 'an authority JWK must not hold a private key');
  let members: Record<string, string>;
  try {
    members = keyMembers(a.jwk);
  } catch (e) {
    if (e instanceof NestokenError) fail('ERR_TRUST_BUNDLE', `authority key: ${e.message}`);
    throw e;
  }
  let algs = algsOfKeyType(members).filter((alg) => PROFILE_ALGS[profile].has(alg));
  if (a.jwk.alg !== undefined) {
    const named = documentAlg(a.jwk.alg);
    if (named === undefined || !algsOfKeyType(members).includes(named)) fail('ERR_TRUST_BUNDLE', `authority key alg ${JSON.stringify(String(a.jwk.alg)).slice(0, 80)} does not fit its key type`);
    algs = algs.filter((alg) => alg === named);
  }
  const kid = a.kid ?? a.jwk.kid;
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0 || kid.length > 256)) fail('ERR_TRUST_BUNDLE', 'an authority kid is a string of 1 to 256 characters');
  let scope: { trustDomain: string } | { anyTrustDomain: true };
  if (a.anyTrustDomain === true) {
    if (a.trustDomain !== undefined) fail('ERR_USAGE', 'an authority has a trustDomain or anyTrustDomain, not both');
    scope = { anyTrustDomain: true };
  } else {
    if (a.trustDomain === undefined) fail('ERR_TRUST_DOMAIN', 'an authority belongs to one trust domain: give trustDomain (or opt in to anyTrustDomain)');
    scope = { trustDomain: checkTrustDomainName(a.trustDomain, 'trustDomain') };
  }
  const jwk = Object.freeze({ ...members, ...(a.jwk.alg !== undefined ? { alg: a.jwk.alg as string } : {}) });
  const authority: Authority = Object.freeze({ use: a.use, profile, ...(kid !== undefined ? { kid: kid as string } : {}), jwk, algs: Object.freeze(algs), ...scope });
  checked.add(authority);
  return authority;
}
