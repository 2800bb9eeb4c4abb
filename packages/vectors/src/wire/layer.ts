import { type Layer, type LayerClaims, type LayerFormat, type LayerHeader, type SigningKey } from '@nestoken/core';
import { encode, Tagged } from 'cborg';
import { b64u, fromB64u, utf8 } from '../bytes.js';
import { canonicalJson } from './json.js';
import { signWith } from './sign.js';

/**
 * Both layer formats (spec §4.2, §4.3) encoded from the spec's tables. The generator needs them
 * to build what core refuses to build (re-encoded layers, widened lifetimes, foreign keys), and
 * a test holds them to core's bytes on honest layers.
 */
export const JWT_TYP = 'nst+jwt';
export const COSE_TYP = 'application/nst+cwt';
export const TAG_COSE_SIGN1 = 18;
/** COSE label-1 values of the layer algorithms (spec §4.3); `nst-r255` is its own text. */
const COSE_ALG: Readonly<Record<string, number>> = { Ed25519: -19, ES256: -7 };
/** The CWT keys of spec §4.3; a Map so that any other name, `__proto__` included, is just a name. */
const CWT_KEY = new Map<string, number>([['iss', 1], ['sub', 2], ['aud', 3], ['exp', 4], ['nbf', 5], ['iat', 6], ['jti', 7], ['cnf', 8], ['scope', 9], ['status', 65535]]);
const EMPTY = new Uint8Array(0);

export const jwtHeaderText = (h: LayerHeader): string => canonicalJson({ ...h, typ: JWT_TYP });

export function coseProtectedMap(h: LayerHeader): Map<unknown, unknown> {
  const m = new Map<unknown, unknown>([
    [1, COSE_ALG[h.alg] ?? h.alg],
    [16, COSE_TYP],
  ]);
  if (h.kid !== undefined) m.set(4, fromB64u(h.kid));
  if (h.prv !== undefined) m.set('prv', fromB64u(h.prv));
  if (h.wit !== undefined) m.set('wit', h.wit);
  // x5chain (RFC 9360): one certificate as a byte string, several as an array; x5c holds padded base64.
  if (h.x5c !== undefined) {
    const ders = h.x5c.map((c) => Uint8Array.from(atob(c), (ch) => ch.charCodeAt(0)));
    m.set(33, ders.length === 1 ? ders[0] : ders);
  }
  return m;
}

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

/** RFC 9052 §4.4 Sig_structure for COSE_Sign1 without external data. */
export const sigStructure = (protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array =>
  encode(['Signature1', protectedBytes, EMPTY, payload]);

export function coseSign1(protectedBytes: Uint8Array, payload: Uint8Array, signature: Uint8Array, unprotected = new Map()): Uint8Array {
  return encode(new Tagged(TAG_COSE_SIGN1, [protectedBytes, unprotected, payload, signature]));
}

export function signingInput(format: LayerFormat, header: LayerHeader, claims: LayerClaims): Uint8Array {
  if (format === 'jwt') return utf8(`${b64u(utf8(jwtHeaderText(header)))}.${b64u(utf8(canonicalJson(claims)))}`);
  return sigStructure(encode(coseProtectedMap(header)), encode(cwtClaimsMap(claims)));
}

export function encodeLayer(format: LayerFormat, header: LayerHeader, claims: LayerClaims, signature: Uint8Array): Layer {
  const input = signingInput(format, header, claims);
  const bytes =
    format === 'jwt'
      ? utf8(`${new TextDecoder().decode(input)}.${b64u(signature)}`)
      : coseSign1(encode(coseProtectedMap(header)), encode(cwtClaimsMap(claims)), signature);
  return { format, header, claims, signingInput: input, signature: Uint8Array.from(signature), bytes };
}

/** An ID-mode layer signed with any key over any header and claims: what a hostile hop can send. */
export async function signLayer(format: LayerFormat, key: SigningKey, header: LayerHeader, claims: LayerClaims): Promise<Layer> {
  const signature = await signWith(key, signingInput(format, header, claims));
  return encodeLayer(format, header, claims, signature);
}

/** The same header, claims and signature in the other format: a silent re-encoding (spec §4.5). */
export const transcode = (layer: Layer): Layer =>
  encodeLayer(layer.format === 'jwt' ? 'cbor' : 'jwt', layer.header, layer.claims, layer.signature);

/** The layer with one part replaced and everything else, the signature slot included, kept. */
export const reencode = (layer: Layer, change: { header?: LayerHeader; claims?: LayerClaims; signature?: Uint8Array }): Layer =>
  encodeLayer(layer.format, change.header ?? layer.header, change.claims ?? layer.claims, change.signature ?? layer.signature);
