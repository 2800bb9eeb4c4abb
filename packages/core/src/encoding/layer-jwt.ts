import { b64u, b64uOfAscii, ByteArena, checkB64u, fromB64u, textOfB64u, utf8 } from '../bytes.js';
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
export const signedJwtHeader = (h: LayerHeader): Uint8Array => utf8(signedJwtHeaderText(h));

/**
 * `canonicalJson` of the header's members and `typ`, written in the one order it sorts them to
 * (alg, doc, kid, prv, typ) rather than sorted again for every layer a verifier reads. Every
 * member is an algorithm name or base64url text (checked where the header was built), which
 * JSON writes as it is: no escaping to do, so none is attempted.
 */
function signedJwtHeaderText(h: LayerHeader): string {
  let json = `{"alg":"${h.alg}"`;
  if (h.doc !== undefined) json += `,"doc":"${h.doc}"`;
  if (h.kid !== undefined) json += `,"kid":"${h.kid}"`;
  if (h.prv !== undefined) json += `,"prv":"${h.prv}"`;
  return `${json},"typ":"${JWT_TYP}"}`;
}

const DOT = '.';

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
  const signingInput = arena.join(b64uOfAscii(signedJwtHeaderText(header)), DOT, bytes.subarray(first + 1, second));
  return { format: 'jwt', header, claims, signingInput, signature, bytes };
}
