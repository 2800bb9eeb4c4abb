import { decode, encode, Tagged, Tokenizer } from 'cborg';
import { fail, NestokenError } from '../errors.js';

export { Tagged };

/** COSE_Sign1 (RFC 9052) and the token container tag (spec §4.1.2, §4.3). */
export const TAG_COSE_SIGN1 = 18;
/** The container of format version 2, the one nestoken reads and writes. */
export const TAG_NESTOKEN = 0x7b2d0002;
/** The container of format version 1: recognised only to be refused by name (spec §4.1.3). */
export const TAG_NESTOKEN_V1 = 0x7b2d0001;

const tags: Record<number, (d: () => unknown) => unknown> = [] as never;
tags[TAG_COSE_SIGN1] = (d) => new Tagged(TAG_COSE_SIGN1, d());
tags[TAG_NESTOKEN] = (d) => new Tagged(TAG_NESTOKEN, d());
tags[TAG_NESTOKEN_V1] = (d) => new Tagged(TAG_NESTOKEN_V1, d());

/** Envelope levels (container, layer, maps) above the claims' own nesting. */
export const ENVELOPE_DEPTH = 4;

const utf8Encoder = new TextEncoder();

interface OpenItem {
  remaining: number;
  /** For maps: where each key seen so far starts and ends in the input, to check their order. */
  readonly keys: number[] | undefined;
  index: number;
}

/**
 * Wraps cborg's strict tokenizer (which already refuses long integers and lengths and
 * indefinite items) with the rest of RFC 8949 §4.2.1 deterministic encoding, checked token by
 * token in the same pass: map keys in bytewise order and unique, numbers in their one
 * encoding (shortest float, or an integer when integral), text in valid UTF-8, and a nesting
 * bound, so a depth bomb stops early, typed, before any value is built. No second encoding is
 * needed. It runs as a pass of its own before cborg builds values (handing cborg a custom
 * tokenizer was measured 3x slower), and works on positions, not slices: it sees every token
 * of every layer on the verify path.
 */
class CanonicalScanner {
  private readonly inner: InstanceType<typeof Tokenizer>;
  private readonly open: OpenItem[] = [];
  /** A text string starts with U+FEFF, which cborg's own decoding would drop. */
  sawLeadingBom = false;
  constructor(
    private readonly data: Uint8Array,
    options: object,
    private readonly maxDepth: number,
    private readonly what: string,
    private readonly deterministic: boolean,
  ) {
    this.inner = new Tokenizer(data, options);
  }
  scan(): void {
    while (!this.inner.done()) this.next();
  }
  private next(): void {
    const start = this.inner.pos();
    const token = this.inner.next();
    const end = this.inner.pos();
    const name = token.type.name;
    const parent = this.open[this.open.length - 1];
    if (parent) {
      if (parent.keys && parent.index % 2 === 0 && this.deterministic) this.checkKey(parent.keys, name, start, end);
      parent.index++;
      parent.remaining--;
    }
    if (name === 'string') this.checkText(token.value as string, start, end);
    else if (name === 'float' && this.deterministic) this.checkFloat(token.value as number, start, end);
    const children = name === 'array' ? (token.value as number) : name === 'map' ? 2 * (token.value as number) : name === 'tag' ? 1 : 0;
    if (children > 0) {
      this.open.push({ remaining: children, keys: name === 'map' ? [] : undefined, index: 0 });
      if (this.open.length > this.maxDepth) fail('ERR_LIMIT_EXCEEDED', `${this.what}: CBOR nested deeper than ${this.maxDepth}`);
    } else {
      while (this.open.length > 0 && this.open[this.open.length - 1]!.remaining === 0) this.open.pop();
    }
  }
  /** Bytewise comparison of two ranges of the input. */
  private compare(aStart: number, aEnd: number, bStart: number, bEnd: number): number {
    const d = this.data;
    const n = Math.min(aEnd - aStart, bEnd - bStart);
    for (let i = 0; i < n; i++) if (d[aStart + i] !== d[bStart + i]) return d[aStart + i]! - d[bStart + i]!;
    return aEnd - aStart - (bEnd - bStart);
  }
  private checkKey(keys: number[], type: string, start: number, end: number): void {
    if (type !== 'uint' && type !== 'negint' && type !== 'string' && type !== 'bytes') fail('ERR_CBOR', `${this.what}: map keys are integers or strings`);
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
   * (spec §4.4.1); a leading U+FEFF is legitimate text that cborg loses, remembered here so that
   * decoding puts it back.
   */
  private checkText(value: string, start: number, end: number): void {
    const from = start + headLength(this.data[start]!);
    if (value.length === end - from) {
      let ascii = true;
      for (let i = from; i < end && ascii; i++) ascii = this.data[i]! < 0x80;
      if (ascii) return;
    }
    const bytes = this.data.subarray(from, end);
    const bom = startsWithBom(bytes);
    if (!equalBytes(utf8Encoder.encode(bom ? `\uFEFF${value}` : value), bytes)) fail('ERR_NONCANONICAL', `${this.what}: text is not valid UTF-8`);
    if (bom) this.sawLeadingBom = true;
  }
  /** A number has one encoding: the shortest float, or an integer when it is one (spec §4.4). */
  private checkFloat(value: number, start: number, end: number): void {
    if (!equalBytes(encode(value), this.data.subarray(start, end))) fail('ERR_NONCANONICAL', `${this.what}: a number is not in its shortest form`);
  }
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
 * starts with U+FEFF would not read back as written, and a CBOR layer or crate node carrying
 * it would be refused while its JSON twin verifies. Decoders use it only when such text is
 * present: every other input takes cborg's own tokenizer.
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

const STRICT = {
  strict: true,
  rejectDuplicateMapKeys: true,
  allowIndefinite: false,
  allowUndefined: false,
  allowInfinity: false,
  allowNaN: false,
  allowBigInt: false,
  useMaps: true,
  tags,
} as const;

/** RFC 8949 §4.2.1 core deterministic encoding: shortest forms, map keys in bytewise order. */
export const encodeCbor = (value: unknown): Uint8Array => encode(value);

/**
 * Strict, deterministic-only decoding (spec §4.4): anything but the one canonical encoding is
 * refused. `foreign` relaxes only what other issuers' CWTs may legitimately do (map keys in
 * any order, longer floats); shortest integer heads, definite lengths, unique keys, valid
 * UTF-8 and the depth bound still hold.
 */
export function decodeCbor(bytes: Uint8Array, what: string, maxDepth: number, foreign = false): unknown {
  try {
    const scanner = new CanonicalScanner(bytes, STRICT, maxDepth, what, !foreign);
    scanner.scan();
    return decode(bytes, scanner.sawLeadingBom ? { ...STRICT, tokenizer: new ExactTextTokenizer(bytes, STRICT) } : STRICT);
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
