import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { base64urlnopad, hex as hexCodec } from '@scure/base';

/**
 * Byte helpers. The generator runs in Node, but reading and re-verifying vectors (outcome,
 * crate-outcome) also runs in a browser page (core's Chromium test), so nothing here is Node-only.
 */
export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
export const fromUtf8 = (b: Uint8Array): string => new TextDecoder().decode(b);
export const hex = (b: Uint8Array): string => hexCodec.encode(b);
export const b64u = (b: Uint8Array): string => base64urlnopad.encode(b);

export function fromHex(s: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(s)) throw new RangeError('hex strings in vectors are lower case and of even length');
  return hexCodec.decode(s);
}

export const fromB64u = (s: string): Uint8Array => base64urlnopad.decode(s);
export const sha256 = (b: Uint8Array | string): Uint8Array => nobleSha256(typeof b === 'string' ? utf8(b) : b);

export function concat(...parts: ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Little-endian 32 bytes, as ristretto255 and Ed25519 encode scalars. */
export function scalarBytes(s: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, s >>= 8n) out[i] = Number(s & 0xffn);
  return out;
}

export function scalarOf(b: Uint8Array): bigint {
  let x = 0n;
  for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]!);
  return x;
}
