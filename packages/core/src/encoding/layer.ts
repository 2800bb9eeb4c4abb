import { checkB64u, type ByteArena } from '../bytes.js';
import { isLayerAlg, LAYER_ALGORITHMS, type LayerAlg } from '../crypto/algorithms.js';
import { fail } from '../errors.js';
import { MAX_EPOCH_SECONDS, type Limits } from '../limits.js';
import { RESERVED_CLAIM_PREFIX } from './claim-registry.js';
import { checkJsonValue, type JsonValue } from './json.js';

/** How one layer is encoded: JWS compact (`jwt`) or COSE_Sign1 (`cbor`). */
export type LayerFormat = 'jwt' | 'cbor';

/** `Ed25519`, `ES256`: a standalone signature (ID mode). `nst-r255`: one link of an aggregate Schnorr chain (spec §6). */
export type { LayerAlg } from '../crypto/algorithms.js';

/**
 * The format-independent layer: both codecs map it to bytes and back one to one, which is
 * what lets a verifier recognise a layer that was re-encoded (spec §4.5). Binary fields are
 * base64url text here, as in the JWT form.
 */
export interface LayerHeader {
  readonly alg: LayerAlg;
  /** Thumbprint of the key this layer is signed with; absent on an anonymous link. After an ID-mode root it is implied (spec §4.6). */
  readonly kid?: string;
  /** SHA-256 of the exact bytes of the previous layer; absent on the root layer. Signed, never sent (spec §4.6). */
  readonly prv?: string;
  /** base64url SHA-256 of the identity document (WIT or X.509-SVID chain, spec §4.6) that binds `kid` to a workload identity. */
  readonly doc?: string;
  /**
   * Set from the layer's own `typ`: a crate attestation statement (spec §10.4.2), typed apart
   * so that it never verifies as a token (§7.2).
   */
  readonly use?: 'attestation';
}

/**
 * A layer's claims: the ones the format defines (typed below) and any other top-level claim
 * whose value fits the data model (spec §3.3).
 */
export interface Claims {
  readonly iss?: string;
  readonly sub?: string;
  readonly aud?: string | readonly string[];
  readonly exp?: number;
  readonly nbf?: number;
  readonly iat?: number;
  readonly jti?: string;
  /** Space-delimited scope values (RFC 8693 §4.2); CWT key 9. */
  readonly scope?: string;
  /** The transaction this chain belongs to (a Txn-Token's `txn`, RFC 8417 §2.2). */
  readonly txn?: string;
  /** base64url SHA-256 of the exact bytes of the Txn-Token this layer is bound to (spec §12.3). */
  readonly tth?: string;
  readonly data?: JsonValue;
  /** Where this layer's status is published (OAuth Token Status List, spec §13.2). */
  readonly status?: StatusClaim;
  readonly [claim: string]: unknown;
}

/** The `status_list` member of a `status` claim: an index into the list published at `uri`. */
export interface StatusListReference {
  readonly idx: number;
  readonly uri: string;
}

/** The `status` claim: one member per status mechanism; `status_list` is the one nestoken resolves. */
export interface StatusClaim {
  readonly status_list?: StatusListReference;
  readonly [mechanism: string]: JsonValue | StatusListReference | undefined;
}

/** What a layer carries: the caller's claims plus the binding to the next signer's key. */
export interface LayerClaims extends Claims {
  readonly cnf?: { readonly jkt: string };
}

/** One decoded layer: its format, header, claims, signature and exact bytes. */
export interface Layer {
  readonly format: LayerFormat;
  readonly header: LayerHeader;
  readonly claims: LayerClaims;
  /** The bytes the signature (or Schnorr challenge) covers. */
  readonly signingInput: Uint8Array;
  /** Ed25519, ES256: 64 bytes. nst-r255: the 32-byte commitment R. */
  readonly signature: Uint8Array;
  /** The exact encoded layer: what the next layer's `prv` hashes. */
  readonly bytes: Uint8Array;
}

/**
 * One layer format: `name`, `encode` and `decode`, in the manner of multiformats codecs. A
 * layer sends only what its verifier cannot derive (spec §4.6), so each call is told the layer
 * before: its `alg` (`previousAlg`: undefined for the root; by default this layer's own when
 * the header has a `prv`, the common case of one algorithm throughout) or, to decode, the
 * whole layer.
 */
export interface LayerCodec {
  readonly name: LayerFormat;
  signingInput(header: LayerHeader, claims: LayerClaims, previousAlg?: LayerAlg): Uint8Array;
  encode(header: LayerHeader, claims: LayerClaims, signature: Uint8Array, previousAlg?: LayerAlg): Layer;
  /** `arena`: where the arrays this layer's reading makes come from (one per token); a new one by default. */
  decode(bytes: Uint8Array, limits: Limits, previous?: Layer, arena?: ByteArena): Layer;
}

const HEADER_MEMBERS = new Set(['alg', 'kid', 'prv', 'doc', 'use']);

export function checkAlg(alg: unknown): LayerAlg {
  if (!isLayerAlg(alg)) fail('ERR_ALG_NOT_ALLOWED', `algorithm ${JSON.stringify(alg)} is not a nestoken algorithm`);
  return alg;
}

/** A header member naming a digest or thumbprint: base64url of 32 bytes (`ERR_HEADER_INVALID` when not text). */
export const digestText = (v: unknown, what: string): string => {
  if (typeof v !== 'string') fail('ERR_HEADER_INVALID', `${what} must be base64url text`);
  checkB64u(v, what, 32);
  return v;
};

/** Checks the members of a full header (sent and implied, spec §4.6); `typ` is the codec's business. */
export function checkHeader(h: Record<string, unknown>, _limits: Limits): LayerHeader {
  if ('crit' in h) fail('ERR_CRIT_UNSUPPORTED', 'no critical header parameters are defined in nestoken');
  for (const k of Object.keys(h)) if (!HEADER_MEMBERS.has(k)) fail('ERR_HEADER_INVALID', `unknown header parameter ${k}`);
  const alg = checkAlg(h.alg);
  const out: { -readonly [K in keyof LayerHeader]: LayerHeader[K] } = { alg };
  if (h.kid !== undefined) out.kid = digestText(h.kid, 'kid');
  if (h.prv !== undefined) out.prv = digestText(h.prv, 'prv');
  if (h.doc !== undefined) out.doc = digestText(h.doc, 'doc');
  if (h.use !== undefined) {
    if (h.use !== 'attestation' || LAYER_ALGORITHMS[alg].mode !== 'id' || h.prv !== undefined) fail('ERR_HEADER_INVALID', 'only a root ID-mode layer can be an attestation statement');
    out.use = 'attestation';
  }
  if (LAYER_ALGORITHMS[alg].mode === 'id' && out.kid === undefined) fail('ERR_HEADER_INVALID', `an ${alg} layer must name its key`);
  if (out.doc !== undefined && out.kid === undefined) fail('ERR_HEADER_INVALID', 'doc without kid');
  return out;
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * The claims' rules, in the order of spec §3.3: the walk over the whole value first (limits,
 * then the data model), then the named claims. Both layer formats come here, so a layer with
 * several faults gets the same code in either.
 */
export function checkClaims(c: Record<string, unknown>, limits: Limits): LayerClaims {
  checkJsonValue(c, limits, 'claims');
  return checkNamedClaims(c);
}

const TEXT_CLAIMS = ['iss', 'sub', 'jti', 'scope', 'txn'] as const;
const TIME_CLAIMS = ['exp', 'nbf', 'iat'] as const;

/**
 * The second half of {@link checkClaims}, for a value whose walk is done: a JSON payload is
 * walked as it is parsed (`parseCanonicalJsonObject`), and a second walk would find nothing.
 */
export function checkNamedClaims(c: Record<string, unknown>): LayerClaims {
  // for-in with an own-member test: the same names as Object.keys, without an array per layer.
  for (const k in c) if (Object.hasOwn(c, k) && k.startsWith(RESERVED_CLAIM_PREFIX)) fail('ERR_CLAIMS_INVALID', `claim names starting with ${RESERVED_CLAIM_PREFIX} are reserved`);
  for (const k of TEXT_CLAIMS) {
    if (c[k] !== undefined && (typeof c[k] !== 'string' || c[k] === '')) fail('ERR_CLAIMS_INVALID', `${k} must be a non-empty string`);
  }
  for (const k of TIME_CLAIMS) {
    if (c[k] !== undefined && !isTime(c[k])) fail('ERR_CLAIMS_INVALID', `${k} must be a whole number of seconds`);
    if (c[k] !== undefined && (c[k] as number) > MAX_EPOCH_SECONDS) fail('ERR_CLAIMS_INVALID', `${k} ${c[k] as number} is above 10^11: times are seconds since the epoch, not milliseconds`);
  }
  const aud = c.aud;
  if (aud !== undefined) {
    const ok = typeof aud === 'string' ? aud !== '' : Array.isArray(aud) && aud.length > 0 && aud.every((a) => typeof a === 'string' && a !== '');
    if (!ok) fail('ERR_CLAIMS_INVALID', 'aud must be a non-empty string or array of strings');
  }
  if (c.tth !== undefined) {
    if (typeof c.tth !== 'string') fail('ERR_CLAIMS_INVALID', 'tth must be base64url text');
    checkB64u(c.tth, 'tth', 32);
  }
  if (c.cnf !== undefined) {
    const cnf = c.cnf as Record<string, unknown>;
    if (typeof cnf !== 'object' || cnf === null || Array.isArray(cnf) || Object.keys(cnf).length !== 1 || typeof cnf.jkt !== 'string') {
      fail('ERR_CLAIMS_INVALID', 'cnf must be exactly {"jkt": thumbprint}');
    }
    checkB64u(cnf.jkt, 'cnf.jkt', 32);
  }
  if (c.status !== undefined) checkStatusClaim(c.status);
  return c as LayerClaims;
}

/**
 * An anonymous link proves no identity, so it cannot name one (spec §7.4): `iss` would have to
 * equal a proven identity there is none of, and a `sub` from an unknown party would read, in
 * the proven path, as if someone answerable had said it.
 */
export function checkAnonymousClaims(claims: Claims): void {
  if (claims.iss !== undefined) fail('ERR_ISSUER_MISMATCH', `an anonymous layer says iss ${claims.iss} but proves no identity`);
  if (claims.sub !== undefined) fail('ERR_CLAIMS_INVALID', 'an anonymous layer names no subject');
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** RFC 3986 §3.1: a URI starts with a scheme. */
const URI_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/;

/**
 * `status` is an object naming at least one mechanism; its `status_list` member, when present,
 * holds a non-negative integer `idx` and a URI `uri` (spec §13.2). Other members of either
 * object are carried untouched, as the status list draft allows.
 */
export function checkStatusClaim(status: unknown): StatusClaim {
  if (!isPlainObject(status) || Object.keys(status).length === 0) fail('ERR_CLAIMS_INVALID', 'status must be an object naming at least one status mechanism');
  const ref = status.status_list;
  if (ref !== undefined) {
    if (!isPlainObject(ref)) fail('ERR_CLAIMS_INVALID', 'status.status_list must be an object');
    if (!Number.isSafeInteger(ref.idx) || (ref.idx as number) < 0) fail('ERR_CLAIMS_INVALID', 'status.status_list.idx must be a non-negative integer');
    if (typeof ref.uri !== 'string' || !URI_SCHEME.test(ref.uri)) fail('ERR_CLAIMS_INVALID', 'status.status_list.uri must be a URI');
  }
  return status as StatusClaim;
}
