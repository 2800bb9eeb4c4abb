import { p256 } from '@noble/curves/nist.js';
import { b64u, fromB64u, fromUtf8, utf8 } from '../bytes.js';
import { cryptoBackend } from '../crypto/backend.js';
import { sha256 } from '../crypto/hash.js';
import { fail } from '../errors.js';
import { importPublicJwk, exportPublicJwk, type PublicKey, type SigningKey } from '../keys.js';
import { checkEd25519Signature } from '../modes/id.js';
import { BoundedCache } from './bounded-cache.js';
import type { Authority, TrustBundle } from './bundle.js';

/** What an identity document proves: this key belongs to this workload, until then. */
export interface ProvenIdentity {
  readonly identity: string;
  readonly key: PublicKey;
  readonly expiresAt: number;
  readonly authorityKid?: string;
}

const DOCUMENT_TYPES = new Set([undefined, 'JWT', 'wit+jwt']);

function parseJson(part: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(fromUtf8(fromB64u(part, what)));
  } catch (e) {
    if (e instanceof SyntaxError) fail('ERR_IDENTITY_DOCUMENT', `${what} is not JSON`);
    throw e;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('ERR_IDENTITY_DOCUMENT', `${what} must be an object`);
  return v as Record<string, unknown>;
}

/** Checks a signature made by an authority key (Ed25519, or ES256 over SHA-256 in the compact form). */
export async function authoritySignatureValid(a: Authority, input: Uint8Array, sig: Uint8Array): Promise<boolean> {
  if (a.alg === 'Ed25519') {
    if (!checkEd25519Signature(sig)) return false;
    return cryptoBackend().ed25519Verify(a.publicKey, input, sig);
  }
  if (sig.length !== 64) return false;
  return p256.verify(sig, sha256(input), a.publicKey, { prehash: false, lowS: false, format: 'compact' });
}

interface Verified {
  readonly proven: ProvenIdentity;
  readonly notBefore: number | undefined;
}

/**
 * Documents whose signature and contents were verified, by their text, per bundle; bounded.
 * A chain carries every hop's WIT, and the caller's comes again in its own header: each is
 * checked once, and only its times again on later use (spec §5.3).
 */
const verifiedDocuments = new WeakMap<TrustBundle, BoundedCache<string, Verified>>();
const MAX_CACHED_DOCUMENTS = 1024;

function checkTimes(v: Verified, at: { now: number; clockSkew: number }): ProvenIdentity {
  if (at.now >= v.proven.expiresAt + at.clockSkew) fail('ERR_EXPIRED', 'identity document has expired');
  if (v.notBefore !== undefined && at.now + at.clockSkew < v.notBefore) fail('ERR_NOT_YET_VALID', 'identity document is not yet valid');
  return v.proven;
}

/**
 * Verifies a WIMSE Workload Identity Token or JWT-SVID that carries the hop's key in
 * `cnf.jwk`, against the bundle's authorities (spec §5.3).
 */
export async function verifyIdentityDocument(
  jwt: string,
  trust: TrustBundle,
  at: { now: number; clockSkew: number },
): Promise<ProvenIdentity> {
  let cache = verifiedDocuments.get(trust);
  const hit = typeof jwt === 'string' ? cache?.get(jwt) : undefined;
  if (hit) return checkTimes(hit, at);
  const verified = await verifyDocumentOnce(jwt, trust);
  if (!cache) verifiedDocuments.set(trust, (cache = new BoundedCache(MAX_CACHED_DOCUMENTS)));
  cache.set(jwt, verified);
  return checkTimes(verified, at);
}

/** Everything about a document that does not depend on the time. */
async function verifyDocumentOnce(jwt: string, trust: TrustBundle): Promise<Verified> {
  const parts = jwt.split('.');
  if (parts.length !== 3) fail('ERR_IDENTITY_DOCUMENT', 'identity document is not a compact JWS');
  const header = parseJson(parts[0]!, 'identity document header');
  const claims = parseJson(parts[1]!, 'identity document claims');
  const signature = fromB64u(parts[2]!, 'identity document signature');
  if ('crit' in header) fail('ERR_CRIT_UNSUPPORTED', 'identity document has critical parameters');
  const alg = header.alg === 'EdDSA' ? 'Ed25519' : header.alg;
  if (alg !== 'Ed25519' && alg !== 'ES256') fail('ERR_ALG_NOT_ALLOWED', `identity document algorithm ${String(header.alg)} is not allowed`);
  if (!DOCUMENT_TYPES.has(header.typ as string | undefined)) fail('ERR_IDENTITY_DOCUMENT', `identity document typ ${String(header.typ)}`);
  const { sub, exp, nbf, cnf } = claims as { sub?: unknown; exp?: unknown; nbf?: unknown; cnf?: { jwk?: unknown } };
  if (typeof sub !== 'string' || sub === '') fail('ERR_IDENTITY_DOCUMENT', 'identity document has no sub');
  if (typeof exp !== 'number') fail('ERR_IDENTITY_DOCUMENT', 'identity document has no exp');
  if (typeof cnf?.jwk !== 'object') fail('ERR_IDENTITY_DOCUMENT', 'identity document has no cnf.jwk');
  const input = utf8(`${parts[0]}.${parts[1]}`);
  const candidates = trust.authorities.filter(
    (a) => a.alg === alg && (header.kid === undefined || a.kid === undefined || a.kid === header.kid),
  );
  let authority: Authority | undefined;
  for (const a of candidates) {
    if (await authoritySignatureValid(a, input, signature)) {
      authority = a;
      break;
    }
  }
  if (!authority) fail('ERR_KEY_UNTRUSTED', 'no authority in the trust bundle signed this identity document');
  if (authority.trustDomain !== undefined && !sub.startsWith(`spiffe://${authority.trustDomain}/`)) {
    fail('ERR_IDENTITY_DOCUMENT', `${sub} is outside the authority's trust domain ${authority.trustDomain}`);
  }
  let key: PublicKey;
  try {
    key = importPublicJwk(cnf!.jwk);
  } catch {
    return fail('ERR_IDENTITY_DOCUMENT', 'cnf.jwk is not a usable Ed25519 or P-256 key');
  }
  const proven = { identity: sub, key, expiresAt: exp, ...(authority.kid ? { authorityKid: authority.kid } : {}) };
  return { proven, notBefore: typeof nbf === 'number' ? nbf : undefined };
}

/** What `issueIdentityDocument` signs: the authority, the workload identity and key, the lifetime. */
export interface IdentityDocumentInit {
  /** The authority's Ed25519 key; its public JWK (with `use: "jwt-svid"`) goes in verifiers' bundles. */
  readonly authority: SigningKey;
  readonly subject: string;
  readonly key: PublicKey;
  readonly expiresAt: number;
  readonly issuer?: string;
  readonly issuedAt?: number;
  readonly jti?: string;
}

/** The bare key members of the hop's key (Ed25519 or P-256), without the thumbprint `kid`. */
function confirmationJwk(key: PublicKey): Record<string, unknown> {
  const { kid: _kid, ...jwk } = exportPublicJwk(key);
  return jwk;
}

/** Mints a WIMSE-style Workload Identity Token (typ `wit+jwt`) binding `subject` to `key`. */
export async function issueIdentityDocument(init: IdentityDocumentInit): Promise<string> {
  const header = { alg: 'EdDSA', kid: init.authority.publicKey.kid, typ: 'wit+jwt' };
  const claims = {
    ...(init.issuer ? { iss: init.issuer } : {}),
    sub: init.subject,
    exp: init.expiresAt,
    ...(init.issuedAt !== undefined ? { iat: init.issuedAt } : {}),
    ...(init.jti ? { jti: init.jti } : {}),
    cnf: { jwk: confirmationJwk(init.key) },
  };
  const input = `${b64u(utf8(JSON.stringify(header)))}.${b64u(utf8(JSON.stringify(claims)))}`;
  const sig = await cryptoBackend().ed25519Sign(init.authority.seed, utf8(input));
  return `${input}.${b64u(sig)}`;
}
