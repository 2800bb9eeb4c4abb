import { b64u, ByteArena, fromB64u, isBytes, utf8 } from '../bytes.js';
import { atLayer, fail } from '../errors.js';
import { checkSize, DEFAULT_LIMITS, resolveLimits, type Limits } from '../limits.js';
import { checkTokenObject } from './token-object.js';
import { decodeCbor, encodeCbor, ENVELOPE_DEPTH, isTagged, Tagged, TAG_NESTOKEN, TAG_NESTOKEN_V1 } from './cbor.js';
import { documentSection, readDocumentSection } from './document-section.js';
import { chainFromItem, checkWitText, documentFromText, documentItem, documentText, type IdentityDocument } from './documents.js';
import { cborLayerCodec } from './layer-cbor.js';
import { decodeJwtLayer, jwtLayerCodec } from './layer-jwt.js';
import type { Layer, LayerCodec, LayerFormat } from './layer.js';

/**
 * A token is its layers, innermost (root) first, plus for aggregate chains the proof:
 * the last scalar s_n (32 bytes, still extendable) or a seal (64 bytes, final), plus the
 * identity documents its layers name by digest, each once. Spec §4.1, §4.6.
 */
export interface Token {
  readonly layers: readonly Layer[];
  readonly proof?: Uint8Array;
  /** Identity documents by their digest (a layer's `doc`); a received token holds those it was sent. */
  readonly documents?: ReadonlyMap<string, IdentityDocument>;
}

/** What the container is made of: each layer's format, bytes and the document it names, the proof and the documents. A `Token` is one. */
export interface TokenBytes {
  readonly layers: ReadonlyArray<Pick<Layer, 'format' | 'bytes'> & { readonly header?: Pick<Layer['header'], 'doc'> }>;
  readonly proof?: Uint8Array;
  readonly documents?: ReadonlyMap<string, IdentityDocument>;
}

/** Tokens made by the library (decoded, issued, extended, sealed): frozen, and known by identity. */
const minted = new WeakSet<Token>();

/** Freezes a token the library made and remembers it, so that `extend` and `seal` take it without decoding it again. */
export function mint(token: Token): Token {
  // Member by member (conditional spreads take V8's slow path, once per token verified).
  const out: { -readonly [K in keyof Token]: Token[K] } = { layers: Object.freeze([...token.layers]) };
  if (token.proof !== undefined) out.proof = token.proof;
  if (token.documents !== undefined && token.documents.size > 0) out.documents = new Map(token.documents);
  const frozen = Object.freeze(out);
  minted.add(frozen);
  return frozen;
}

/** Whether `x` is a token the library made (not a look-alike object). */
export const isMinted = (x: unknown): x is Token => minted.has(x as Token);

/** The form of the container; each layer keeps its own format inside either (spec §4.1). */
export type TokenForm = 'jwt' | 'cbor';

/** How a sender writes a token for one receiver (spec §4.6). */
export interface EncodeOptions {
  /**
   * Digests of identity documents the receiver already holds verified, left out of the
   * documents section. A sender knows them only from its receiver (by agreement for the
   * connection, or because the receiver accepted them before); a receiver without one answers
   * `ERR_DOCUMENT_MISSING` naming it, and the sender then sends it.
   */
  readonly omitDocuments?: Iterable<string>;
}

export const codecs: Record<LayerFormat, LayerCodec> = { jwt: jwtLayerCodec, cbor: cborLayerCodec };

const SEPARATOR = '~';
/** Separates the chain from the documents in the JWT form; in neither base64url nor a JWS. */
const DOCUMENT_SEPARATOR = '!';
/** base64url of the CBOR container's first bytes (the nestoken tags): text CBOR tokens start so. */
export const CBOR_TEXT_PREFIX = '2nst';
const CBOR_PREFIX = Uint8Array.from([0xda, 0x7b, 0x2d, 0x00]);

const isAggregate = (layers: readonly Layer[]): boolean => layers[0]?.header.alg === 'nst-r255';

/** JWT form: one line of ASCII for an HTTP header; CBOR layers ride in it as base64url, documents after `!`. */
export function encodeTokenText(token: TokenBytes, options: EncodeOptions = {}): string {
  const parts = token.layers.map((l) => (l.format === 'jwt' ? new TextDecoder().decode(l.bytes) : b64u(l.bytes)));
  if (token.proof) parts.push(b64u(token.proof));
  const documents = documentSection(token, options.omitDocuments).map(documentText);
  return [parts.join(SEPARATOR), ...documents].join(DOCUMENT_SEPARATOR);
}

/** CBOR form: tag 0x7b2d0002 over [documents, layers, proof?]; JWT layers ride in it as text. */
export function encodeTokenBinary(token: TokenBytes, options: EncodeOptions = {}): Uint8Array {
  const layers = token.layers.map((l) => (l.format === 'jwt' ? new TextDecoder().decode(l.bytes) : l.bytes));
  const documents = documentSection(token, options.omitDocuments).map(documentItem);
  return encodeCbor(new Tagged(TAG_NESTOKEN, token.proof ? [documents, layers, token.proof] : [documents, layers]));
}

/** The JWT form: layers joined by `~`, documents after `!`, one ASCII line. */
export function encodeToken(token: Token, form: 'jwt', options?: EncodeOptions): string;
/** The CBOR form: the token as tagged CBOR bytes. */
export function encodeToken(token: Token, form: 'cbor', options?: EncodeOptions): Uint8Array;
/** The token in the given form (spec §4.1). */
export function encodeToken(token: Token, form: TokenForm, options?: EncodeOptions): string | Uint8Array;
export function encodeToken(token: Token, form: TokenForm, options?: EncodeOptions): string | Uint8Array {
  if (form !== 'jwt' && form !== 'cbor') fail('ERR_USAGE', `encodeToken: form must be 'jwt' or 'cbor', not ${JSON.stringify(String(form).slice(0, 32))}`);
  const checked = checkTokenObject(token, UNBOUNDED);
  return form === 'jwt' ? encodeTokenText(checked, options) : encodeTokenBinary(checked, options);
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

/** More than `max` occurrences of `separator` is refused before anything is split. */
function boundCount(text: string, separator: string, max: number, what: string): void {
  let count = 0;
  for (let i = text.indexOf(separator); i >= 0; i = text.indexOf(separator, i + 1)) {
    if (++count > max) fail('ERR_LIMIT_EXCEEDED', `more than ${max} ${what}`);
  }
}

/** Layers in order, each read knowing the one before it (spec §4.6); a failure names its layer. */
function decodeLayers<T>(raws: readonly T[], read: (raw: T, previous: Layer | undefined, index: number) => Layer, from: Layer[] = []): Layer[] {
  const layers = from;
  for (let i = layers.length; i < raws.length; i++) {
    try {
      layers.push(read(raws[i]!, layers[i - 1], i));
    } catch (e) {
      throw atLayer(e, i);
    }
  }
  return layers;
}

function decodeText(text: string, limits: Limits): Token {
  if (text.length === 0) fail('ERR_CHAIN_TRUNCATED', 'the token has no layers');
  // Bound the hop and document counts before splitting anything.
  boundCount(text, SEPARATOR, limits.maxLayers, 'layers');
  boundCount(text, DOCUMENT_SEPARATOR, limits.maxLayers, 'identity documents');
  const [chain, ...documentParts] = text.split(DOCUMENT_SEPARATOR);
  const parts = chain!.split(SEPARATOR);
  // The chain encoded once: a JWT layer's bytes are a view of it where its characters are its bytes (ASCII, as every valid token is).
  const chainBytes = utf8(chain!);
  const ascii = chainBytes.length === chain!.length;
  const starts = new Array<number>(parts.length);
  for (let i = 0, at = 0; i < parts.length; at += parts[i]!.length + 1, i++) starts[i] = at;
  const jwtBytes = (part: string, i: number): Uint8Array => (ascii ? chainBytes.subarray(starts[i]!, starts[i]! + part.length) : utf8(part));
  const arena = new ByteArena();
  const readPart = (part: string, previous: Layer | undefined, i: number): Layer =>
    part.includes('.') ? decodeJwtLayer(part, jwtBytes(part, i), limits, previous, arena) : cborLayerCodec.decode(fromB64u(part, 'CBOR layer'), limits, previous, arena);
  const layers = decodeLayers(parts.slice(0, 1), readPart);
  const aggregate = isAggregate(layers);
  const last = aggregate ? parts.length - 1 : parts.length;
  if (aggregate && parts.length < 2) fail('ERR_MALFORMED', 'an aggregate token ends with its proof');
  if (last > limits.maxLayers) fail('ERR_LIMIT_EXCEEDED', `more than ${limits.maxLayers} layers`);
  decodeLayers(parts.slice(0, last), readPart, layers);
  const proof = aggregate ? fromB64u(parts[last]!, 'proof') : undefined;
  const documents = readDocumentSection(layers, documentParts.map((p) => documentFromText(p, limits)));
  return tokenOf(layers, proof, documents);
}

function tokenOf(layers: Layer[], proof: Uint8Array | undefined, documents: ReadonlyMap<string, IdentityDocument>): Token {
  const token: { -readonly [K in keyof Token]: Token[K] } = { layers };
  if (proof) token.proof = proof;
  if (documents.size > 0) token.documents = documents;
  return token;
}

function decodeBinary(bytes: Uint8Array, limits: Limits): Token {
  const outer = decodeCbor(bytes, 'token', ENVELOPE_DEPTH);
  if (isTagged(outer, TAG_NESTOKEN_V1)) fail('ERR_UNSUPPORTED_VERSION', 'a nestoken format 1 token');
  if (!isTagged(outer, TAG_NESTOKEN) || !Array.isArray(outer.value) || outer.value.length < 2 || outer.value.length > 3) {
    fail('ERR_MALFORMED', 'a CBOR token is the nestoken tag over [documents, layers, proof?]');
  }
  const [rawDocuments, rawLayers, proof] = outer.value as unknown[];
  if (!Array.isArray(rawDocuments)) fail('ERR_MALFORMED', 'documents must be an array');
  if (!Array.isArray(rawLayers)) fail('ERR_MALFORMED', 'layers must be an array');
  if (rawLayers.length === 0) fail('ERR_CHAIN_TRUNCATED', 'the token has no layers');
  if (rawLayers.length > limits.maxLayers) fail('ERR_LIMIT_EXCEEDED', `more than ${limits.maxLayers} layers`);
  if (rawDocuments.length > limits.maxLayers) fail('ERR_LIMIT_EXCEEDED', `more than ${limits.maxLayers} identity documents`);
  const arena = new ByteArena();
  const layers = decodeLayers(rawLayers, (raw, previous) => {
    if (typeof raw === 'string') return decodeJwtLayer(raw, utf8(raw), limits, previous, arena);
    if (isBytes(raw)) return cborLayerCodec.decode(raw, limits, previous, arena);
    return fail('ERR_MALFORMED', 'a layer is a byte string (COSE) or text (JWS)');
  });
  const aggregate = isAggregate(layers);
  if (aggregate !== (proof !== undefined)) fail('ERR_MALFORMED', aggregate ? 'an aggregate token needs its proof' : 'an ID-mode token has no proof');
  if (proof !== undefined && !isBytes(proof)) fail('ERR_MALFORMED', 'the proof is a byte string');
  const documents = readDocumentSection(
    layers,
    rawDocuments.map((d): IdentityDocument => (typeof d === 'string' ? { wit: checkWitText(d, limits) } : chainFromItem(d, limits))),
  );
  return tokenOf(layers, proof, documents);
}
