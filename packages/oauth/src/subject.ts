import { DEFAULT_LIMITS, NestokenError, parseJsonObject } from '@nestoken/core';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { ACCESS_TOKEN_TYPE, REFRESH_TOKEN_TYPE, SELF_SIGNED_TYPE, TXN_TOKEN_TYPE, UNSIGNED_JSON_TYPE } from './constants.js';
import { OAuthError } from './oauth-error.js';
import { isKeySet } from './options.js';
import { TXN_TOKEN_ALGORITHMS, verifyTxnToken, type TxnTokenClaims, type TxnTokenVerifyOptions } from './txn-token.js';

/** What the service learns from a subject token. */
export interface Subject {
  readonly sub: string;
  /** The scope the subject token carries; unknown scope is refused, never taken as unlimited. */
  readonly scope?: string;
  /** Set when the subject token is a Txn-Token: this request replaces it. */
  readonly replaces?: TxnTokenClaims;
}

export interface SubjectValidators {
  /** Deployment-specific: check an access token and say whose it is and its scope; undefined = not valid. */
  readonly validateAccessToken?: (token: string) => Promise<{ sub: string; scope?: string } | undefined>;
  /** Keys of the workload named by a self-signed JWT's `iss`; undefined = unknown workload. */
  readonly selfSignedKeys?: (issuer: string) => Promise<JSONWebKeySet | undefined>;
  /** Whether `unsigned_json` subject tokens (anyone can write one) are accepted: an explicit opt-in. */
  readonly allowUnsignedJsonSubject?: boolean;
  /** The identifier a self-signed JWT must name in `aud`. */
  readonly serviceId: string;
  /** How this service verifies its own Txn-Tokens when one is presented for replacement. */
  readonly txnTokens: TxnTokenVerifyOptions;
  readonly now: number;
}

const invalidSubject = (description: string): never => {
  throw new OAuthError('invalid_request', description);
};
const MAX_SUBJECT_CHARS = 16 * 1024;

async function selfSigned(token: string, v: SubjectValidators): Promise<Subject> {
  if (!v.selfSignedKeys) return invalidSubject('self-signed subject tokens are not accepted here');
  let iss: unknown;
  try {
    // Unverified, only to find the workload's keys; the claims are trusted after jwtVerify below.
    iss = decodeJwt(token).iss;
  } catch {
    return invalidSubject('the self-signed subject token is not a JWT');
  }
  if (typeof iss !== 'string') return invalidSubject('a self-signed subject token names its workload in iss');
  const keys = await v.selfSignedKeys(iss);
  if (!keys) return invalidSubject(`unknown workload ${iss.slice(0, 100)}`);
  if (!isKeySet(keys)) return invalidSubject('the workload keys are not a JWKS');
  try {
    // Asymmetric algorithms only: a workload's public key must never serve as an HMAC secret.
    const { payload } = await jwtVerify(token, createLocalJWKSet(keys), { algorithms: [...TXN_TOKEN_ALGORITHMS], issuer: iss, audience: v.serviceId, currentDate: new Date(v.now * 1000), requiredClaims: ['iss', 'sub', 'aud', 'iat', 'exp'] });
    if (typeof payload.sub !== 'string' || payload.sub === '') return invalidSubject('sub must be non-empty text');
    return { sub: payload.sub, ...(typeof payload.scope === 'string' ? { scope: payload.scope } : {}) };
  } catch (e) {
    return invalidSubject(`the self-signed subject token does not verify: ${e instanceof Error ? e.message : 'unknown failure'}`);
  }
}

function unsignedJson(token: string): Subject {
  let o: Record<string, unknown>;
  try {
    // One object, each member once: a sub sent twice would be two subjects to two parsers.
    o = parseJsonObject(token, 'the unsigned_json subject token', DEFAULT_LIMITS);
  } catch (e) {
    if (e instanceof NestokenError) return invalidSubject(e.message);
    throw e;
  }
  const { sub, scope } = o;
  if (typeof sub !== 'string' || sub === '') return invalidSubject('the unsigned_json subject token carries sub');
  return { sub, ...(typeof scope === 'string' ? { scope } : {}) };
}

/** Reads the subject token by its type (draft "Subject Token Types"); any failure is invalid_request (RFC 8693 §2.2.2). */
export async function readSubject(token: string, type: string, v: SubjectValidators): Promise<Subject> {
  if (typeof token !== 'string' || typeof type !== 'string') return invalidSubject('subject_token and subject_token_type are text');
  if (token.length > MAX_SUBJECT_CHARS) return invalidSubject('the subject token is too large');
  switch (type) {
    case ACCESS_TOKEN_TYPE: {
      if (!v.validateAccessToken) return invalidSubject('access tokens are not accepted here');
      const info: unknown = await v.validateAccessToken(token).catch(() => undefined);
      if (typeof info !== 'object' || info === null) return invalidSubject('the access token is not valid');
      const { sub, scope } = info as Record<string, unknown>;
      if (typeof sub !== 'string' || sub === '') return invalidSubject('the access token is not valid');
      // Only what the hook is for is kept, each of its type: an ill-typed scope is no scope.
      return { sub, ...(typeof scope === 'string' ? { scope } : {}) };
    }
    case SELF_SIGNED_TYPE:
      return selfSigned(token, v);
    case UNSIGNED_JSON_TYPE:
      if (v.allowUnsignedJsonSubject !== true) return invalidSubject('unsigned_json subject tokens are not accepted here');
      return unsignedJson(token);
    case TXN_TOKEN_TYPE: {
      const replaces = await verifyTxnToken(token, { ...v.txnTokens, now: v.now }).catch((e: unknown) => invalidSubject(`the Txn-Token to replace is not valid: ${e instanceof Error ? e.message : ''}`));
      return { sub: replaces.sub, scope: replaces.scope, replaces };
    }
    case REFRESH_TOKEN_TYPE:
      return invalidSubject('a refresh token is not a subject token for a Txn-Token');
    default:
      return invalidSubject(`unsupported subject_token_type ${type.slice(0, 100)}`);
  }
}
