import { type Layer, type LayerAlg, type LayerClaims, type LayerFormat, type LayerHeader, type SigningKey } from '@nestoken/core';
import { encode, Tagged } from 'cborg';
import { b64u, fromB64u, utf8 } from '../bytes.js';
import { canonicalJson } from './json.js';
import { signWith } from './sign.js';

/**
 * Both layer formats of format version 2 (spec §4.2, §4.3, §4.6) encoded from the spec's
 * tables: a layer sends only what its position does not imply and signs the rest. The
 * generator needs them to build what core refuses to build (re-encoded layers, widened
 * lifetimes, foreign keys), and a test holds them to core's bytes on honest layers.
 */
export const JWT_TYP = 'nst+jwt';
export const COSE_TYP = 'application/nst+cwt';
export const COSE_ATTESTATION_TYP = 'application/nst-attestation+cwt';
export const TAG_COSE_SIGN1 = 18;
/** COSE label-1 values of the layer algorithms (spec §4.3); `nst-r255` is its own text. */
const COSE_ALG: Readonly<Record<string, number>> = { Ed25519: -19, ES256: -7 };
/** The CWT keys of spec §4.3; a Map so that any other name, `__proto__` included, is just a name. */
const CWT_KEY = new Map<string, number>([['iss', 1], ['sub', 2], ['aud', 3], ['exp', 4], ['nbf', 5], ['iat', 6], ['jti', 7], ['cnf', 8], ['scope', 9], ['status', 65535]]);

/** The alg of the layer before when none is given: the same as this one's on a layer after the root. */
const defaultPrevious = (h: LayerHeader): LayerAlg | undefined => (h.prv !== undefined ? h.alg : undefined);

/**
 * Spec §4.6, the rule of what travels: alg unless it is the previous layer's; kid on the root
 * and on identified aggregate links, never on an ID-mode layer after the root; doc always;
 * prv and typ never (an attestation statement sends its own typ, CBOR only).
 */
export function sentHeader(h: LayerHeader, previousAlg: LayerAlg | undefined = defaultPrevious(h)): Record<string, unknown> {
  const root = previousAlg === undefined;
  const out: Record<string, unknown> = {};
  if (root || previousAlg !== h.alg) out.alg = h.alg;
  if (h.doc !== undefined) out.doc = h.doc;
  if (h.kid !== undefined && (root || h.alg === 'nst-r255')) out.kid = h.kid;
  return out;
}

/** The members signed but not sent (spec §4.6). */
export function impliedHeader(h: LayerHeader, previousAlg: LayerAlg | undefined = defaultPrevious(h)): Record<string, unknown> {
  const sent = sentHeader(h, previousAlg);
  const out: Record<string, unknown> = {};
  if (!('alg' in sent)) out.alg = h.alg;
  if (h.kid !== undefined && !('kid' in sent)) out.kid = h.kid;
  if (h.prv !== undefined) out.prv = h.prv;
  return out;
}

/** The JWT header as sent: canonical JSON of the sent members, or nothing at all. */
export function jwtHeaderText(h: LayerHeader, previousAlg?: LayerAlg): string {
  const sent = sentHeader(h, previousAlg ?? defaultPrevious(h));
  return Object.keys(sent).length === 0 ? '' : canonicalJson(sent);
}

/** The JWT header signed, that a JOSE library verifies: every member with typ (spec §4.2). */
export const jwtSignedHeaderText = ({ use: _use, ...h }: LayerHeader): string => canonicalJson({ ...h, typ: JWT_TYP });

/** The header a verifier rebuilds from sent header text it could parse: the text with typ put last, as canonical order has it for the members a root sends. */
export function rebuiltHeaderText(sentText: string): string {
  if (sentText === '') return canonicalJson({ typ: JWT_TYP });
  return sentText.endsWith('}') ? `${sentText.slice(0, -1)}${sentText === '{}' ? '' : ','}"typ":"${JWT_TYP}"}` : sentText;
}

export function coseProtectedMap(h: LayerHeader, previousAlg?: LayerAlg): Map<unknown, unknown> {
  const sent = sentHeader(h, previousAlg ?? defaultPrevious(h));
  const m = new Map<unknown, unknown>();
  if (sent.alg !== undefined) m.set(1, COSE_ALG[h.alg] ?? h.alg);
  if (sent.kid !== undefined) m.set(4, fromB64u(h.kid!));
  if (h.use === 'attestation') m.set(16, COSE_ATTESTATION_TYP);
  if (sent.doc !== undefined) m.set('doc', fromB64u(h.doc!));
  return m;
}

/** The protected header's bytes: the empty byte string for an empty header (RFC 9052 §3). */
export const protectedBytesOf = (m: Map<unknown, unknown>): Uint8Array => (m.size === 0 ? new Uint8Array(0) : encode(m));

/** The external AAD of a COSE layer (spec §4.3): the map of implied members and the constant typ. */
export function coseExternalAad(h: LayerHeader, previousAlg?: LayerAlg): Uint8Array {
  const implied = impliedHeader(h, previousAlg ?? defaultPrevious(h));
  const m = new Map<unknown, unknown>();
  if (implied.alg !== undefined) m.set(1, COSE_ALG[h.alg] ?? h.alg);
  if (implied.kid !== undefined) m.set(4, fromB64u(h.kid!));
  if (h.use !== 'attestation') m.set(16, COSE_TYP);
  if (implied.prv !== undefined) m.set('prv', fromB64u(h.prv!));
  return encode(m);
}

/** The external AAD of a root that sends alg and kid: only the constant typ. */
export const ROOT_AAD = encode(new Map([[16, COSE_TYP]]));

const asCbor = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(asCbor) : typeof v === 'object' && v !== null ? new Map(Object.entries(v).map(([k, x]) => [k, asCbor(x)])) : v;

export function cwtClaimsMap(c: LayerClaims): Map<unknown, unknown> {
  const m = new Map<unknown, unknown>();
  for (const [name, value] of Object.entries(c)) {
    if (value === undefined) continue;
    if (name === 'jti') m.set(CWT_KEY.get('jti'), utf8(value as string));
    else if (name === 'cnf') m.set(CWT_KEY.get('cnf'), new Map([['jkt', fromB64u((value as { jkt: string }).jkt)]]));
    else m.set(CWT_KEY.get(name) ?? name, asCbor(value));
  }
  return m;
}

/** RFC 9052 §4.4 Sig_structure for COSE_Sign1 with the external AAD of spec §4.3 (a root's by default). */
export const sigStructure = (protectedBytes: Uint8Array, payload: Uint8Array, externalAad: Uint8Array = ROOT_AAD): Uint8Array =>
  encode(['Signature1', protectedBytes, externalAad, payload]);

export function coseSign1(protectedBytes: Uint8Array, payload: Uint8Array, signature: Uint8Array, unprotected = new Map()): Uint8Array {
  return encode(new Tagged(TAG_COSE_SIGN1, [protectedBytes, unprotected, payload, signature]));
}

export function signingInput(format: LayerFormat, header: LayerHeader, claims: LayerClaims, previousAlg?: LayerAlg): Uint8Array {
  if (format === 'jwt') return utf8(`${b64u(utf8(jwtSignedHeaderText(header)))}.${b64u(utf8(canonicalJson(claims)))}`);
  return sigStructure(protectedBytesOf(coseProtectedMap(header, previousAlg)), encode(cwtClaimsMap(claims)), coseExternalAad(header, previousAlg));
}

export function encodeLayer(format: LayerFormat, header: LayerHeader, claims: LayerClaims, signature: Uint8Array, previousAlg?: LayerAlg): Layer {
  const input = signingInput(format, header, claims, previousAlg);
  const headerText = jwtHeaderText(header, previousAlg);
  const bytes =
    format === 'jwt'
      ? utf8(`${headerText === '' ? '' : b64u(utf8(headerText))}.${b64u(utf8(canonicalJson(claims)))}.${b64u(signature)}`)
      : coseSign1(protectedBytesOf(coseProtectedMap(header, previousAlg)), encode(cwtClaimsMap(claims)), signature);
  return { format, header, claims, signingInput: input, signature: Uint8Array.from(signature), bytes };
}

/** An ID-mode layer signed with any key over any header and claims: what a hostile hop can send. */
export async function signLayer(format: LayerFormat, key: SigningKey, header: LayerHeader, claims: LayerClaims, previousAlg?: LayerAlg): Promise<Layer> {
  const signature = await signWith(key, signingInput(format, header, claims, previousAlg));
  return encodeLayer(format, header, claims, signature, previousAlg);
}

/** The same header, claims and signature in the other format: a silent re-encoding (spec §4.5). */
export const transcode = (layer: Layer, previousAlg?: LayerAlg): Layer =>
  encodeLayer(layer.format === 'jwt' ? 'cbor' : 'jwt', layer.header, layer.claims, layer.signature, previousAlg);

/** The layer with one part replaced and everything else, the signature slot included, kept. */
export const reencode = (layer: Layer, change: { header?: LayerHeader; claims?: LayerClaims; signature?: Uint8Array }, previousAlg?: LayerAlg): Layer =>
  encodeLayer(layer.format, change.header ?? layer.header, change.claims ?? layer.claims, change.signature ?? layer.signature, previousAlg);
