import type { CryptoKey } from 'jose';
import { fromB64u, fromUtf8 } from '../bytes.js';
import { keyAlgOfJwk } from '../crypto/algorithms.js';
import { parseJsonObject } from '../encoding/json.js';
import { documentDigest } from '../encoding/documents.js';
import { fail, NestokenError } from '../errors.js';
import { importPublicJwk, type PublicKey } from '../keys.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { algsOfKeyType, documentAlg, PROFILE_ALGS, type DocumentAlg, type DocumentProfile } from './document-algorithms.js';
import { keyMembers, requiredMembers, type Authority } from './authority.js';
import { isTrustBundle, type TrustBundle } from './bundle.js';
import { BoundedCache } from './bounded-cache.js';
import { scopeOf } from './scope.js';
import { jose } from './jose.js';

/** A foreign value in a message: quoted, one line, bounded. */
const shown = (v: unknown): string => JSON.stringify(String(v)).slice(0, 80);

/** The key a WIT confirms: what the workload must prove possession of, and with which algorithm. */
export interface ConfirmationKey {
  /** `cnf.jwk.alg`, with `EdDSA` read as `Ed25519`. */
  readonly alg: DocumentAlg;
  /** `cnf.jwk.alg` as the WIT writes it (`EdDSA` or `Ed25519`): the `alg` a proof of possession made with the key names (a WIMSE WPT, spec §11.7). */
  readonly jwsAlg: string;
  /** The key members of `cnf.jwk`. */
  readonly jwk: Readonly<Record<string, string>>;
  /** Its RFC 7638 SHA-256 thumbprint, base64url. */
  readonly thumbprint: string;
}

/** What a WIT proves: this key belongs to this workload, until then. */
export interface ProvenIdentity {
  readonly identity: string;
  readonly trustDomain: string;
  readonly expiresAt: number;
  readonly profile: DocumentProfile;
  readonly authorityKid?: string;
  readonly confirmation: ConfirmationKey;
  /** The confirmed key as a layer key, when nestoken can sign layers with its type. */
  readonly key?: PublicKey;
}

/** The time a WIT is checked at: `now` and the allowed `clockSkew`, both in seconds. */
export interface DocumentCheckTime {
  readonly now: number;
  readonly clockSkew: number;
  /** Longest document accepted, in characters; default the longest string a layer may carry. */
  readonly maxLength?: number;
}

const DOCUMENT_LIMITS = DEFAULT_LIMITS;

function part(text: string, what: string): Record<string, unknown> {
  try {
    return parseJsonObject(fromUtf8(fromB64u(text, what)), what, DOCUMENT_LIMITS);
  } catch (e) {
    if (e instanceof NestokenError && (e.code === 'ERR_JSON' || e.code === 'ERR_CLAIMS_INVALID')) fail('ERR_IDENTITY_DOCUMENT', `${what}: ${e.message}`);
    throw e;
  }
}

interface Parsed {
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
  readonly alg: DocumentAlg;
  readonly sub: string;
  readonly scheme: string;
  readonly trustDomain: string;
  readonly exp: number;
  readonly cnfJwk: Record<string, unknown>;
  readonly cnfAlg: DocumentAlg;
}

/** Steps 1-6 of spec §5.3: the shape every WIT has, before any key is chosen. */
function parse(wit: unknown, maxLength: number): Parsed {
  if (typeof wit !== 'string') fail('ERR_IDENTITY_DOCUMENT', 'an identity document is a compact JWS');
  if (wit.length > maxLength) fail('ERR_INPUT_TOO_LARGE', `identity document is ${wit.length} characters, above the limit of ${maxLength}`);
  const parts = wit.split('.');
  if (parts.length !== 3) fail('ERR_IDENTITY_DOCUMENT', 'identity document is not a compact JWS');
  const header = part(parts[0]!, 'identity document header');
  const claims = part(parts[1]!, 'identity document claims');
  fromB64u(parts[2]!, 'identity document signature');
  if ('crit' in header) fail('ERR_CRIT_UNSUPPORTED', 'identity document has critical parameters');
  const alg = documentAlg(header.alg);
  if (alg === undefined) fail('ERR_ALG_NOT_ALLOWED', `identity document algorithm ${shown(header.alg)} is not allowed`);
  if (header.typ !== 'wit+jwt') fail('ERR_IDENTITY_DOCUMENT', `identity document typ must be wit+jwt, not ${shown(header.typ)}`);
  if (header.kid !== undefined && typeof header.kid !== 'string') fail('ERR_IDENTITY_DOCUMENT', 'identity document kid is a string');
  const { sub, exp, nbf, iat, cnf } = claims;
  if (typeof sub !== 'string' || sub === '') fail('ERR_IDENTITY_DOCUMENT', 'identity document has no sub');
  const scope = scopeOf(sub);
  if (!scope || scope.scheme === 'https') fail('ERR_IDENTITY_DOCUMENT', 'identity document sub must be a spiffe:// or wimse:// URI naming a trust domain');
  if (typeof exp !== 'number') fail('ERR_IDENTITY_DOCUMENT', 'identity document has no numeric exp');
  if ((nbf !== undefined && typeof nbf !== 'number') || (iat !== undefined && typeof iat !== 'number')) fail('ERR_IDENTITY_DOCUMENT', 'identity document nbf and iat are numbers');
  const jwk = (cnf as { jwk?: unknown } | undefined)?.jwk;
  if (typeof cnf !== 'object' || cnf === null || typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) fail('ERR_IDENTITY_DOCUMENT', 'identity document has no cnf.jwk');
  const cnfJwk = jwk as Record<string, unknown>;
  if (cnfJwk.alg === undefined) fail('ERR_IDENTITY_DOCUMENT', 'cnf.jwk has no alg: the WIT must say which algorithm proves possession');
  const cnfAlg = documentAlg(cnfJwk.alg);
  if (cnfAlg === undefined) fail('ERR_ALG_NOT_ALLOWED', `cnf.jwk.alg ${shown(cnfJwk.alg)} is not an allowed signature algorithm`);
  if (!algsOfKeyType(cnfJwk).includes(cnfAlg)) fail('ERR_IDENTITY_DOCUMENT', `cnf.jwk.alg ${shown(cnfJwk.alg)} does not fit the key type`);
  if ('d' in cnfJwk || 'p' in cnfJwk) fail('ERR_IDENTITY_DOCUMENT', 'cnf.jwk holds a private key');
  return { header, claims, alg, sub, scheme: scope.scheme, trustDomain: scope.trustDomain, exp, cnfJwk, cnfAlg };
}

/** SPIFFE's WIT-SVID profile on top of the WIMSE rules (spec §5.3 step 8), for authorities read from a SPIFFE bundle. */
function profileProblem(a: Authority, d: Parsed): NestokenError | undefined {
  if (a.profile !== 'wit-svid') return undefined;
  const allowed = PROFILE_ALGS['wit-svid'];
  if (!allowed.has(d.alg)) return new NestokenError('ERR_ALG_NOT_ALLOWED', `a WIT-SVID is not signed with ${d.alg}`);
  if (!allowed.has(d.cnfAlg)) return new NestokenError('ERR_ALG_NOT_ALLOWED', `a WIT-SVID does not confirm ${d.cnfAlg} keys`);
  if (d.header.kid === undefined) return new NestokenError('ERR_IDENTITY_DOCUMENT', 'a WIT-SVID names its issuer key in kid');
  if ('aud' in d.claims) return new NestokenError('ERR_IDENTITY_DOCUMENT', 'a WIT-SVID carries no aud');
  if (d.scheme !== 'spiffe') return new NestokenError('ERR_IDENTITY_DOCUMENT', 'a WIT-SVID sub is a SPIFFE ID');
  return undefined;
}

const keyMatches = (a: Authority, d: Parsed): boolean =>
  a.algs.includes(d.alg) && (a.profile === 'wit-svid' ? a.kid === d.header.kid : d.header.kid === undefined || a.kid === undefined || a.kid === d.header.kid);

/** Imported once per authority and algorithm (an RSA key serves RS* and PS* as different keys in WebCrypto). */
const imported = new WeakMap<Authority, Map<string, Promise<CryptoKey | Uint8Array>>>();
function cryptoKeyOf(a: Authority, alg: string): Promise<CryptoKey | Uint8Array> {
  let byAlg = imported.get(a);
  if (!byAlg) imported.set(a, (byAlg = new Map()));
  let k = byAlg.get(alg);
  if (!k) {
    const { alg: _named, ...members } = a.jwk;
    k = jose().then(({ importJWK }) => importJWK(members, alg));
    byAlg.set(alg, k);
  }
  return k;
}

/** Signature and times through jose; a bad signature means "not this authority", anything else is the document's fault. */
async function verifiedBy(a: Authority, wit: string, d: Parsed, at: DocumentCheckTime): Promise<boolean> {
  const alg = d.header.alg as string;
  const { jwtVerify, errors: joseErrors } = await jose();
  try {
    await jwtVerify(wit, await cryptoKeyOf(a, alg), { algorithms: [alg], currentDate: new Date(at.now * 1000), clockTolerance: at.clockSkew });
    return true;
  } catch (e) {
    if (e instanceof joseErrors.JWSSignatureVerificationFailed) return false;
    if (e instanceof joseErrors.JWTExpired) fail('ERR_EXPIRED', 'identity document has expired');
    if (e instanceof joseErrors.JWTClaimValidationFailed && e.claim === 'nbf') fail('ERR_NOT_YET_VALID', 'identity document is not yet valid');
    if (e instanceof joseErrors.JOSEAlgNotAllowed || e instanceof joseErrors.JOSENotSupported) fail('ERR_ALG_NOT_ALLOWED', `identity document: ${e.message}`);
    return fail('ERR_IDENTITY_DOCUMENT', `identity document: ${e instanceof Error ? e.message : 'not verifiable'}`);
  }
}

/**
 * Verifies a Workload Identity Token (draft-ietf-wimse-workload-creds; SPIFFE WIT-SVID) that
 * binds a workload's key in `cnf.jwk`, against the WIT issuers of the trust domain of its
 * `sub` (spec §5.3). `iss` is never used to find keys.
 */
export async function verifyIdentityDocument(wit: string, trust: TrustBundle, at: DocumentCheckTime): Promise<ProvenIdentity> {
  if (!isTrustBundle(trust)) fail('ERR_USAGE', 'verifyIdentityDocument needs a trust bundle');
  if (typeof at !== 'object' || at === null || !Number.isSafeInteger(at.now) || !Number.isSafeInteger(at.clockSkew) || at.clockSkew < 0) {
    fail('ERR_USAGE', 'now and clockSkew are whole seconds');
  }
  if (at.maxLength !== undefined && (!Number.isSafeInteger(at.maxLength) || at.maxLength <= 0)) fail('ERR_USAGE', 'maxLength is a positive whole number');
  const maxLength = at.maxLength ?? DOCUMENT_LIMITS.maxStringLength;
  let cache = verifiedDocuments.get(trust);
  const digest = typeof wit === 'string' && wit.length <= maxLength ? documentDigest({ wit }) : undefined;
  const hit = digest === undefined ? undefined : cache?.get(digest);
  if (hit) return timesHold(hit, at);
  const verified = await verifyOnce(wit, trust, at, maxLength);
  if (!cache) verifiedDocuments.set(trust, (cache = new BoundedCache(MAX_CACHED_DOCUMENTS)));
  cache.set(digest!, verified);
  return verified.proven;
}

interface Verified {
  readonly proven: ProvenIdentity;
  readonly notBefore: number | undefined;
}

/**
 * WITs already verified, by their digest (spec §4.6: SHA-256 of the exact text), per trust bundle; bounded. A chain carries every
 * hop's WIT and the caller's comes again in its own header: each is checked once, and on later
 * use only its times again, with jose's comparisons (spec §5.3).
 */
const verifiedDocuments = new WeakMap<TrustBundle, BoundedCache<string, Verified>>();
const MAX_CACHED_DOCUMENTS = 1024;

function timesHold(v: Verified, at: DocumentCheckTime): ProvenIdentity {
  if (at.now >= v.proven.expiresAt + at.clockSkew) fail('ERR_EXPIRED', 'identity document has expired');
  if (v.notBefore !== undefined && at.now + at.clockSkew < v.notBefore) fail('ERR_NOT_YET_VALID', 'identity document is not yet valid');
  return v.proven;
}

async function verifyOnce(wit: string, trust: TrustBundle, at: DocumentCheckTime, maxLength: number): Promise<Verified> {
  const d = parse(wit, maxLength);
  const anchors = trust.authorities.filter((a) => a.use === 'wit-svid' && (a.anyTrustDomain === true || a.trustDomain === d.trustDomain));
  if (anchors.length === 0) fail('ERR_TRUST_DOMAIN', `no WIT issuer is trusted for the trust domain ${d.trustDomain}`);
  let problem: NestokenError | undefined;
  const candidates = anchors.filter((a) => {
    const p = profileProblem(a, d);
    problem ??= p;
    return p === undefined && keyMatches(a, d);
  });
  let authority: Authority | undefined;
  for (const a of candidates) {
    if (await verifiedBy(a, wit, d, at)) {
      authority = a;
      break;
    }
  }
  if (!authority) {
    if (candidates.length === 0 && problem) throw problem;
    fail('ERR_KEY_UNTRUSTED', `no WIT issuer of ${d.trustDomain} signed this identity document`);
  }
  // A layer key type is checked once, by its import; other types (RSA, P-384...) by their JWK checks.
  let members: Record<string, string>;
  let key: PublicKey | undefined;
  try {
    if (keyAlgOfJwk(d.cnfJwk) !== undefined) {
      key = importPublicJwk(d.cnfJwk);
      members = requiredMembers(d.cnfJwk);
    } else members = keyMembers(d.cnfJwk);
  } catch (e) {
    if (e instanceof NestokenError) fail('ERR_IDENTITY_DOCUMENT', `cnf.jwk: ${e.message}`);
    throw e;
  }
  const thumbprint = key ? key.kid : await (await jose()).calculateJwkThumbprint(members as never, 'sha256');
  const proven: ProvenIdentity = {
    identity: d.sub,
    trustDomain: d.trustDomain,
    expiresAt: d.exp,
    profile: authority.profile,
    ...(authority.kid !== undefined ? { authorityKid: authority.kid } : {}),
    confirmation: { alg: d.cnfAlg, jwsAlg: d.cnfJwk.alg as string, jwk: Object.freeze(members), thumbprint },
    ...(key ? { key } : {}),
  };
  return { proven: Object.freeze(proven), notBefore: typeof d.claims.nbf === 'number' ? d.claims.nbf : undefined };
}
