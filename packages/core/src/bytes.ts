import { base64 } from '@scure/base';
import { cryptoBackend } from './crypto/backend.js';
import { fail } from './errors.js';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export const utf8 = (s: string): Uint8Array => utf8Encoder.encode(s);

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

/** Strict: no padding, no foreign letters, no stray bits, exact length when asked (spec §4.4). */
export function fromB64u(s: string, what: string, length?: number): Uint8Array {
  if (typeof s !== 'string') fail('ERR_BASE64', `${String(what)} is not text`);
  const rest = s.length % 4;
  const last = rest === 0 ? 0 : ALPHABET.indexOf(s[s.length - 1]!);
  if (typeof s !== 'string' || rest === 1 || !B64U.test(s) || (rest === 2 && last & 0x0f) || (rest === 3 && last & 0x03)) {
    fail('ERR_BASE64', `${what} is not canonical unpadded base64url`);
  }
  const out = cryptoBackend().base64urlDecode(s);
  if (length !== undefined && out.length !== length) fail('ERR_BASE64', `${what} must be ${length} bytes`);
  return out;
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
