import { base64url, createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet } from 'jose';
import { hasDuplicateJsonMember, NestokenError } from '@nestoken/core';
import { MAX_TXN_TOKEN_CHARS, TXN_TOKEN_TYP } from './constants.js';

/** The claims of a Txn-Token (draft-ietf-oauth-transaction-tokens, "JWT Body Claims"). */
export interface TxnTokenClaims {
  readonly iat: number;
  /** The trust domain the Txn-Token is valid in. */
  readonly aud: string;
  readonly exp: number;
  /** The transaction identifier (RFC 8417 §2.2). */
  readonly txn: string;
  readonly sub: string;
  readonly scope: string;
  /** The workload that requested the Txn-Token. */
  readonly req_wl: string;
  readonly tctx?: Readonly<Record<string, unknown>>;
  readonly rctx?: Readonly<Record<string, unknown>>;
  readonly iss?: string;
  readonly [claim: string]: unknown;
}

export interface TxnTokenVerifyOptions {
  /** The Txn-Token Service's public keys (a JWKS); each Txn-Token names its key by `kid`. */
  readonly keys: JSONWebKeySet;
  /** This workload's trust domain: the Txn-Token's `aud` must name it. */
  readonly trustDomain: string;
  /** JWS algorithms accepted; default the asymmetric ones a TTS uses. */
  readonly algorithms?: readonly string[];
  /** Seconds since the epoch; default: the clock. */
  readonly now?: number;
  /** Seconds; default 60. */
  readonly clockSkew?: number;
  /** Characters; default 8192. */
  readonly maxLength?: number;
}

/** One key set per JWKS object: jose then imports each key once, not on every Txn-Token. */
const keySets = new WeakMap<JSONWebKeySet, ReturnType<typeof createLocalJWKSet>>();
function keySetOf(jwks: JSONWebKeySet): ReturnType<typeof createLocalJWKSet> {
  let set = keySets.get(jwks);
  if (!set) {
    set = createLocalJWKSet(jwks);
    keySets.set(jwks, set);
  }
  return set;
}

const DEFAULT_ALGORITHMS = ['ES256', 'ES384', 'Ed25519', 'EdDSA', 'PS256', 'RS256'];
const invalid = (message: string, cause?: unknown): NestokenError => new NestokenError('ERR_TXN_TOKEN_INVALID', message, cause === undefined ? undefined : { cause });

const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';
const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The claim rules of the draft, beyond what the JWT layer checks. */
function checkTxnClaims(p: Record<string, unknown>, trustDomain: string): TxnTokenClaims {
  for (const k of ['txn', 'sub', 'scope', 'req_wl'] as const) if (!isText(p[k])) throw invalid(`a Txn-Token carries ${k} as non-empty text`);
  for (const k of ['iat', 'exp'] as const) if (!Number.isSafeInteger(p[k])) throw invalid(`a Txn-Token carries ${k}`);
  for (const k of ['tctx', 'rctx'] as const) if (p[k] !== undefined && !isObject(p[k])) throw invalid(`${k} is a JSON object`);
  const aud = p.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : undefined;
  if (!audiences || audiences.length === 0 || !audiences.every(isText)) throw invalid('a Txn-Token names its trust domain in aud');
  if (!audiences.includes(trustDomain)) throw new NestokenError('ERR_TXN_TOKEN_AUDIENCE', `the Txn-Token is for ${audiences.join(', ')}, not ${trustDomain}`);
  return p as TxnTokenClaims;
}

/**
 * Verifies a Txn-Token with jose against the Txn-Token Service's keys (spec §12.2): bounded
 * size, `typ` `txntoken+jwt`, a `kid`, the signature, the lifetime, the trust domain, and the
 * required claims. Every failure is a NestokenError.
 */
export async function verifyTxnToken(token: string, options: TxnTokenVerifyOptions): Promise<TxnTokenClaims> {
  if (!options || typeof options !== 'object' || typeof options.keys !== 'object' || options.keys === null || !Array.isArray(options.keys.keys) || !isText(options.trustDomain)) throw new NestokenError('ERR_USAGE', 'verifyTxnToken needs the service keys and the trust domain');
  const max = options.maxLength ?? MAX_TXN_TOKEN_CHARS;
  if (typeof token !== 'string') throw invalid('a Txn-Token is text');
  if (token.length > max) throw new NestokenError('ERR_INPUT_TOO_LARGE', `the Txn-Token is ${token.length} characters, above ${max}`);
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch (e) {
    throw invalid('not a compact JWS', e);
  }
  if (header.typ !== TXN_TOKEN_TYP) throw invalid(`typ must be ${TXN_TOKEN_TYP}`);
  if (!isText(header.kid)) throw invalid('a Txn-Token names its key by kid');
  if (header.crit !== undefined) throw invalid('no critical header parameters are understood');
  const now = options.now ?? Math.floor(Date.now() / 1000);
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keySetOf(options.keys), {
      typ: TXN_TOKEN_TYP,
      algorithms: [...(options.algorithms ?? DEFAULT_ALGORITHMS)],
      currentDate: new Date(now * 1000),
      clockTolerance: options.clockSkew ?? 60,
      requiredClaims: ['iat', 'exp', 'aud', 'txn', 'sub', 'scope', 'req_wl'],
    }));
  } catch (e) {
    if (e instanceof errors.JWTExpired) throw invalid('the Txn-Token has expired', e);
    throw invalid(`the Txn-Token does not verify: ${e instanceof Error ? e.message : 'unknown failure'}`, e);
  }
  // jose keeps the last of repeated members; another parser may keep the first. Refuse both readings.
  const [h, p] = token.split('.') as [string, string];
  const text = (part: string) => new TextDecoder().decode(base64url.decode(part));
  if (hasDuplicateJsonMember(text(h)) || hasDuplicateJsonMember(text(p))) throw new NestokenError('ERR_DUPLICATE_KEY', 'the Txn-Token repeats a member name');
  return checkTxnClaims(payload, options.trustDomain);
}
