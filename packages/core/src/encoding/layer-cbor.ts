import { b64u, b64uLength, ByteArena, fromB64u, fromUtf8, isBytes, readB64u, utf8 } from '../bytes.js';
import { LAYER_ALGORITHMS, LAYER_ALGS, layerAlgOfCose } from '../crypto/algorithms.js';
import { fail } from '../errors.js';
import { checkSize, type Limits } from '../limits.js';
import { decodeCbor, encodeCbor, ENVELOPE_DEPTH } from './cbor.js';
import { CLAIM_NAME_OF, CWT_KEY_OF } from './claim-registry.js';
import { decodeSign1, encodeSign1, sigStructure } from './cose.js';
import { checkClaims, type LayerAlg, type LayerClaims, type LayerCodec, type LayerHeader } from './layer.js';
import { impliedHeader, splitHeader, travels } from './implied.js';

export const COSE_TYP = 'application/nst+cwt';
/** The `typ` of a crate attestation statement (spec §10.4.2): not a token. */
export const COSE_ATTESTATION_TYP = 'application/nst-attestation+cwt';

/** COSE header labels (RFC 9052, RFC 9596); algorithm values come from the algorithm table. */
const H_ALG = 1;
const H_CRIT = 2;
const H_KID = 4;
const H_TYP = 16;

const CTI = CWT_KEY_OF.get('jti')!;
const CNF = CWT_KEY_OF.get('cnf')!;

/** The members a layer sends, as its protected header (spec §4.3, §4.6). */
function protectedMap(h: LayerHeader, previousAlg: LayerAlg | undefined): Map<unknown, unknown> {
  const { sent } = splitHeader(h, previousAlg);
  const m = new Map<unknown, unknown>();
  if (sent.alg !== undefined) m.set(H_ALG, LAYER_ALGORITHMS[sent.alg].cose);
  if (sent.kid !== undefined) m.set(H_KID, fromB64u(sent.kid, 'kid'));
  if (sent.use === 'attestation') m.set(H_TYP, COSE_ATTESTATION_TYP);
  if (sent.doc !== undefined) m.set('doc', fromB64u(sent.doc, 'doc'));
  return m;
}

/** The members a layer signs but does not send, with the constant typ: the external AAD (spec §4.3). */
function externalAad(h: LayerHeader, previousAlg: LayerAlg | undefined, arena?: ByteArena): Uint8Array {
  const sends = travels(h, previousAlg);
  const alg = sends.alg ? undefined : h.alg;
  const kid = h.kid === undefined || sends.kid ? undefined : h.kid;
  const prv = h.prv;
  const typed = h.use === undefined;
  // A header's kid and prv were checked where it was built (or are our own digest): 32 bytes each.
  if ((kid !== undefined && kid.length !== DIGEST_TEXT) || (prv !== undefined && prv.length !== DIGEST_TEXT)) {
    return aadMap(alg, kid === undefined ? undefined : fromB64u(kid, 'kid'), typed, prv === undefined ? undefined : fromB64u(prv, 'prv'));
  }
  // Every layer on the verify path builds one: fill cborg's encoding of the same shape rather
  // than run the generic encoder per layer (the map's key order does not depend on the values).
  const shape = (alg === undefined ? 0 : 8 * (1 + LAYER_ALGS.indexOf(alg))) + (kid === undefined ? 0 : 4) + (typed ? 2 : 0) + (prv === undefined ? 0 : 1);
  let template = aadTemplates.get(shape);
  if (template === undefined) {
    const bytes = aadMap(alg, kid === undefined ? undefined : new Uint8Array(DIGEST_BYTES).fill(KID_MARK), typed, prv === undefined ? undefined : new Uint8Array(DIGEST_BYTES).fill(PRV_MARK));
    template = { bytes, kidAt: kid === undefined ? -1 : runOf(bytes, KID_MARK), prvAt: prv === undefined ? -1 : runOf(bytes, PRV_MARK) };
    aadTemplates.set(shape, template);
  }
  const out = arena ? arena.take(template.bytes.length) : new Uint8Array(template.bytes.length);
  out.set(template.bytes);
  // Decoded into place: the backend's decoder would make an array and a view per digest, two per layer read.
  if (kid !== undefined) readB64u(kid, out, template.kidAt);
  if (prv !== undefined) readB64u(prv, out, template.prvAt);
  return out;
}

function aadMap(alg: LayerAlg | undefined, kid: Uint8Array | undefined, typed: boolean, prv: Uint8Array | undefined): Uint8Array {
  const m = new Map<unknown, unknown>();
  if (alg !== undefined) m.set(H_ALG, LAYER_ALGORITHMS[alg].cose);
  if (kid !== undefined) m.set(H_KID, kid);
  if (typed) m.set(H_TYP, COSE_TYP);
  if (prv !== undefined) m.set('prv', prv);
  return encodeCbor(m);
}

const DIGEST_BYTES = 32;
const DIGEST_TEXT = b64uLength(DIGEST_BYTES);
const KID_MARK = 0xaa;
const PRV_MARK = 0xbb;
/** One encoding per shape (implied alg, kid, typ, prv present), numbered: a handful in all. */
const aadTemplates = new Map<number, { readonly bytes: Uint8Array; readonly kidAt: number; readonly prvAt: number }>();

/** Where the 32 marker bytes a template holds for one digest start. */
function runOf(bytes: Uint8Array, mark: number): number {
  for (let i = 0; i + DIGEST_BYTES <= bytes.length; i++) {
    let j = 0;
    while (j < DIGEST_BYTES && bytes[i + j] === mark) j++;
    if (j === DIGEST_BYTES) return i;
  }
  return fail('ERR_MALFORMED', 'external AAD template without its marker');
}

/** An empty protected header is the empty byte string (RFC 9052 §3), not an encoded empty map. */
const protectedBytesOf = (m: Map<unknown, unknown>): Uint8Array => (m.size === 0 ? new Uint8Array(0) : encodeCbor(m));

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
    const out: Record<string, unknown> = {};
    for (const [k, x] of v) {
      if (typeof k !== 'string') fail('ERR_CLAIMS_INVALID', `${what}: map keys must be text`);
      setMember(out, k, toJsonValue(x, what));
    }
    return out;
  }
  if (Array.isArray(v)) return v.map((x) => toJsonValue(x, what));
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  return fail('ERR_CLAIMS_INVALID', `${what}: value has no JSON equivalent`);
}

function mapOf(value: unknown, what: string): Map<unknown, unknown> {
  if (!(value instanceof Map)) fail('ERR_MALFORMED', `${what} must be a CBOR map`);
  return value;
}

/** The sent members of a protected header, named as in the model; typ, crit and format-1 labels first. */
function readSent(m: Map<unknown, unknown>): Record<string, unknown> {
  if (m.has(H_CRIT)) fail('ERR_CRIT_UNSUPPORTED', 'no critical header parameters are defined in nestoken');
  const h: Record<string, unknown> = {};
  if (m.has(H_TYP)) {
    const typ = m.get(H_TYP);
    // Format version 1 sent the token typ in every layer; version 2 implies it (spec §4.1.3).
    if (typ === COSE_TYP) fail('ERR_UNSUPPORTED_VERSION', 'a nestoken format 1 layer');
    if (typ !== COSE_ATTESTATION_TYP) fail('ERR_HEADER_INVALID', `typ is implied, or ${COSE_ATTESTATION_TYP}`);
    h.use = 'attestation';
  }
  for (const [label, value] of m) {
    if (label === H_TYP) continue;
    if (label === H_ALG) {
      const alg = layerAlgOfCose(value);
      if (alg === undefined) fail('ERR_ALG_NOT_ALLOWED', `COSE algorithm ${JSON.stringify(String(value)).slice(0, 80)} is not a nestoken algorithm`);
      h.alg = alg;
    } else if (label === H_KID || label === 'doc') {
      if (!isBytes(value) || value.length !== 32) fail('ERR_HEADER_INVALID', `${String(label)} must be a 32-byte string`);
      h[label === H_KID ? 'kid' : 'doc'] = b64u(value);
    } else {
      fail('ERR_HEADER_INVALID', `unknown header label ${String(label)}`);
    }
  }
  return h;
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

/** An own member even when it is named `__proto__`, as JSON.parse makes it (an assignment would set the prototype instead). */
function setMember(o: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(o, name, { value, enumerable: true, writable: true, configurable: true });
  else o[name] = value;
}

function readClaims(m: Map<unknown, unknown>, limits: Limits): LayerClaims {
  const claims: Record<string, unknown> = {};
  for (const [key, value] of m) {
    const name = claimName(key);
    if (name === 'jti') {
      if (!isBytes(value)) fail('ERR_CLAIMS_INVALID', 'cti must be a byte string');
      claims.jti = fromUtf8(value);
    } else if (name === 'cnf') {
      // A claim of the wrong type is a claims fault whatever the type (spec §4.3), never ERR_MALFORMED.
      const jkt = value instanceof Map ? value.get('jkt') : undefined;
      if (!(value instanceof Map) || value.size !== 1 || !isBytes(jkt) || jkt.length !== 32) fail('ERR_CLAIMS_INVALID', 'cnf must be exactly {"jkt": 32 bytes}');
      claims.cnf = { jkt: b64u(jkt) };
    } else {
      setMember(claims, name, toJsonValue(value, 'claims'));
    }
  }
  return checkClaims(claims, limits);
}

/** A layer as a COSE_Sign1 (RFC 9052) over a CWT-shaped claims map, deterministic CBOR; what it does not send it signs as external AAD (spec §4.3, §4.6). */
export const cborLayerCodec: LayerCodec = {
  name: 'cbor',
  signingInput(header, claims, previousAlg = header.prv !== undefined ? header.alg : undefined) {
    return sigStructure(protectedBytesOf(protectedMap(header, previousAlg)), encodeCbor(claimsMap(claims)), externalAad(header, previousAlg));
  },
  encode(header, claims, signature, previousAlg = header.prv !== undefined ? header.alg : undefined) {
    const protectedBytes = protectedBytesOf(protectedMap(header, previousAlg));
    const payload = encodeCbor(claimsMap(claims));
    const signingInput = sigStructure(protectedBytes, payload, externalAad(header, previousAlg));
    const bytes = encodeSign1(protectedBytes, new Map(), payload, signature);
    return { format: 'cbor', header, claims, signingInput, signature: Uint8Array.from(signature), bytes };
  },
  decode(bytes, limits, previous, arena = new ByteArena()) {
    checkSize(bytes.length, limits.maxLayerBytes, 'layer');
    const { protectedBytes, unprotected, payload, signature } = decodeSign1(bytes, ENVELOPE_DEPTH);
    if (mapOf(unprotected, 'unprotected header').size !== 0) fail('ERR_HEADER_INVALID', 'the unprotected header must be empty');
    const sentMap = protectedBytes.length === 0 ? new Map() : mapOf(decodeCbor(protectedBytes, 'protected header', ENVELOPE_DEPTH), 'protected header');
    if (protectedBytes.length !== 0 && sentMap.size === 0) fail('ERR_NONCANONICAL', 'an empty protected header is the empty byte string');
    const header = impliedHeader(readSent(sentMap), previous, limits);
    const claims = readClaims(mapOf(decodeCbor(payload, 'claims', limits.maxClaimDepth + 1), 'claims'), limits);
    if (LAYER_ALGORITHMS[header.alg].mode === 'id' && claims.cnf === undefined) fail('ERR_CLAIMS_INVALID', 'an ID-mode layer names the next key in cnf.jkt');
    const signingInput = sigStructure(protectedBytes, payload, externalAad(header, previous?.header.alg, arena), arena.take);
    return { format: 'cbor', header, claims, signingInput, signature, bytes };
  },
};
