import { base64 } from '@scure/base';
import { cryptoBackend } from './crypto/backend.js';
import { fail } from './errors.js';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export const utf8 = (s: string): Uint8Array => utf8Encoder.encode(s);

/** Bytes of one arena block; a request above a quarter of it gets an array of its own. */
const ARENA_BLOCK = 8192;

/**
 * Byte arrays for one token, carved from shared blocks. A verifier builds a few arrays of some
 * hundred bytes for every layer it reads (its signing input, its external AAD), and an
 * ArrayBuffer of its own for each costs more than filling it: memory outside the heap, then the
 * collector's bookkeeping. One arena serves one token, so the `buffer` behind a layer's arrays
 * holds that token's bytes and no other caller's.
 */
export class ByteArena {
  #block = new ArrayBuffer(0);
  #used = 0;

  /** `length` bytes of this arena, zeroed (as a new array is); a function, to be passed as an allocator. */
  readonly take = (length: number): Uint8Array => {
    if (!this.#fits(length)) return new Uint8Array(length);
    const out = new Uint8Array(this.#block, this.#used, length);
    this.#used += length;
    return out;
  };

  /** Whether `length` bytes can come from a block, starting a new one when this one is too full. */
  #fits(length: number): boolean {
    if (length > ARENA_BLOCK / 4) return false;
    if (length > this.#block.byteLength - this.#used) {
      this.#block = new ArrayBuffer(ARENA_BLOCK);
      this.#used = 0;
    }
    return true;
  }
}

export function fromUtf8(b: Uint8Array): string {
  try {
    return utf8Decoder.decode(b);
  } catch {
    return fail('ERR_MALFORMED', 'text is not valid UTF-8');
  }
}

/** Unpadded base64url text of the bytes. */
export const b64u = (b: Uint8Array): string => cryptoBackend().base64urlEncode(b);

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64U = /^[A-Za-z0-9_-]*$/;

/** Unpadded base64url text of exactly `length` bytes has this many characters. */
export const b64uLength = (length: number): number => Math.ceil((length * 4) / 3);

/** The alphabet as character codes, and each code's value (checked text has no other). */
const ALPHABET_CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const VALUE_OF = new Uint8Array(128);
ALPHABET_CODES.forEach((code, value) => (VALUE_OF[code] = value));

/** The six bits the base64url character at `i` of checked text stands for. */
export const b64uValue = (text: string, i: number): number => VALUE_OF[text.charCodeAt(i) & 0x7f]!;

/**
 * Unpadded base64url of `src[0, n)` written as ASCII into `out` from `at`; returns where it ends.
 * For the verify path, which builds a signing input per layer in place: the backend's encoder
 * would make a string, and writing it into place a second copy.
 */
export function writeB64u(src: Uint8Array, n: number, out: Uint8Array, at: number): number {
  const a = ALPHABET_CODES;
  let j = at;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (src[i]! << 16) | (src[i + 1]! << 8) | src[i + 2]!;
    out[j++] = a[v >>> 18]!;
    out[j++] = a[(v >>> 12) & 63]!;
    out[j++] = a[(v >>> 6) & 63]!;
    out[j++] = a[v & 63]!;
  }
  if (n - i === 1) {
    out[j++] = a[src[i]! >>> 2]!;
    out[j++] = a[(src[i]! & 3) << 4]!;
  } else if (n - i === 2) {
    const v = (src[i]! << 8) | src[i + 1]!;
    out[j++] = a[v >>> 10]!;
    out[j++] = a[(v >>> 4) & 63]!;
    out[j++] = a[(v & 15) << 2]!;
  }
  return j;
}

/**
 * The bytes of checked base64url `text` (see `checkB64u`) written into `out` from `at`: the
 * verify path's digests decoded into place, where the backend's decoder would make an array each.
 */
export function readB64u(text: string, out: Uint8Array, at: number): void {
  const n = text.length;
  let j = at;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = (b64uValue(text, i) << 18) | (b64uValue(text, i + 1) << 12) | (b64uValue(text, i + 2) << 6) | b64uValue(text, i + 3);
    out[j++] = v >>> 16;
    out[j++] = (v >>> 8) & 0xff;
    out[j++] = v & 0xff;
  }
  if (n - i === 2) {
    out[j] = (b64uValue(text, i) << 2) | (b64uValue(text, i + 1) >>> 4);
  } else if (n - i === 3) {
    const v = (b64uValue(text, i) << 12) | (b64uValue(text, i + 1) << 6) | b64uValue(text, i + 2);
    out[j++] = v >>> 10;
    out[j] = (v >>> 2) & 0xff;
  }
}

/**
 * Throws `ERR_BASE64` unless `s` is canonical unpadded base64url (no padding, no foreign
 * letters, no stray bits) and, when asked, of exactly `length` bytes (spec §4.4). Decodes
 * nothing: for the digests and thumbprints a layer carries as text, that only need checking.
 */
export function checkB64u(s: string, what: string, length?: number): void {
  if (typeof s !== 'string') fail('ERR_BASE64', `${String(what)} is not text`);
  const rest = s.length % 4;
  const last = rest === 0 ? 0 : ALPHABET.indexOf(s[s.length - 1]!);
  if (rest === 1 || !B64U.test(s) || (rest === 2 && last & 0x0f) || (rest === 3 && last & 0x03)) {
    fail('ERR_BASE64', `${what} is not canonical unpadded base64url`);
  }
  if (length !== undefined && s.length !== b64uLength(length)) fail('ERR_BASE64', `${what} must be ${length} bytes`);
}

/** Strict: no padding, no foreign letters, no stray bits, exact length when asked (spec §4.4). */
export function fromB64u(s: string, what: string, length?: number): Uint8Array {
  checkB64u(s, what, length);
  return cryptoBackend().base64urlDecode(s);
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The UTF-8 text (fatal, as `fromUtf8`) that `s`, already checked by `checkB64u`, encodes: a
 * JWS header or payload. Where the backend decodes to a binary string, ASCII text (every JWS
 * part nestoken writes, unless a claim holds a wider character) is that string as it is.
 */
export function textOfB64u(s: string): string {
  const backend = cryptoBackend();
  const binary = backend.base64urlDecodeBinary?.(s);
  if (binary === undefined) return fromUtf8(backend.base64urlDecode(s));
  return NON_ASCII.test(binary) ? fromUtf8(Uint8Array.from(binary, (c) => c.charCodeAt(0))) : binary;
}

/** Padded standard base64 (RFC 4648 §4), as JOSE's `x5c` uses it; canonical only: one text per byte string. */
export function fromB64Std(s: string, what: string): Uint8Array {
  let out: Uint8Array | undefined;
  try {
    out = base64.decode(s);
  } catch {
    out = undefined;
  }
  if (out === undefined || base64.encode(out) !== s) fail('ERR_BASE64', `${what} is not canonical padded base64`);
  return out;
}

export const b64Std = (b: Uint8Array): string => base64.encode(b);

/** The bytes of all parts, one after the other. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

export const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export function isBytes(x: unknown): x is Uint8Array {
  return x instanceof Uint8Array;
}
