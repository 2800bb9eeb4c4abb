import { compactVerify, decodeProtectedHeader, importJWK, SignJWT, type JWK } from 'jose';
import {
  authoritySignatureValid,
  b64u,
  coseSigStructure,
  decodeCbor,
  decodeCoseSign1,
  encodeCbor,
  encodeCoseSign1,
  exportPrivateJwk,
  fail,
  fromB64u,
  isNestokenError,
  parseJsonObject,
  DEFAULT_LIMITS,
  signWith,
  exportPublicJwk,
  importPublicJwk,
  type PublicKey,
  type SigningKey,
  type TrustBundle,
} from '@nestoken/core';
import { resolveStatusListLimits, type StatusListLimits } from './limits.js';
import { checkOptionKeys, checkWhole } from './options.js';
import { StatusList } from './status-list.js';

/** The `typ` of a Status List Token in JWT form. */
export const STATUS_LIST_JWT_TYP = 'statuslist+jwt';
/** The content type of a Status List Token in CWT form. */
export const STATUS_LIST_CWT_TYP = 'application/statuslist+cwt';

/** CWT claim keys of a Status List Token (RFC 8392 and the status list draft). */
const CWT = { iss: 1, sub: 2, exp: 4, iat: 6, ttl: 65534, statusList: 65533 } as const;
/** COSE header labels and the algorithms a list may be signed with (RFC 9052, RFC 9864). */
const H_ALG = 1;
const H_CRIT = 2;
const H_KID = 4;
const H_TYP = 16;
const COSE_ALG: ReadonlyMap<number, PublicKey['alg']> = new Map([[-19, 'Ed25519'], [-8, 'Ed25519'], [-7, 'ES256']]);
const JOSE_ALG = { Ed25519: ['EdDSA', 'Ed25519'], ES256: ['ES256'] } as const;

/** The form of a Status List Token: JWT or CWT. */
export type StatusListTokenFormat = 'jwt' | 'cwt';

/** What a Status List Token is issued from: the list, its URI, the key, the times. */
export interface StatusListTokenInit {
  readonly list: StatusList;
  /** The list's URI: the token's `sub`, what referenced tokens name in `status_list.uri`. */
  readonly uri: string;
  readonly key: SigningKey;
  /** Seconds since the epoch; default: the clock. */
  readonly iat?: number;
  readonly exp?: number;
  /** Seconds a consumer may cache the token. */
  readonly ttl?: number;
  readonly issuer?: string;
  /** ZLIB level, default 9. */
  readonly level?: number;
}

/** What a verified Status List Token says. */
export interface VerifiedStatusList {
  readonly format: StatusListTokenFormat;
  readonly uri: string;
  readonly iat: number;
  readonly exp?: number;
  readonly ttl?: number;
  readonly issuer?: string;
  /** The identity of the key that signed it: a trusted signer's identity, or an authority's kid. */
  readonly signer: string;
  readonly list: StatusList;
}

/** How a Status List Token is verified: the expected URI, the keys, the time. */
export interface VerifyStatusListOptions {
  readonly trust: TrustBundle;
  /** The URI the caller asked for: `sub` must equal it. */
  readonly uri?: string;
  readonly now?: number;
  /** Seconds of tolerance on `exp`; default 60. */
  readonly clockSkew?: number;
  readonly limits?: Partial<StatusListLimits>;
}

const VERIFY_KEYS = new Set(['trust', 'uri', 'now', 'clockSkew', 'limits']);
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/;
const isTime = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** The claims both forms share, checked by one rule (spec §13.3). */
interface ListClaims {
  readonly uri: string;
  readonly iat: number;
  readonly exp?: number;
  readonly ttl?: number;
  readonly issuer?: string;
}

function checkInit(init: StatusListTokenInit): ListClaims {
  if (!(init?.list instanceof StatusList)) fail('ERR_USAGE', 'a Status List Token needs a StatusList');
  const claims = listClaims({ sub: init.uri, iat: init.iat ?? nowSeconds(), exp: init.exp, ttl: init.ttl, iss: init.issuer }, 'ERR_USAGE');
  return claims;
}

function listClaims(c: { sub: unknown; iat: unknown; exp: unknown; ttl: unknown; iss: unknown }, code: 'ERR_USAGE' | 'ERR_STATUS_TOKEN'): ListClaims {
  if (typeof c.sub !== 'string' || !URI.test(c.sub)) fail(code, 'sub must be the URI of the status list');
  if (!isTime(c.iat)) fail(code, 'iat must be whole seconds');
  if (c.exp !== undefined && !isTime(c.exp)) fail(code, 'exp must be whole seconds');
  if (c.ttl !== undefined && (!Number.isSafeInteger(c.ttl) || (c.ttl as number) <= 0)) fail(code, 'ttl must be a positive number of seconds');
  if (c.iss !== undefined && (typeof c.iss !== 'string' || c.iss === '')) fail(code, 'iss must be non-empty text');
  return {
    uri: c.sub,
    iat: c.iat,
    ...(c.exp === undefined ? {} : { exp: c.exp as number }),
    ...(c.ttl === undefined ? {} : { ttl: c.ttl as number }),
    ...(c.iss === undefined ? {} : { issuer: c.iss as string }),
  };
}

/** A Status List Token in JWT form, signed through jose: `EdDSA` for an Ed25519 key (the name most JOSE libraries know), `ES256` for a P-256 key. */
export async function signStatusListJwt(init: StatusListTokenInit): Promise<string> {
  const c = checkInit(init);
  const payload = {
    sub: c.uri,
    iat: c.iat,
    ...(c.exp === undefined ? {} : { exp: c.exp }),
    ...(c.ttl === undefined ? {} : { ttl: c.ttl }),
    ...(c.issuer === undefined ? {} : { iss: c.issuer }),
    status_list: init.list.toJson(init.level),
  };
  const alg = init.key.publicKey.alg === 'ES256' ? 'ES256' : 'EdDSA';
  const key = await importJWK(exportPrivateJwk(init.key) as JWK, alg);
  return new SignJWT(payload).setProtectedHeader({ alg, typ: STATUS_LIST_JWT_TYP, kid: init.key.publicKey.kid }).sign(key);
}

/** A Status List Token in CWT form: an untagged-CWT COSE_Sign1 with Ed25519 (-19) or ES256 (-7), deterministic CBOR. */
export async function signStatusListCwt(init: StatusListTokenInit): Promise<Uint8Array> {
  const c = checkInit(init);
  const protectedBytes = encodeCbor(new Map<number, unknown>([[H_ALG, init.key.publicKey.alg === 'ES256' ? -7 : -19], [H_KID, new TextEncoder().encode(init.key.publicKey.kid)], [H_TYP, STATUS_LIST_CWT_TYP]]));
  const claims = new Map<number, unknown>([[CWT.sub, c.uri], [CWT.iat, c.iat], [CWT.statusList, init.list.toCbor(init.level)]]);
  if (c.exp !== undefined) claims.set(CWT.exp, c.exp);
  if (c.ttl !== undefined) claims.set(CWT.ttl, c.ttl);
  if (c.issuer !== undefined) claims.set(CWT.iss, c.issuer);
  const payload = encodeCbor(claims);
  const signature = await signWith(init.key, coseSigStructure(protectedBytes, payload));
  return encodeCoseSign1(protectedBytes, new Map(), payload, signature);
}

interface ListKey {
  readonly authority: PublicKey;
  readonly identity: string;
}

/** The bundle's signers by thumbprint, then its authorities by kid; either may be Ed25519 or ES256. */
function keyFor(trust: TrustBundle, kid: unknown): ListKey {
  if (typeof kid !== 'string' || kid === '') fail('ERR_STATUS_TOKEN', 'a Status List Token names its key (kid)');
  const signer = trust.signers.get(kid);
  if (signer) return { authority: signer.key, identity: signer.identity };
  // A publisher known by a kid of its own (the draft's examples): an Ed25519 or P-256 key of the bundle with that kid.
  const named = trust.authorities.find((a) => a.kid === kid);
  if (named) {
    try {
      return { authority: importPublicJwk(named.jwk), identity: kid };
    } catch {
      // Of a key type a status list is never signed with.
    }
  }
  return fail('ERR_STATUS_TOKEN', `the key ${kid} that signed the status list is not trusted`);
}

function joseKey(a: PublicKey): JWK {
  const { kid: _kid, ...jwk } = exportPublicJwk(a);
  return jwk as JWK;
}

function checkFresh(c: ListClaims, options: VerifyStatusListOptions, now: number): void {
  if (options.uri !== undefined && c.uri !== options.uri) fail('ERR_STATUS_TOKEN', `the token is the list ${c.uri}, not ${options.uri}`);
  const skew = options.clockSkew ?? 60;
  if (c.exp !== undefined && now >= c.exp + skew) fail('ERR_STATUS_TOKEN', 'the Status List Token has expired');
  if (c.iat > now + skew) fail('ERR_STATUS_TOKEN', 'the Status List Token was issued in the future');
}

async function verifyJwt(token: string, options: VerifyStatusListOptions, limits: StatusListLimits, now: number): Promise<VerifiedStatusList> {
  // jose reads base64url leniently (unused trailing bits are ignored), so one token would have several
  // spellings; only the canonical one is accepted.
  const parts = token.split('.');
  if (parts.length !== 3) fail('ERR_STATUS_TOKEN', 'not a compact JWS');
  for (const part of parts) {
    try {
      fromB64u(part, 'a Status List Token part');
    } catch {
      fail('ERR_STATUS_TOKEN', 'a Status List Token part is not canonical base64url');
    }
  }
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    return fail('ERR_STATUS_TOKEN', 'not a compact JWS');
  }
  if (header.typ !== STATUS_LIST_JWT_TYP) fail('ERR_STATUS_TOKEN', `typ must be ${STATUS_LIST_JWT_TYP}`);
  const { authority, identity } = keyFor(options.trust, header.kid);
  let payloadBytes: Uint8Array;
  try {
    const key = await importJWK(joseKey(authority), authority.alg === 'ES256' ? 'ES256' : 'EdDSA');
    // jose refuses `crit` it does not know, `alg: none` and any algorithm not listed for this key.
    ({ payload: payloadBytes } = await compactVerify(token, key, { algorithms: [...JOSE_ALG[authority.alg]] }));
  } catch {
    return fail('ERR_STATUS_TOKEN', 'the Status List Token signature does not verify');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes);
  } catch {
    return fail('ERR_STATUS_TOKEN', 'the Status List Token payload is not UTF-8');
  }
  const p = jwtPayload(text, limits);
  const c = listClaims({ sub: p.sub, iat: p.iat, exp: p.exp, ttl: p.ttl, iss: p.iss }, 'ERR_STATUS_TOKEN');
  checkFresh(c, options, now);
  if (p.status_list === undefined) fail('ERR_STATUS_TOKEN', 'the token carries no status_list');
  return { format: 'jwt', ...c, signer: identity, list: StatusList.fromJson(p.status_list, limits) };
}

/**
 * The payload as JSON another issuer wrote (spec §13.3, §4.4): one object (else
 * `ERR_STATUS_TOKEN`), no member name twice (`ERR_DUPLICATE_KEY`), within the claim data model,
 * its string bound raised to hold the largest `lst` the limits allow in base64url.
 */
function jwtPayload(text: string, limits: StatusListLimits): Record<string, unknown> {
  const bounds = { ...DEFAULT_LIMITS, maxStringLength: Math.max(DEFAULT_LIMITS.maxStringLength, Math.ceil(limits.maxCompressedBytes / 3) * 4) };
  try {
    return parseJsonObject(text, 'the Status List Token payload', bounds);
  } catch (e) {
    if (isNestokenError(e, 'ERR_JSON')) fail('ERR_STATUS_TOKEN', e.message);
    throw e;
  }
}

const mapOf = (v: unknown, what: string): Map<unknown, unknown> => (v instanceof Map ? v : fail('ERR_STATUS_TOKEN', `${what} must be a CBOR map`));

/** Depth of a status list CWT: tag, array, and the claims map holding the list map. */
const CWT_DEPTH = 4;
/** Other claims may nest (the draft allows any); this bound is the same as a layer's claim depth. */
const CLAIMS_DEPTH = 16;

async function verifyCwt(bytes: Uint8Array, options: VerifyStatusListOptions, limits: StatusListLimits, now: number): Promise<VerifiedStatusList> {
  const { protectedBytes, unprotected, payload, signature } = inToken(() => decodeCoseSign1(bytes, CWT_DEPTH, true));
  const header = mapOf(inToken(() => decodeCbor(protectedBytes, 'protected header', CLAIMS_DEPTH, true)), 'the protected header');
  const open = mapOf(unprotected, 'the unprotected header');
  if (header.has(H_CRIT) || open.has(H_CRIT)) fail('ERR_STATUS_TOKEN', 'no critical header parameters are understood');
  if (header.get(H_TYP) !== STATUS_LIST_CWT_TYP) fail('ERR_STATUS_TOKEN', `typ must be ${STATUS_LIST_CWT_TYP}`);
  const alg = COSE_ALG.get(header.get(H_ALG) as number);
  if (alg === undefined) fail('ERR_STATUS_TOKEN', 'the COSE algorithm is not one a status list may use here');
  const kidBytes = header.get(H_KID) ?? open.get(H_KID);
  if (!(kidBytes instanceof Uint8Array)) fail('ERR_STATUS_TOKEN', 'a Status List Token names its key (kid)');
  const { authority, identity } = keyFor(options.trust, new TextDecoder().decode(kidBytes));
  if (authority.alg !== alg) fail('ERR_STATUS_TOKEN', 'the COSE algorithm does not match the key');
  if (!(await authoritySignatureValid(authority, coseSigStructure(protectedBytes, payload), signature))) {
    fail('ERR_STATUS_TOKEN', 'the Status List Token signature does not verify');
  }
  const claims = mapOf(inToken(() => decodeCbor(payload, 'claims', CLAIMS_DEPTH, true)), 'the claims');
  const c = listClaims({ sub: claims.get(CWT.sub), iat: claims.get(CWT.iat), exp: claims.get(CWT.exp), ttl: claims.get(CWT.ttl), iss: claims.get(CWT.iss) }, 'ERR_STATUS_TOKEN');
  checkFresh(c, options, now);
  if (!claims.has(CWT.statusList)) fail('ERR_STATUS_TOKEN', 'the token carries no status list (65533)');
  return { format: 'cwt', ...c, signer: identity, list: StatusList.fromCbor(claims.get(CWT.statusList), limits) };
}

/** CBOR that does not parse is a malformed Status List Token, whatever the decoder called it. */
function inToken<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isNestokenError(e, 'ERR_LIMIT_EXCEEDED')) throw e;
    return fail('ERR_STATUS_TOKEN', `the Status List Token is not a valid COSE_Sign1 (${e instanceof Error ? e.message : 'unknown'})`);
  }
}

/**
 * Verifies a Status List Token of either form against the trust bundle (spec §13.3): the
 * size bound first, then the header, the signature, the claims, and only then is the list
 * inflated. A JWT is text (or its bytes); a CWT is bytes starting with tag 18.
 */
export async function verifyStatusListToken(token: string | Uint8Array, options: VerifyStatusListOptions): Promise<VerifiedStatusList> {
  checkOptionKeys(options, VERIFY_KEYS, 'verifyStatusListToken');
  if (!options.trust || !(options.trust.signers instanceof Map)) fail('ERR_USAGE', 'verifying a status list needs a trust bundle');
  checkWhole(options.now, 'now', false);
  checkWhole(options.clockSkew, 'clockSkew', false);
  const limits = resolveStatusListLimits(options.limits);
  const now = options.now ?? nowSeconds();
  if (typeof token === 'string') {
    if (token.length > limits.maxTokenBytes) fail('ERR_INPUT_TOO_LARGE', `the Status List Token is above ${limits.maxTokenBytes} bytes`);
    return verifyJwt(token, options, limits, now);
  }
  if (!(token instanceof Uint8Array)) fail('ERR_USAGE', 'a Status List Token is text (JWT) or bytes (CWT)');
  if (token.length > limits.maxTokenBytes) fail('ERR_INPUT_TOO_LARGE', `the Status List Token is above ${limits.maxTokenBytes} bytes`);
  if (token[0] === 0xd2) return verifyCwt(token, options, limits, now);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(token);
  } catch {
    return fail('ERR_STATUS_TOKEN', 'the Status List Token is neither a COSE_Sign1 nor JWT text');
  }
  return verifyJwt(text.trim(), options, limits, now);
}
