import { b64u, fromB64u, fromUtf8, isBytes, utf8 } from '../bytes.js';
import { LAYER_ALGORITHMS, layerAlgOfCose } from '../crypto/algorithms.js';
import { fail } from '../errors.js';
import { checkSize, type Limits } from '../limits.js';
import { decodeCbor, encodeCbor, ENVELOPE_DEPTH } from './cbor.js';
import { CLAIM_NAME_OF, CWT_KEY_OF } from './claim-registry.js';
import { decodeSign1, encodeSign1, sigStructure } from './cose.js';
import { checkClaims, checkHeader, type Layer, type LayerClaims, type LayerCodec, type LayerHeader } from './layer.js';
import { decodeX5c, encodeX5c } from './x5c.js';

export const COSE_TYP = 'application/nst+cwt';
/** The `typ` of a crate attestation statement (spec §10.4.2): not a token. */
export const COSE_ATTESTATION_TYP = 'application/nst-attestation+cwt';

/** COSE header labels (RFC 9052, RFC 9596); algorithm values come from the algorithm table. */
const H_ALG = 1;
const H_CRIT = 2;
const H_KID = 4;
const H_TYP = 16;
/** x5chain (RFC 9360 §2): one certificate as a byte string, several as an array of them. */
const H_X5CHAIN = 33;

const CTI = CWT_KEY_OF.get('jti')!;
const CNF = CWT_KEY_OF.get('cnf')!;

function headerMap(h: LayerHeader): Map<unknown, unknown> {
  const m = new Map<unknown, unknown>([[H_ALG, LAYER_ALGORITHMS[h.alg].cose], [H_TYP, h.use === 'attestation' ? COSE_ATTESTATION_TYP : COSE_TYP]]);
  if (h.kid !== undefined) m.set(H_KID, fromB64u(h.kid, 'kid'));
  if (h.prv !== undefined) m.set('prv', fromB64u(h.prv, 'prv'));
  if (h.wit !== undefined) m.set('wit', h.wit);
  if (h.x5c !== undefined) {
    const ders = decodeX5c(h.x5c);
    m.set(H_X5CHAIN, ders.length === 1 ? ders[0] : ders);
  }
  return m;
}

function claimsMap(c: LayerClaims): Map<unknown, unknown> {
  const m = new Map<unknown, unknown>();
  for (const [name, value] of Object.entries(c)) {
    if (value === undefined) continue;
    if (name === 'jti') m.set(CTI, utf8(value as string));
    else if (name === 'cnf') m.set(CNF, new Map([['jkt', fromB64u((value as { jkt: string }).jkt, 'cnf.jkt')]]));
    else m.set(CWT_KEY_OF.get(name) ?? name, toCborValue(value));
  }
  return m;
}

function toCborValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toCborValue);
  if (typeof v === 'object' && v !== null) return new Map(Object.entries(v).map(([k, x]) => [k, toCborValue(x)]));
  return v;
}

/** CBOR maps become plain objects; bytes, tags and non-text keys have no JSON twin and are refused. */
function toJsonValue(v: unknown, what: string): unknown {
  if (v instanceof Map) {
    const entries: Array<[string, unknown]> = [];
    for (const [k, x] of v) {
      if (typeof k !== 'string') fail('ERR_CLAIMS_INVALID', `${what}: map keys must be text`);
      entries.push([k, toJsonValue(x, what)]);
    }
    return Object.fromEntries(entries);
  }
  if (Array.isArray(v)) return v.map((x) => toJsonValue(x, what));
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  return fail('ERR_CLAIMS_INVALID', `${what}: value has no JSON equivalent`);
}

function mapOf(value: unknown, what: string): Map<unknown, unknown> {
  if (!(value instanceof Map)) fail('ERR_MALFORMED', `${what} must be a CBOR map`);
  return value;
}

function readHeader(m: Map<unknown, unknown>, limits: Limits): LayerHeader {
  if (m.has(H_CRIT)) fail('ERR_CRIT_UNSUPPORTED', 'no critical header parameters are defined in nestoken v1');
  const typ = m.get(H_TYP);
  if (typ !== COSE_TYP && typ !== COSE_ATTESTATION_TYP) fail('ERR_HEADER_INVALID', `typ must be ${COSE_TYP}`);
  const h: Record<string, unknown> = typ === COSE_ATTESTATION_TYP ? { use: 'attestation' } : {};
  for (const [label, value] of m) {
    if (label === H_TYP) continue;
    if (label === H_ALG) {
      const alg = layerAlgOfCose(value);
      if (alg === undefined) fail('ERR_ALG_NOT_ALLOWED', `COSE algorithm ${JSON.stringify(String(value)).slice(0, 80)} is not a nestoken algorithm`);
      h.alg = alg;
    } else if (label === H_KID || label === 'prv') {
      if (!isBytes(value) || value.length !== 32) fail('ERR_HEADER_INVALID', `${String(label)} must be a 32-byte string`);
      h[label === H_KID ? 'kid' : 'prv'] = b64u(value);
    } else if (label === 'wit') {
      h.wit = value;
    } else if (label === H_X5CHAIN) {
      h.x5c = x5chainText(value, limits);
    } else {
      fail('ERR_HEADER_INVALID', `unknown header label ${String(label)}`);
    }
  }
  return checkHeader(h, limits);
}

/** Bounded before it is converted; an array of one certificate is the non-canonical spelling of a byte string. */
function x5chainText(value: unknown, limits: Limits): string[] {
  if (isBytes(value)) return encodeX5c([value]);
  if (!Array.isArray(value) || !value.every(isBytes)) fail('ERR_HEADER_INVALID', 'x5chain is a byte string or an array of byte strings');
  if (value.length > limits.maxCertificates) fail('ERR_LIMIT_EXCEEDED', `x5chain holds ${value.length} certificates, above the limit of ${limits.maxCertificates}`);
  if (value.length < 2) fail('ERR_NONCANONICAL', 'a single certificate in x5chain is a byte string, not an array');
  return encodeX5c(value);
}

/**
 * A registered claim travels under its CWT key only, every other claim under its text name
 * only: one spelling each, so the JWT and CBOR encodings stay one to one (spec §4.3).
 */
function claimName(key: unknown): string {
  if (typeof key === 'string') {
    if (CWT_KEY_OF.has(key)) fail('ERR_CLAIMS_INVALID', `claim ${key} has CWT key ${CWT_KEY_OF.get(key)!} and no text spelling`);
    return key;
  }
  const name = CLAIM_NAME_OF.get(key);
  if (name === undefined) fail('ERR_CLAIMS_INVALID', `unknown claim key ${String(key)}`);
  return name;
}

function readClaims(m: Map<unknown, unknown>, limits: Limits): LayerClaims {
  // Entries, then fromEntries: a claim named `__proto__` stays an own member like any other.
  const entries: Array<[string, unknown]> = [];
  for (const [key, value] of m) {
    const name = claimName(key);
    if (name === 'jti') {
      if (!isBytes(value)) fail('ERR_CLAIMS_INVALID', 'cti must be a byte string');
      entries.push([name, fromUtf8(value)]);
    } else if (name === 'cnf') {
      // A claim of the wrong type is a claims fault whatever the type (spec §4.3), never ERR_MALFORMED.
      const jkt = value instanceof Map ? value.get('jkt') : undefined;
      if (!(value instanceof Map) || value.size !== 1 || !isBytes(jkt) || jkt.length !== 32) fail('ERR_CLAIMS_INVALID', 'cnf must be exactly {"jkt": 32 bytes}');
      entries.push([name, { jkt: b64u(jkt) }]);
    } else {
      entries.push([name, toJsonValue(value, 'claims')]);
    }
  }
  return checkClaims(Object.fromEntries(entries), limits);
}

/** A layer as a COSE_Sign1 (RFC 9052) over a CWT-shaped claims map, deterministic CBOR (spec §4.3). */
export const cborLayerCodec: LayerCodec = {
  name: 'cbor',
  signingInput(header, claims) {
    return sigStructure(encodeCbor(headerMap(header)), encodeCbor(claimsMap(claims)));
  },
  encode(header, claims, signature) {
    const protectedBytes = encodeCbor(headerMap(header));
    const payload = encodeCbor(claimsMap(claims));
    const signingInput = sigStructure(protectedBytes, payload);
    const bytes = encodeSign1(protectedBytes, new Map(), payload, signature);
    return { format: 'cbor', header, claims, signingInput, signature: Uint8Array.from(signature), bytes };
  },
  decode(bytes, limits) {
    checkSize(bytes.length, limits.maxLayerBytes, 'layer');
    const { protectedBytes, unprotected, payload, signature } = decodeSign1(bytes, ENVELOPE_DEPTH);
    if (mapOf(unprotected, 'unprotected header').size !== 0) fail('ERR_HEADER_INVALID', 'the unprotected header must be empty');
    const header = readHeader(mapOf(decodeCbor(protectedBytes, 'protected header', ENVELOPE_DEPTH), 'protected header'), limits);
    const claims = readClaims(mapOf(decodeCbor(payload, 'claims', limits.maxClaimDepth + 1), 'claims'), limits);
    return { format: 'cbor', header, claims, signingInput: sigStructure(protectedBytes, payload), signature, bytes };
  },
};
