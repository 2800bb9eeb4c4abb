import { b64u, fromB64u, utf8 } from '../bytes.js';
import { fail } from '../errors.js';
import { checkSize, type Limits } from '../limits.js';
import { encodeJsonObject, parseCanonicalJsonObject } from './json.js';
import { checkClaims, checkHeader, type Layer, type LayerClaims, type LayerCodec, type LayerHeader } from './layer.js';

export const JWT_TYP = 'nst+jwt';
const DOT = 0x2e;

/** `use` has no JWT form (statements are CBOR only, spec §10.4.2), so it is never written here. */
const headerJson = ({ use: _use, ...h }: LayerHeader): Uint8Array => encodeJsonObject({ ...h, typ: JWT_TYP });

/** A layer as a JWS compact serialization (RFC 7515) of canonical JSON (spec §4.2). */
export const jwtLayerCodec: LayerCodec = {
  name: 'jwt',
  signingInput(header, claims) {
    return utf8(`${b64u(headerJson(header))}.${b64u(encodeJsonObject(claims))}`);
  },
  encode(header, claims, signature) {
    const signingInput = this.signingInput(header, claims);
    const bytes = utf8(`${new TextDecoder().decode(signingInput)}.${b64u(signature)}`);
    return { format: 'jwt', header, claims, signingInput, signature: Uint8Array.from(signature), bytes };
  },
  decode(bytes, limits) {
    checkSize(bytes.length, limits.maxLayerBytes, 'layer');
    const first = bytes.indexOf(DOT);
    const second = first < 0 ? -1 : bytes.indexOf(DOT, first + 1);
    if (first < 0 || second < 0 || bytes.indexOf(DOT, second + 1) >= 0) fail('ERR_MALFORMED', 'a JWT layer has exactly three parts');
    const ascii = new TextDecoder().decode(bytes);
    const headerBytes = fromB64u(ascii.slice(0, first), 'JWS header');
    const payloadBytes = fromB64u(ascii.slice(first + 1, second), 'JWS payload');
    const signature = fromB64u(ascii.slice(second + 1), 'JWS signature');
    const rawHeader = parseCanonicalJsonObject(headerBytes, 'JWS header', limits);
    // crit before typ, as in the CBOR form (spec §4.2, §4.3): one input with both faults gets one code in either format.
    if ('crit' in rawHeader) fail('ERR_CRIT_UNSUPPORTED', 'no critical header parameters are defined in nestoken v1');
    if (rawHeader.typ !== JWT_TYP) fail('ERR_HEADER_INVALID', `typ must be ${JWT_TYP}`);
    // Attestation statements exist in the CBOR form only (spec §10.4.2).
    if ('use' in rawHeader) fail('ERR_HEADER_INVALID', 'unknown header parameter use');
    delete rawHeader.typ;
    const header = checkHeader(rawHeader, limits);
    const claims: LayerClaims = checkClaims(parseCanonicalJsonObject(payloadBytes, 'JWS payload', limits), limits);
    return { format: 'jwt', header, claims, signingInput: bytes.subarray(0, second), signature, bytes };
  },
};
