import { authoritySignatureValid, exportPrivateJwk, fromB64u, NestokenError, type ConfirmationKey, type PublicKey, type SigningKey } from '@nestoken/core';
import { base64url, CompactSign, compactVerify, importJWK, type CryptoKey } from 'jose';
import { verificationKeyOf } from './confirmation-key.js';
import { jwsJsonPart } from './jws-part.js';
import { tokenHash } from './token-hash.js';

/** draft-ietf-wimse-wpt: the header that carries the proof, and its media type. */
export const WORKLOAD_PROOF_TOKEN_HEADER = 'Workload-Proof-Token';
/** The JWS `typ` of a Workload Proof Token (`wpt+jwt`); `application/wpt+jwt` is accepted too. */
export const WPT_TYP = 'wpt+jwt';

import { TXN_TOKEN_HEADER } from '@nestoken/oauth';
/** The OAuth Transaction Token header (its own package's constant) that a WPT binds with `tth`. */
export { TXN_TOKEN_HEADER };
/** Seconds a proof made by nestokenHop lives. */
export const DEFAULT_PROOF_LIFETIME = 30;

/** The claims of a WPT. `oth` maps lower-cased header names to the hash of their value. */
export interface WorkloadProofClaims {
  readonly aud: string;
  readonly exp: number;
  readonly jti: string;
  readonly wth: string;
  readonly ath?: string;
  readonly tth?: string;
  readonly oth?: Readonly<Record<string, string>>;
  readonly [other: string]: unknown;
}

/** Members in code-unit order, nested objects too: one byte string per claim set, the order of the draft's example. */
const sorted = (v: unknown): unknown =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]))
    : v;

const signers = new WeakMap<SigningKey, Promise<CryptoKey | Uint8Array>>();

/** The JWS algorithm of a nestoken signing key. */
export const joseAlgOf = (key: SigningKey): string => (key.publicKey.alg === 'ES256' ? 'ES256' : 'EdDSA');

/** `EdDSA` and `Ed25519` (RFC 9864) name one algorithm for an Ed25519 key. */
export const sameJoseAlg = (a: string, b: string): boolean => (a === 'Ed25519' ? 'EdDSA' : a) === (b === 'Ed25519' ? 'EdDSA' : b);

/** A signing key as jose needs it; imported once per key object. */
function signerOf(key: SigningKey): Promise<CryptoKey | Uint8Array> {
  let k = signers.get(key);
  if (!k) {
    k = importJWK({ ...exportPrivateJwk(key) }, joseAlgOf(key));
    signers.set(key, k);
  }
  return k;
}

/** Signs a WPT: header `{"alg", "typ": "wpt+jwt"}`, claims with members in sorted order. */
export async function signWorkloadProof(
  claims: WorkloadProofClaims,
  key: SigningKey | { readonly key: CryptoKey | Uint8Array; readonly alg: string },
  /** The header's `alg`: the WIT's `cnf.jwk.alg` when it names the key's algorithm another way (`Ed25519` for `EdDSA`). */
  headerAlg?: string,
): Promise<string> {
  const { alg, k } = 'seed' in key ? { alg: headerAlg ?? joseAlgOf(key), k: await signerOf(key) } : { alg: key.alg, k: key.key };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(sorted(claims))))
    .setProtectedHeader({ alg, typ: WPT_TYP })
    .sign(k);
}

/** The WPT `aud` for a URL: its target URI without query or fragment. */
export function proofAudience(url: string | URL): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

/** 128 bits from the platform CSPRNG, base64url. */
export const newJti = (random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string => base64url.encode(random(16));

/** The credentials of an `Authorization` value (`Bearer x` -> `x`), which `ath` hashes. */
export function accessTokenOf(authorization: string): string {
  const m = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ +(.+)$/.exec(authorization.trim());
  return m ? m[1]!.trim() : authorization.trim();
}

/** What a request carries that the proof must cover. */
export interface ProofSubject {
  /** The target URI as the receiver names it, without query or fragment. */
  readonly audience: string | readonly string[];
  readonly wit: string;
  readonly authorization?: string;
  readonly txnToken?: string;
  /** Header values the receiver requires under `oth`, by lower-cased name; absent headers omitted. */
  readonly covered: Readonly<Record<string, string>>;
}

/** What a proof is checked with: the key the WIT confirms, the time and clock skew, and the longest lifetime allowed (all seconds). */
export interface ProofCheck {
  readonly confirmation: ConfirmationKey;
  /**
   * The same key as core imported it from the verified WIT (an Ed25519 or P-256 key). When
   * given, the signature is checked through core's crypto seam; otherwise with jose.
   */
  readonly key?: PublicKey;
  readonly now: number;
  readonly clockSkew: number;
  /** Proofs whose `exp` is further than this from now are refused as not short-lived. */
  readonly maxLifetime: number;
}

const invalid = (message: string): never => {
  throw new NestokenError('ERR_PROOF_INVALID', message);
};
const mismatch = (message: string): never => {
  throw new NestokenError('ERR_PROOF_MISMATCH', message);
};

const isB64uHash = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{43}$/.test(v);

/**
 * Checks a WPT against the key its WIT confirms and the request it came with
 * (draft-ietf-wimse-wpt §3, spec §11.7): typed `wpt+jwt`, `alg` equal to the WIT's `cnf.jwk.alg`,
 * signed by that key, addressed to this target, short-lived and unexpired, and every hash
 * recomputed: `wth`, `ath` / `tth` whenever those tokens are present (and never when absent),
 * and `oth`, whose every entry must be one the receiver covers and every covered header must
 * be in it. Returns the claims; the replay check is the caller's.
 */
export async function checkWorkloadProof(wpt: string, subject: ProofSubject, check: ProofCheck): Promise<WorkloadProofClaims> {
  const parts = wpt.split('.');
  if (parts.length !== 3) invalid('the WPT is not a compact JWS');
  // One spelling per proof (jose ignores unused trailing base64url bits) and one value per member.
  const header = jwsJsonPart(parts[0]!, 'WPT header', 'ERR_PROOF_INVALID');
  const claims = jwsJsonPart(parts[1]!, 'WPT claims', 'ERR_PROOF_INVALID') as Partial<WorkloadProofClaims>;
  let signature: Uint8Array | undefined;
  try {
    signature = fromB64u(parts[2]!, 'the WPT signature');
  } catch {
    invalid('the WPT signature is not canonical base64url');
  }
  if (header.typ !== WPT_TYP && header.typ !== `application/${WPT_TYP}`) invalid(`the WPT typ must be ${WPT_TYP}`);
  if (header.alg !== check.confirmation.jwsAlg) invalid(`the WPT alg ${String(header.alg).slice(0, 40)} is not the WIT's cnf.jwk.alg ${check.confirmation.jwsAlg}`);
  // No extension is understood; without crit, the signing input is always header.payload as sent.
  if ('crit' in header) throw new NestokenError('ERR_CRIT_UNSUPPORTED', 'the WPT names critical header parameters');
  if (!(await signatureHolds(wpt, signature!, check))) invalid('the WPT signature does not verify with the key the WIT confirms');
  const { aud, exp, jti } = claims;
  if (typeof exp !== 'number' || !Number.isSafeInteger(exp)) invalid('the WPT has no integer exp');
  if (check.now >= exp! + check.clockSkew) throw new NestokenError('ERR_EXPIRED', 'the WPT has expired');
  if (exp! - check.now > check.maxLifetime + check.clockSkew) invalid(`the WPT lives longer than ${check.maxLifetime} s`);
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) invalid('the WPT jti must be a string of 1 to 256 characters');
  const audiences = typeof subject.audience === 'string' ? [subject.audience] : subject.audience;
  if (typeof aud !== 'string' || !audiences.includes(aud)) mismatch(`the WPT is for ${String(aud).slice(0, 200)}, not this target`);
  if (!isB64uHash(claims.wth) || claims.wth !== tokenHash(subject.wit)) mismatch('wth is not the hash of the Workload-Identity-Token sent');
  checkOptionalHash(claims.ath, subject.authorization === undefined ? undefined : accessTokenOf(subject.authorization), 'ath', 'Authorization');
  checkOptionalHash(claims.tth, subject.txnToken, 'tth', TXN_TOKEN_HEADER);
  checkOther(claims.oth, subject.covered);
  return claims as WorkloadProofClaims;
}

/** Ed25519 / EdDSA and ES256 name exactly the algorithm of a layer key of that type. */
const SEAM_ALGS: Readonly<Record<string, PublicKey['alg']>> = { EdDSA: 'Ed25519', Ed25519: 'Ed25519', ES256: 'ES256' };

/**
 * The signature over the ASCII of `header.payload`. With `crit` refused and `alg` fixed by
 * the WIT, this is the whole of what jose's compactVerify checks, so the seam (one synchronous
 * verify with a cached key object on Node) gives the same answer: the Ed25519 rules (S < L)
 * and ES256 with either S are core's foreign-signature rules, which the tests hold to jose's.
 * Other key types (RSA, P-384...) go through jose.
 */
async function signatureHolds(wpt: string, signature: Uint8Array, check: ProofCheck): Promise<boolean> {
  const input = new TextEncoder().encode(wpt.slice(0, wpt.lastIndexOf('.')));
  if (check.key && SEAM_ALGS[check.confirmation.jwsAlg] === check.key.alg) return authoritySignatureValid(check.key, input, signature);
  try {
    await compactVerify(wpt, await verificationKeyOf(check.confirmation), { algorithms: [check.confirmation.jwsAlg] });
    return true;
  } catch (e) {
    if (e instanceof NestokenError) throw e;
    return false;
  }
}

function checkOptionalHash(claimed: unknown, value: string | undefined, name: string, header: string): void {
  if (value === undefined) {
    if (claimed !== undefined) mismatch(`${name} is present but the request has no ${header}`);
    return;
  }
  if (claimed === undefined) mismatch(`the request has ${header} but the WPT has no ${name}`);
  if (!isB64uHash(claimed) || claimed !== tokenHash(value)) mismatch(`${name} is not the hash of the ${header} sent`);
}

function checkOther(oth: unknown, covered: Readonly<Record<string, string>>): void {
  const entries = oth === undefined ? {} : oth;
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) return mismatch('oth must be an object');
  for (const [name, hash] of Object.entries(entries)) {
    // An entry not understood would be a token the sender meant to bind and we would not check.
    if (!Object.hasOwn(covered, name)) mismatch(`oth names ${name.slice(0, 100)}, which this receiver does not check or the request does not carry`);
    if (!isB64uHash(hash) || hash !== tokenHash(covered[name]!)) mismatch(`oth.${name} is not the hash of the ${name} header sent`);
  }
  for (const name of Object.keys(covered)) {
    if (!Object.hasOwn(entries, name)) mismatch(`the request carries ${name} but the WPT's oth does not cover it`);
  }
}
