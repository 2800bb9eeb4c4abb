import { decode, encode, Tagged, Tokenizer, Type } from 'cborg';
import { fail, NestokenError } from '../errors.js';

export { Tagged };

/** COSE_Sign1 (RFC 9052) and the token container tag (spec §4.1.2, §4.3). */
export const TAG_COSE_SIGN1 = 18;
/** The container of format version 2, the one nestoken reads and writes. */
export const TAG_NESTOKEN = 0x7b2d0002;
/** The container of format version 1: recognised only to be refused by name (spec §4.1.3). */
export const TAG_NESTOKEN_V1 = 0x7b2d0001;

/** Envelope levels (container, layer, maps) above the claims' own nesting. */
export const ENVELOPE_DEPTH = 4;

const utf8Encoder = new TextEncoder();

/** Thrown inside the decoder for structural faults; `decodeCbor` maps it to `ERR_CBOR`. */
const malformed = (message: string): never => {
  throw new Error(`CBOR decode error: ${message}`);
};

/**
 * One pass over the bytes that builds the value and checks RFC 8949 §4.2.1 deterministic
 * encoding together. cborg's strict tokenizer reads each item (and already refuses long
 * integer heads, indefinite lengths, undefined, NaN, Infinity and big integers); this walk
 * adds the rest, item by item: map keys in bytewise order (which also makes them unique),
 * numbers in their one encoding (shortest float, or an integer when integral), text in valid
 * UTF-8, only the tags nestoken defines, and a nesting bound checked before a container is
 * entered, so a depth bomb stops early and typed. Each byte is read once: no pre-scan, no
 * second decode, no re-encoding. Positions, not slices, are compared: this runs on every
 * token of every layer on the verify path.
 */
class CanonicalDecoder {
  private readonly data: Uint8Array<ArrayBuffer>;
  private readonly tokens: InstanceType<typeof Tokenizer>;
  /** Foreign CBOR: a repeated key is reported after the whole input was read, as a separate scan did before. */
  private duplicate = false;
  constructor(
    input: Uint8Array,
    private readonly maxDepth: number,
    private readonly what: string,
    private readonly deterministic: boolean,
  ) {
    // Only copies the decoder made itself are in the set, and those are ArrayBuffers.
    this.data = ownedBuffers.has(input.buffer) ? (input as Uint8Array<ArrayBuffer>) : privateCopy(input);
    this.tokens = new Tokenizer(new ViewSlices(this.data.buffer, this.data.byteOffset, this.data.length), STRICT);
  }

  decode(): unknown {
    const value = this.item(0);
    if (!this.tokens.done()) {
      // Trailing items are still read for their own faults first: one input, one code, whatever its length.
      while (!this.tokens.done()) this.item(0);
      this.reportDuplicate();
      malformed('too many terminals, data makes no sense');
    }
    this.reportDuplicate();
    return value;
  }

  private reportDuplicate(): void {
    if (this.duplicate) fail('ERR_DUPLICATE_KEY', `${this.what} repeats a map key`);
  }

  private truncated(): never {
    this.reportDuplicate();
    return malformed('the input ends inside an item');
  }

  /** The next item at nesting `depth` (0 at the top); a map key when `keys` (the ranges of the keys before it) is given. */
  private item(depth: number, keys?: number[]): unknown {
    const tokens = this.tokens;
    if (tokens.done()) this.truncated();
    const start = tokens.pos();
    const token = tokens.next();
    const end = tokens.pos();
    const type = token.type;
    if (keys !== undefined && this.deterministic) this.checkKey(keys, type, start, end);
    if (type.terminal) {
      if (type === Type.string) return this.exactText(token.value as string, start, end);
      if (type === Type.float && this.deterministic) this.checkFloat(token.value as number, start, end);
      else if (type === Type.break) malformed('unexpected break');
      return token.value;
    }
    const count = token.value as number;
    // An empty container opens no level; a tag always has its one item.
    if (depth >= this.maxDepth && (count > 0 || type === Type.tag)) fail('ERR_LIMIT_EXCEEDED', `${this.what}: CBOR nested deeper than ${this.maxDepth}`);
    if (type === Type.array) {
      const out = new Array<unknown>(count);
      for (let i = 0; i < count; i++) out[i] = this.item(depth + 1);
      return out;
    }
    if (type === Type.map) return this.map(count, depth + 1);
    const tag = count;
    if (tag !== TAG_COSE_SIGN1 && tag !== TAG_NESTOKEN && tag !== TAG_NESTOKEN_V1) malformed(`tag not supported (${tag})`);
    return new Tagged(tag, this.item(depth + 1));
  }

  private map(count: number, depth: number): Map<unknown, unknown> {
    const out = new Map<unknown, unknown>();
    // Where each key starts and ends in the input, to compare it with the next one.
    const keys: number[] = [];
    let byteKeys: Set<string> | undefined;
    for (let i = 0; i < count; i++) {
      const key = this.item(depth, keys);
      if (!this.deterministic) {
        // Keys in any order: uniqueness by value (byte strings by content; Map compares them by identity).
        if (key instanceof Uint8Array) {
          const id = keyText(key);
          if ((byteKeys ??= new Set()).has(id)) this.duplicate = true;
          byteKeys.add(id);
        } else if (out.has(key)) this.duplicate = true;
      }
      out.set(key, this.item(depth));
    }
    return out;
  }

  /** Bytewise comparison of two ranges of the input. */
  private compare(aStart: number, aEnd: number, bStart: number, bEnd: number): number {
    const d = this.data;
    const n = Math.min(aEnd - aStart, bEnd - bStart);
    for (let i = 0; i < n; i++) if (d[aStart + i] !== d[bStart + i]) return d[aStart + i]! - d[bStart + i]!;
    return aEnd - aStart - (bEnd - bStart);
  }

  /** Map keys are integers or strings, each after the previous one in bytewise order (RFC 8949 §4.2.1). */
  private checkKey(keys: number[], type: InstanceType<typeof Type>, start: number, end: number): void {
    if (type !== Type.uint && type !== Type.negint && type !== Type.string && type !== Type.bytes) fail('ERR_CBOR', `${this.what}: map keys are integers or strings`);
    const n = keys.length;
    if (n > 0 && this.compare(keys[n - 2]!, keys[n - 1]!, start, end) >= 0) {
      for (let i = 0; i < n; i += 2) if (this.compare(keys[i]!, keys[i + 1]!, start, end) === 0) fail('ERR_DUPLICATE_KEY', `${this.what} repeats a map key`);
      fail('ERR_NONCANONICAL', `${this.what}: map keys are not in bytewise order`);
    }
    keys.push(start, end);
  }

  /**
   * cborg decodes text leniently (U+FFFD for ill-formed UTF-8, a leading byte-order mark
   * dropped): the text must be exactly its bytes. Ill-formed UTF-8 is a non-canonical text
   * (spec §4.4.1); a leading U+FEFF is legitimate text that cborg loses, and is put back.
   * Returns the text as written.
   */
  private exactText(value: string, start: number, end: number): string {
    const from = start + headLength(this.data[start]!);
    if (value.length === end - from) {
      let ascii = true;
      for (let i = from; i < end && ascii; i++) ascii = this.data[i]! < 0x80;
      if (ascii) return value;
    }
    const bytes = this.data.subarray(from, end);
    const text = startsWithBom(bytes) ? `\uFEFF${value}` : value;
    if (!equalBytes(utf8Encoder.encode(text), bytes)) fail('ERR_NONCANONICAL', `${this.what}: text is not valid UTF-8`);
    return text;
  }

  /** A number has one encoding: the shortest float, or an integer when it is one (spec §4.4). */
  private checkFloat(value: number, start: number, end: number): void {
    if (!equalBytes(encode(value), this.data.subarray(start, end))) fail('ERR_NONCANONICAL', `${this.what}: a number is not in its shortest form`);
  }
}

/**
 * Buffers holding a copy of a decoder input that only the decoder made: nothing outside can
 * change them, so the byte strings decoded from them can be views, and a nested decode (a
 * layer inside a token, a header inside a layer) needs no copy of its own.
 */
const ownedBuffers = new WeakSet<object>();

function privateCopy(input: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(input);
  ownedBuffers.add(copy.buffer);
  return copy;
}

/**
 * What cborg's tokenizer reads: it copies every byte string with `slice`; over a private copy
 * a plain view says the same for no allocation (an ArrayBuffer per field showed in profiles).
 * Never leaves the decoder: the views it makes are ordinary Uint8Arrays.
 */
class ViewSlices extends Uint8Array<ArrayBuffer> {
  override slice(start = 0, end = this.length): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.buffer, this.byteOffset + start, end - start);
  }
}

/** A byte-string map key as text, one character per byte, to find repeats by content. */
function keyText(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** Bytes of a CBOR head with this initial byte (spec §4.4.1: the shortest head is checked by cborg). */
function headLength(initial: number): number {
  const info = initial & 0x1f;
  return info < 24 ? 1 : info === 24 ? 2 : info === 25 ? 3 : info === 26 ? 5 : 9;
}

const startsWithBom = (b: Uint8Array): boolean => b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;

/**
 * cborg's tokenizer, except that a text string keeps a leading U+FEFF (cborg reads text with a
 * `TextDecoder` that drops one, and offers no option against it). Without this, text that
 * starts with U+FEFF would not read back as written, and a crate node carrying it would be
 * refused while its JSON twin verifies. `decodeCborExactText` uses it only when such text may
 * be present: every other input takes cborg's own tokenizer.
 */
export class ExactTextTokenizer extends Tokenizer {
  private readonly bytes: Uint8Array;
  /** The bytes to tokenize and cborg's decode options (the same object passed to `decode`). */
  constructor(data: Uint8Array, options: object) {
    super(data, options);
    this.bytes = data;
  }
  /** The next token; a text token whose bytes start with EF BB BF gets its U+FEFF back. */
  override next(): ReturnType<InstanceType<typeof Tokenizer>['next']> {
    const start = this.pos();
    const token = super.next();
    if (token.type.name === 'string' && startsWithBom(this.bytes.subarray(start + headLength(this.bytes[start]!), this.pos()))) {
      token.value = `\uFEFF${token.value as string}`;
    }
    return token;
  }
}

/** Does any text string in these bytes possibly start with U+FEFF? A cheap byte search that gates {@link ExactTextTokenizer}. */
function mayHoldByteOrderMark(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(0xef); i >= 0 && i + 2 < bytes.length; i = bytes.indexOf(0xef, i + 1)) {
    if (bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf) return true;
  }
  return false;
}

/**
 * cborg's `decode` with the caller's options (a DAG-CBOR decoder's, say), except that text is
 * read exactly: a text string that starts with U+FEFF keeps it. Errors are cborg's, untyped:
 * the caller maps them to its codes.
 */
export function decodeCborExactText(bytes: Uint8Array, options: object): unknown {
  return decode(bytes, mayHoldByteOrderMark(bytes) ? { ...options, tokenizer: new ExactTextTokenizer(bytes, options) } : options);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The tokenizer's options: strict integer heads, definite lengths, no undefined, NaN, Infinity or big integers. */
const STRICT = {
  strict: true,
  allowIndefinite: false,
  allowUndefined: false,
  allowInfinity: false,
  allowNaN: false,
  allowBigInt: false,
} as const;

/** RFC 8949 §4.2.1 core deterministic encoding: shortest forms, map keys in bytewise order. */
export const encodeCbor = (value: unknown): Uint8Array => encode(value);

/**
 * Strict, deterministic-only decoding (spec §4.4): anything but the one canonical encoding is
 * refused. `foreign` relaxes only what other issuers' CWTs may legitimately do (map keys in
 * any order, longer floats); shortest integer heads, definite lengths, unique keys, valid
 * UTF-8 and the depth bound still hold. The input is copied once; the byte strings of the
 * result are views of that copy (never of the caller's bytes), so they share one buffer.
 */
export function decodeCbor(bytes: Uint8Array, what: string, maxDepth: number, foreign = false): unknown {
  try {
    return new CanonicalDecoder(bytes, maxDepth, what, !foreign).decode();
  } catch (e) {
    if (e instanceof NestokenError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    if (message.includes('repeat map key')) fail('ERR_DUPLICATE_KEY', `${what} repeats a map key`);
    if (message.includes('more bytes than necessary') || message.includes('indefinite')) {
      fail('ERR_NONCANONICAL', `${what}: ${message.replace(/^CBOR decode error: /, '')}`);
    }
    return fail('ERR_CBOR', `${what} is not valid CBOR`);
  }
}

export function isTagged(v: unknown, tag: number): v is Tagged {
  return v instanceof Tagged && v.tag === tag;
}
