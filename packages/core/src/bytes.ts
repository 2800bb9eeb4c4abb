import { base64urlnopad } from '@scure/base';
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

export const b64u = (b: Uint8Array): string => base64urlnopad.encode(b);

/** Strict: no padding, no foreign letters, no stray bits, exact length when asked. */
export function fromB64u(s: string, what: string, length?: number): Uint8Array {
  let out: Uint8Array;
  try {
    out = base64urlnopad.decode(s);
  } catch {
    return fail('ERR_BASE64', `${what} is not canonical unpadded base64url`);
  }
  if (length !== undefined && out.length !== length) fail('ERR_BASE64', `${what} must be ${length} bytes`);
  return out;
}

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
