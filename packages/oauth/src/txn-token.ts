import { base64url, createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet } from 'jose';
import { DEFAULT_LIMITS, NestokenError, parseJsonObject } from '@nestoken/core';
import { MAX_TXN_TOKEN_CHARS, TXN_TOKEN_TYP } from './constants.js';
import { checkOptions, isKeySet, isPlainObject, isText, isWhole } from './options.js';

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

/** How a Txn-Token is verified: the service keys, the audience, the time. */
export interface TxnTokenVerifyOptions {
  /** The Txn-Token Service's public keys (a JWKS); each Txn-Token names its key by `kid`. */
  readonly keys: JSONWebKeySet;
  /** This workload's trust domain: the Txn-Token's `aud` must name it. */
  readonly trustDomain: string;
  /** JWS algorithms accepted, among the asymmetric ones; default all of them. */
  readonly algorithms?: readonly string[];
  /** Seconds since the epoch; default: the clock. */
  readonly now?: number;
  /** Seconds, at most 600; default 60. */
  readonly clockSkew?: number;
  /** Characters, at most 65536; default 8192. */
  readonly maxLength?: number;
}

/**
 * Signature algorithms a Txn-Token may use: asymmetric only. `none` is no signature, and an HMAC
 * algorithm would make the service's public keys the shared secret (the RS256/HS256 confusion).
 */
export const TXN_TOKEN_ALGORITHMS: readonly string[] = ['ES256', 'ES384', 'ES512', 'Ed25519', 'EdDSA', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512'];
const MAX_CLOCK_SKEW = 600;
const MAX_LENGTH_BOUND = 64 * 1024;

const OPTIONS = {
  keys: isKeySet,
  trustDomain: isText,
  algorithms: (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((a) => TXN_TOKEN_ALGORITHMS.includes(a as string)),
  now: (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0,
  clockSkew: isWhole(0, MAX_CLOCK_SKEW),
  maxLength: isWhole(1, MAX_LENGTH_BOUND),
};

/** One key set per JWKS object: jose then imports each key once, not on every Txn-Token. */
const keySets = new WeakMap<JSONWebKeySet, ReturnType<typeof createLocalJWKSet>>();
function keySetOf(jwks: JSONWebKeySet): ReturnType<typeof createLocalJWKSet> {
  let set = keySets.get(jwks);
  if (!set) {
    try {
      set = createLocalJWKSet(jwks);
    } catch (e) {
      throw new NestokenError('ERR_USAGE', 'the Txn-Token Service keys are not a JWKS', { cause: e });
    }
    keySets.set(jwks, set);
  }
  return set;
}

const invalid = (message: string, cause?: unknown): NestokenError => new NestokenError('ERR_TXN_TOKEN_INVALID', message, cause === undefined ? undefined : { cause });

/** Three base64url segments, nothing else: no padding, no white space, no JWE (five segments). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * One segment as a JSON object, refused before any signature work when it is not UTF-8 JSON, repeats
 * a member name (jose keeps the last, another parser the first: both readings are refused), or
 * leaves the claim data model (depth, size, lone surrogates, integers beyond 2^53; spec §4.2).
 */
function segment(part: string, what: string): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(base64url.decode(part));
  } catch (e) {
    throw invalid(`the ${what} is not base64url UTF-8 JSON`, e);
  }
  try {
    return parseJsonObject(text, `Txn-Token ${what}`, DEFAULT_LIMITS);
  } catch (e) {
    if (e instanceof NestokenError && (e.code === 'ERR_DUPLICATE_KEY' || e.code === 'ERR_LIMIT_EXCEEDED')) throw e;
    throw invalid(e instanceof Error ? e.message : `the ${what} is not an I-JSON object`, e);
  }
}

/** The claim rules of the draft, beyond the signature (spec §12.2 steps 5–7). */
function checkTxnClaims(p: Record<string, unknown>, trustDomain: string, now: number, skew: number): TxnTokenClaims {
  for (const k of ['iat', 'exp'] as const) if (!Number.isSafeInteger(p[k])) throw invalid(`a Txn-Token carries ${k} in whole seconds`);
  const iat = p.iat as number;
  const exp = p.exp as number;
  if (now > exp + skew) throw invalid('the Txn-Token has expired');
  if (iat > now + skew) throw invalid('the Txn-Token is issued in the future');
  if (exp < iat) throw invalid('the Txn-Token expires before it is issued');
  for (const k of ['txn', 'sub', 'scope', 'req_wl'] as const) if (typeof p[k] !== 'string' || p[k] === '') throw invalid(`a Txn-Token carries ${k} as non-empty text`);
  for (const k of ['tctx', 'rctx'] as const) if (p[k] !== undefined && !isPlainObject(p[k])) throw invalid(`${k} is a JSON object`);
  const aud = p.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : undefined;
  if (!audiences || audiences.length === 0 || !audiences.every((a) => typeof a === 'string' && a !== '')) throw invalid('a Txn-Token names its trust domain in aud');
  if (!audiences.includes(trustDomain)) throw new NestokenError('ERR_TXN_TOKEN_AUDIENCE', `the Txn-Token is for ${audiences.join(', ').slice(0, 300)}, not ${trustDomain}`);
  return p as TxnTokenClaims;
}

/**
 * Verifies a Txn-Token against the Txn-Token Service's keys, in the order of spec §12.2: bounded
 * size, compact form, header and payload as strict JSON, header (`alg` asymmetric and allowed,
 * `typ` `txntoken+jwt`, a `kid`, no `crit`), the signature (jose), the lifetime, the required
 * claims, the trust domain. Every failure is a NestokenError.
 */
export async function verifyTxnToken(token: string, options: TxnTokenVerifyOptions): Promise<TxnTokenClaims> {
  checkOptions(options, 'verifyTxnToken', OPTIONS, ['keys', 'trustDomain']);
  if (typeof token !== 'string') throw new NestokenError('ERR_USAGE', 'a Txn-Token is text');
  const max = options.maxLength ?? MAX_TXN_TOKEN_CHARS;
  if (token.length > max) throw new NestokenError('ERR_INPUT_TOO_LARGE', `the Txn-Token is ${token.length} characters, above ${max}`);
  if (!COMPACT_JWS.test(token)) throw invalid('a Txn-Token is a JWS in compact serialization: three base64url segments');
  const [h, p] = token.split('.') as [string, string];
  const header = segment(h, 'header');
  const payload = segment(p, 'payload');
  const algorithms = options.algorithms ?? TXN_TOKEN_ALGORITHMS;
  if (typeof header.alg !== 'string' || !algorithms.includes(header.alg)) throw invalid(`alg ${JSON.stringify(header.alg)?.slice(0, 40)} is not an algorithm this verifier accepts`);
  if (header.typ !== TXN_TOKEN_TYP) throw invalid(`typ must be ${TXN_TOKEN_TYP}`);
  if (typeof header.kid !== 'string' || header.kid === '') throw invalid('a Txn-Token names its key by kid');
  if (header.crit !== undefined) throw invalid('no critical header parameters are understood');
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const skew = options.clockSkew ?? 60;
  try {
    await jwtVerify(token, keySetOf(options.keys), { typ: TXN_TOKEN_TYP, algorithms: [...algorithms], currentDate: new Date(now * 1000), clockTolerance: skew });
  } catch (e) {
    if (e instanceof NestokenError) throw e;
    if (e instanceof errors.JWTExpired) throw invalid('the Txn-Token has expired', e);
    throw invalid(`the Txn-Token does not verify: ${e instanceof Error ? e.message : 'unknown failure'}`, e);
  }
  return checkTxnClaims(payload, options.trustDomain, now, skew);
}
