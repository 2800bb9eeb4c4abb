import { b64u, fromB64u, isBytes, utf8 } from '../bytes.js';
import { atLayer, fail } from '../errors.js';
import { checkSize, DEFAULT_LIMITS, resolveLimits, type Limits } from '../limits.js';
import { checkTokenObject } from './token-object.js';
import { decodeCbor, encodeCbor, ENVELOPE_DEPTH, isTagged, Tagged, TAG_NESTOKEN } from './cbor.js';
import { cborLayerCodec } from './layer-cbor.js';
import { jwtLayerCodec } from './layer-jwt.js';
import type { Layer, LayerCodec, LayerFormat } from './layer.js';

/**
 * A token is its layers, innermost (root) first, plus for aggregate chains the proof:
 * the last scalar s_n (32 bytes, still extendable) or a seal (64 bytes, final). Spec §4.1.
 */
export interface Token {
  readonly layers: readonly Layer[];
  readonly proof?: Uint8Array;
}

/** What the container is made of: each layer's format and bytes, and the proof. A `Token` is one. */
export interface TokenBytes {
  readonly layers: ReadonlyArray<Pick<Layer, 'format' | 'bytes'>>;
  readonly proof?: Uint8Array;
}

/** Tokens made by the library (decoded, issued, extended, sealed): frozen, and known by identity. */
const minted = new WeakSet<Token>();

/** Freezes a token the library made and remembers it, so that `extend` and `seal` take it without decoding it again. */
export function mint(token: Token): Token {
  const frozen = Object.freeze(token.proof === undefined ? { layers: Object.freeze([...token.layers]) } : { layers: Object.freeze([...token.layers]), proof: token.proof });
  minted.add(frozen);
  return frozen;
}

/** Whether `x` is a token the library made (not a look-alike object). */
export const isMinted = (x: unknown): x is Token => minted.has(x as Token);

/** The form of the container; each layer keeps its own format inside either (spec §4.1). */
export type TokenForm = 'jwt' | 'cbor';

export const codecs: Record<LayerFormat, LayerCodec> = { jwt: jwtLayerCodec, cbor: cborLayerCodec };

const SEPARATOR = '~';
/** base64url of the CBOR container's first bytes (tag 0x7b2d0001): text CBOR tokens start so. */
export const CBOR_TEXT_PREFIX = '2nst';
const CBOR_PREFIX = Uint8Array.from([0xda, 0x7b, 0x2d, 0x00, 0x01]);

const isAggregate = (layers: readonly Layer[]): boolean => layers[0]?.header.alg === 'nst-r255';

/** JWT form: one line of ASCII for an HTTP header; CBOR layers ride in it as base64url. */
export function encodeTokenText(token: TokenBytes): string {
  const parts = token.layers.map((l) => (l.format === 'jwt' ? new TextDecoder().decode(l.bytes) : b64u(l.bytes)));
  if (token.proof) parts.push(b64u(token.proof));
  return parts.join(SEPARATOR);
}

/** CBOR form: tag 0x7b2d0001 over [layers, proof?]; JWT layers ride in it as text. */
export function encodeTokenBinary(token: TokenBytes): Uint8Array {
  const layers = token.layers.map((l) => (l.format === 'jwt' ? new TextDecoder().decode(l.bytes) : l.bytes));
  return encodeCbor(new Tagged(TAG_NESTOKEN, token.proof ? [layers, token.proof] : [layers]));
}

/** The JWT form: layers joined by `~`, one ASCII line. */
export function encodeToken(token: Token, form: 'jwt'): string;
/** The CBOR form: the token as tagged CBOR bytes. */
export function encodeToken(token: Token, form: 'cbor'): Uint8Array;
/** The token in the given form (spec §4.1). */
export function encodeToken(token: Token, form: TokenForm): string | Uint8Array;
export function encodeToken(token: Token, form: TokenForm): string | Uint8Array {
  if (form !== 'jwt' && form !== 'cbor') fail('ERR_USAGE', `encodeToken: form must be 'jwt' or 'cbor', not ${JSON.stringify(String(form).slice(0, 32))}`);
  const checked = checkTokenObject(token, UNBOUNDED);
  return form === 'jwt' ? encodeTokenText(checked) : encodeTokenBinary(checked);
}

/** Encoding the caller's own token is not bounded by the decoding limits; only its shape is checked. */
const UNBOUNDED: Limits = { ...DEFAULT_LIMITS, maxTokenBytes: Number.MAX_SAFE_INTEGER, maxLayers: Number.MAX_SAFE_INTEGER };

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** Which form an input is in: raw CBOR, CBOR as base64url text, or the JWT form. */
export function detectForm(input: string | Uint8Array): TokenForm {
  if (typeof input !== 'string' && !isBytes(input)) fail('ERR_USAGE', 'detectForm: a token is a string or bytes');
  if (isBytes(input)) return startsWith(input, CBOR_PREFIX) ? 'cbor' : 'jwt';
  return input.startsWith(CBOR_TEXT_PREFIX) ? 'cbor' : 'jwt';
}

/** Reads a token in either form within `limits`; checks its structure, not its signatures (use `verify`). */
export function decodeToken(input: string | Uint8Array, partialLimits?: Partial<Limits>): { token: Token; form: TokenForm } {
  if (typeof input !== 'string' && !isBytes(input)) fail('ERR_USAGE', 'a token is a string or bytes');
  const limits = resolveLimits(partialLimits);
  checkSize(input.length, limits.maxTokenBytes, 'token');
  const text = typeof input === 'string' ? input.trim() : input;
  const form = detectForm(text);
  if (form === 'jwt') return { token: mint(decodeText(isBytes(text) ? asciiText(text) : text, limits)), form };
  const bytes = isBytes(text) ? text : fromB64u(text, 'token');
  return { token: mint(decodeBinary(bytes, limits)), form };
}

/** Like a string input, surrounding white space (a trailing newline from a file) is not part of the token. */
function asciiText(bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes).trim();
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) fail('ERR_MALFORMED', 'a JWT-form token is printable ASCII');
  }
  return text;
}

function decodeText(text: string, limits: Limits): Token {
  if (text.length === 0) fail('ERR_CHAIN_TRUNCATED', 'the token has no layers');
  // Bound the hop count before splitting anything.
  let separators = 0;
  for (let i = text.indexOf(SEPARATOR); i >= 0; i = text.indexOf(SEPARATOR, i + 1)) {
    if (++separators > limits.maxLayers) fail('ERR_LIMIT_EXCEEDED', `more than ${limits.maxLayers} layers`);
  }
  const parts = text.split(SEPARATOR);
  const layers: Layer[] = [];
  const decodePart = (part: string, index: number): Layer => {
    try {
      return part.includes('.') ? jwtLayerCodec.decode(utf8(part), limits) : cborLayerCodec.decode(fromB64u(part, 'CBOR layer'), limits);
    } catch (e) {
      throw atLayer(e, index);
    }
  };
  layers.push(decodePart(parts[0]!, 0));
  const aggregate = isAggregate(layers);
  const last = aggregate ? parts.length - 1 : parts.length;
  if (aggregate && parts.length < 2) fail('ERR_MALFORMED', 'an aggregate token ends with its proof');
  if (last > limits.maxLayers) fail('ERR_LIMIT_EXCEEDED', `more than ${limits.maxLayers} layers`);
  for (let i = 1; i < last; i++) layers.push(decodePart(parts[i]!, i));
  const proof = aggregate ? fromB64u(parts[last]!, 'proof') : undefined;
  return proof ? { layers, proof } : { layers };
}

function decodeBinary(bytes: Uint8Array, limits: Limits): Token {
  const outer = decodeCbor(bytes, 'token', ENVELOPE_DEPTH);
  if (!isTagged(outer, TAG_NESTOKEN) || !Array.isArray(outer.value) || outer.value.length < 1 || outer.value.length > 2) {
    fail('ERR_MALFORMED', 'a CBOR token is the nestoken tag over [layers, proof?]');
  }
  const [rawLayers, proof] = outer.value as unknown[];
  if (!Array.isArray(rawLayers)) fail('ERR_MALFORMED', 'layers must be an array');
  if (rawLayers.length === 0) fail('ERR_CHAIN_TRUNCATED', 'the token has no layers');
  if (rawLayers.length > limits.maxLayers) fail('ERR_LIMIT_EXCEEDED', `more than ${limits.maxLayers} layers`);
  const layers = rawLayers.map((raw, i) => {
    try {
      if (typeof raw === 'string') return jwtLayerCodec.decode(utf8(raw), limits);
      if (isBytes(raw)) return cborLayerCodec.decode(raw, limits);
      return fail('ERR_MALFORMED', 'a layer is a byte string (COSE) or text (JWS)');
    } catch (e) {
      throw atLayer(e, i);
    }
  });
  const aggregate = isAggregate(layers);
  if (aggregate !== (proof !== undefined)) fail('ERR_MALFORMED', aggregate ? 'an aggregate token needs its proof' : 'an ID-mode token has no proof');
  if (proof !== undefined && !isBytes(proof)) fail('ERR_MALFORMED', 'the proof is a byte string');
  return proof ? { layers, proof } : { layers };
}

