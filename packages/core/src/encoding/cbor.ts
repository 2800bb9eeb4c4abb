import { decode, encode, Tagged, Tokenizer, type Token as CborToken } from 'cborg';
import { equal } from '../bytes.js';
import { fail, NestokenError } from '../errors.js';

export { Tagged };

/** COSE_Sign1 (RFC 9052) and the token container tag (spec §4.3). */
export const TAG_COSE_SIGN1 = 18;
export const TAG_NESTOKEN = 0x7b2d0001;

const tags: Record<number, (d: () => unknown) => unknown> = [] as never;
tags[TAG_COSE_SIGN1] = (d) => new Tagged(TAG_COSE_SIGN1, d());
tags[TAG_NESTOKEN] = (d) => new Tagged(TAG_NESTOKEN, d());

/** Envelope levels (container, layer, maps) above the claims' own nesting. */
export const ENVELOPE_DEPTH = 4;

/** Wraps cborg's tokenizer to count open arrays, maps and tags, so a depth bomb stops early, typed, before any value is built. */
class DepthBoundTokenizer {
  private readonly inner: InstanceType<typeof Tokenizer>;
  private readonly open: number[] = [];
  constructor(data: Uint8Array, options: object, private readonly maxDepth: number) {
    this.inner = new Tokenizer(data, options);
  }
  done(): boolean {
    return this.inner.done();
  }
  pos(): number {
    return this.inner.pos();
  }
  next(): CborToken {
    const token = this.inner.next();
    const top = this.open.length - 1;
    if (top >= 0) this.open[top]!--;
    const name = token.type.name;
    const children = name === 'array' ? token.value : name === 'map' ? 2 * token.value : name === 'tag' ? 1 : 0;
    if (children > 0) {
      this.open.push(children);
      if (this.open.length > this.maxDepth) fail('ERR_LIMIT_EXCEEDED', `CBOR nested deeper than ${this.maxDepth}`);
    } else {
      while (this.open.length > 0 && this.open[this.open.length - 1] === 0) this.open.pop();
    }
    return token;
  }
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
 * Strict decoding, then a second encoding that must give the same bytes back: together they
 * reject every non-deterministic form (long integers, unsorted keys, wide floats, indefinite
 * lengths) and anything cborg can represent but we did not write.
 *
 * `shape: 'envelope'` skips the second encoding for structures the caller then checks to hold
 * only tags, arrays, byte and text strings and empty maps: strict decoding alone already makes
 * those canonical, and envelopes are decoded on every hop of every verification.
 */
export function decodeCbor(bytes: Uint8Array, what: string, maxDepth: number, shape: 'any' | 'envelope' = 'any'): unknown {
  let value: unknown;
  try {
    value = decode(bytes, { ...STRICT, tokenizer: new DepthBoundTokenizer(bytes, STRICT, maxDepth) });
  } catch (e) {
    if (e instanceof NestokenError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    if (message.includes('repeat map key')) fail('ERR_DUPLICATE_KEY', `${what} repeats a map key`);
    if (message.includes('more bytes than necessary') || message.includes('indefinite')) {
      fail('ERR_NONCANONICAL', `${what}: ${message.replace(/^CBOR decode error: /, '')}`);
    }
    return fail('ERR_CBOR', `${what} is not valid CBOR`);
  }
  if (shape === 'envelope') return value;
  let again: Uint8Array;
  try {
    again = encode(value);
  } catch {
    return fail('ERR_CBOR', `${what} holds a value outside the data model`);
  }
  if (!equal(again, bytes)) fail('ERR_NONCANONICAL', `${what} is not in deterministic CBOR form`);
  return value;
}

export function isTagged(v: unknown, tag: number): v is Tagged {
  return v instanceof Tagged && v.tag === tag;
}
