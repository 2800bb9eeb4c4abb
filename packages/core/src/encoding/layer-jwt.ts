import { b64u, b64uLength, ByteArena, checkB64u, fromB64u, textOfB64u, utf8, writeB64u } from '../bytes.js';
import { LAYER_ALGORITHMS } from '../crypto/algorithms.js';
import { fail } from '../errors.js';
import { checkSize, type Limits } from '../limits.js';
import { splitHeader, impliedHeader } from './implied.js';
import { encodeJsonObject, parseCanonicalJsonObject } from './json.js';
import { checkNamedClaims, type Layer, type LayerClaims, type LayerCodec, type LayerHeader } from './layer.js';

export const JWT_TYP = 'nst+jwt';

/**
 * The protected header a JWT layer is signed under (spec §4.2): every member, sent or implied,
 * and `typ`, in canonical JSON. A verifier rebuilds it to check the layer, a JOSE library too.
 * `use` has no JWT form (statements are CBOR only, spec §10.4.2).
 */
export const signedJwtHeader = (h: LayerHeader): Uint8Array => headerScratch.slice(0, writeSignedHeader(h));

/** Where the signed header is written, a layer at a time: its members are a few short texts. */
const headerScratch = new Uint8Array(1024);

/**
 * `canonicalJson` of the header's members and `typ`, as ASCII bytes into `headerScratch`, written
 * in the one order it sorts them to (alg, doc, kid, prv, typ) rather than sorted again for every
 * layer a verifier reads. Every member is an algorithm name or base64url text (checked where the
 * header was built), which JSON writes as it is: no escaping to do. Returns the length.
 */
function writeSignedHeader(h: LayerHeader): number {
  let at = put('{"alg":"', 0);
  at = put(h.alg, at);
  if (h.doc !== undefined) at = put(h.doc, put('","doc":"', at));
  if (h.kid !== undefined) at = put(h.kid, put('","kid":"', at));
  if (h.prv !== undefined) at = put(h.prv, put('","prv":"', at));
  return put(TYP_MEMBER, at);
}

const TYP_MEMBER = `","typ":"${JWT_TYP}"}`;

/** Writes ASCII text into `headerScratch` at `at`; returns where it ends. */
function put(text: string, at: number): number {
  if (at + text.length > headerScratch.length) fail('ERR_HEADER_INVALID', 'a header member is longer than any digest');
  let wide = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    wide |= c;
    headerScratch[at + i] = c;
  }
  if (wide > 0x7f) fail('ERR_HEADER_INVALID', 'header members are base64url text');
  return at + text.length;
}

/**
 * A JWT layer's signing input (RFC 7515 §5.2) in one array of the arena: the unpadded base64url
 * of the rebuilt header, a dot, the payload part as it was sent. The header is encoded straight
 * into place: no intermediate text, buffer or string per layer.
 */
function jwtSigningInput(h: LayerHeader, payloadPart: Uint8Array, arena: ByteArena): Uint8Array {
  const n = writeSignedHeader(h);
  const out = arena.take(b64uLength(n) + 1 + payloadPart.length);
  const j = writeB64u(headerScratch, n, out, 0);
  out[j] = DOT_BYTE;
  out.set(payloadPart, j + 1);
  return out;
}

const DOT_BYTE = 0x2e;

/** JWT layers are ASCII; one decoder for all of them. */
const textDecoder = new TextDecoder();

/** A layer as a JWS compact serialization (RFC 7515) whose header carries only what cannot be derived (spec §4.2, §4.6). */
export const jwtLayerCodec: LayerCodec = {
  name: 'jwt',
  signingInput(header, claims) {
    return utf8(`${b64u(signedJwtHeader(header))}.${b64u(encodeJsonObject(claims))}`);
  },
  encode(header, claims, signature, previousAlg = header.prv !== undefined ? header.alg : undefined) {
    const signingInput = this.signingInput(header, claims, previousAlg);
    const { sent } = splitHeader(header, previousAlg);
    // An empty header travels as an empty part, not as `{}`: the one encoding of "nothing sent".
    const headerPart = Object.keys(sent).length === 0 ? '' : b64u(encodeJsonObject(sent));
    const bytes = utf8(`${headerPart}.${b64u(encodeJsonObject(claims))}.${b64u(signature)}`);
    return { format: 'jwt', header, claims, signingInput, signature: Uint8Array.from(signature), bytes };
  },
  decode(bytes, limits, previous, arena = new ByteArena()) {
    return decodeJwtLayer(textDecoder.decode(bytes), bytes, limits, previous, arena);
  },
};

/**
 * A JWT layer from its text and its bytes, the same characters (a layer that is not ASCII fails
 * its base64url): a token read as text hands over both, and neither is converted into the other.
 */
export function decodeJwtLayer(text: string, bytes: Uint8Array, limits: Limits, previous: Layer | undefined, arena: ByteArena): Layer {
  checkSize(bytes.length, limits.maxLayerBytes, 'layer');
  const first = text.indexOf('.');
  const second = first < 0 ? -1 : text.indexOf('.', first + 1);
  if (first < 0 || second < 0 || text.indexOf('.', second + 1) >= 0) fail('ERR_MALFORMED', 'a JWT layer has exactly three parts');
  const headerText = text.slice(0, first);
  const payloadText = text.slice(first + 1, second);
  checkB64u(payloadText, 'JWS payload');
  const signature = fromB64u(text.slice(second + 1), 'JWS signature');
  if (headerText !== '') checkB64u(headerText, 'JWS header');
  const sent = headerText === '' ? {} : parseCanonicalJsonObject(textOfB64u(headerText), 'JWS header', limits);
  if (headerText !== '' && Object.keys(sent).length === 0) fail('ERR_NONCANONICAL', 'an empty header is sent as an empty part');
  // crit before typ, as in the CBOR form (spec §4.2, §4.3): one input with both faults gets one code in either format.
  if ('crit' in sent) fail('ERR_CRIT_UNSUPPORTED', 'no critical header parameters are defined in nestoken');
  // Format version 1 sent typ in every layer; version 2 implies it (spec §4.1.3).
  if ('typ' in sent) fail(sent.typ === JWT_TYP ? 'ERR_UNSUPPORTED_VERSION' : 'ERR_HEADER_INVALID', sent.typ === JWT_TYP ? 'a nestoken format 1 layer' : 'typ is implied and not sent');
  // Attestation statements exist in the CBOR form only (spec §10.4.2).
  if ('use' in sent) fail('ERR_HEADER_INVALID', 'unknown header parameter use');
  const header = impliedHeader(sent, previous, limits);
  const claims: LayerClaims = checkNamedClaims(parseCanonicalJsonObject(textOfB64u(payloadText), 'JWS payload', limits));
  if (LAYER_ALGORITHMS[header.alg].mode === 'id' && claims.cnf === undefined) fail('ERR_CLAIMS_INVALID', 'an ID-mode layer names the next key in cnf.jkt');
  // The payload part is canonical, so it is reused as sent (its bytes, a view: every part passed
  // the base64url check, so the text is ASCII and its offsets are the bytes'); only the header is rebuilt.
  const signingInput = jwtSigningInput(header, bytes.subarray(first + 1, second), arena);
  return { format: 'jwt', header, claims, signingInput, signature, bytes };
}
