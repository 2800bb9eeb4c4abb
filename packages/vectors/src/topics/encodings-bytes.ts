import type { ErrorCode, Token } from '@nestoken/core';
import { fromUtf8, hex, utf8 } from '../bytes.js';
import type { GroupBuilder } from '../builder.js';
import { NOW } from '../cast.js';
import { cborForm, jwtForm } from '../wire/container.js';

/**
 * Byte-level damage lands in different places and so meets different checks first. The spec
 * fixes the order of the checks (§4.1.4, §7), so each case still has one right code; the
 * generator predicts only that it is one of these, and pins the reference verifier's answer.
 */
const DAMAGE: readonly ErrorCode[] = [
  'ERR_CHAIN_TRUNCATED',
  'ERR_MALFORMED',
  'ERR_BASE64',
  'ERR_JSON',
  'ERR_CBOR',
  'ERR_NONCANONICAL',
  'ERR_DUPLICATE_KEY',
  'ERR_HEADER_INVALID',
  'ERR_CRIT_UNSUPPORTED',
  'ERR_ALG_NOT_ALLOWED',
  'ERR_CLAIMS_INVALID',
  'ERR_LIMIT_EXCEEDED',
  'ERR_CHAIN_LINK',
  'ERR_FORMAT_CHANGED',
  'ERR_MODE_MIXED',
  'ERR_KEY_BINDING',
  'ERR_KEY_UNTRUSTED',
  'ERR_ISSUER_MISMATCH',
  'ERR_SIGNATURE_INVALID',
  'ERR_POINT_INVALID',
  'ERR_SCALAR_INVALID',
  'ERR_EXPIRED',
  'ERR_NOT_YET_VALID',
  'ERR_LIFETIME_WIDENED',
  'ERR_AUDIENCE_MISMATCH',
];

/** Every proper prefix of the token, in the form given. */
export function addTruncations(g: GroupBuilder, token: Token, form: 'jwt' | 'cbor', what: string): void {
  const whole = form === 'jwt' ? utf8(jwtForm(token)) : cborForm(token);
  for (let k = 0; k < whole.length; k++) {
    const cut = whole.subarray(0, k);
    g.add({
      comment: `${what}, ${form === 'jwt' ? 'JWT' : 'CBOR'} form cut to ${k} of ${whole.length} ${form === 'jwt' ? 'characters' : 'bytes'}`,
      flags: ['ByteTruncation'],
      now: NOW,
      ...(form === 'jwt' ? { jwt: fromUtf8(cut) } : { cborHex: hex(cut) }),
      expect: { oneOf: DAMAGE },
    });
  }
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A base64url character replaced by the one whose 6-bit value differs in the lowest bit: still base64url, other bits. */
const flipChar = (c: string): string => (B64.includes(c) ? B64[B64.indexOf(c) ^ 1]! : c === '.' ? '~' : c === '~' ? '.' : c);

export interface Region {
  readonly flag: 'FlippedHeader' | 'FlippedPayload' | 'FlippedSignature' | 'FlippedSeparator' | 'FlippedContainer';
  readonly what: string;
  readonly positions: readonly number[];
}

/** First, middle and last position of a span [start, end). */
export const ends = (start: number, end: number): number[] => [...new Set([start, start + Math.floor((end - start) / 2), end - 1])];

export function addTextFlips(g: GroupBuilder, text: string, regions: readonly Region[], what: string, audience?: string): void {
  for (const r of regions) {
    for (const at of r.positions) {
      const flipped = text.slice(0, at) + flipChar(text[at]!) + text.slice(at + 1);
      g.add({ comment: `${what}: ${r.what}, character ${at} changed`, flags: [r.flag], now: NOW, jwt: flipped, ...(audience ? { options: { audience } } : {}), expect: { oneOf: DAMAGE } });
    }
  }
}

export function addByteFlips(g: GroupBuilder, bytes: Uint8Array, regions: readonly Region[], what: string, audience?: string): void {
  for (const r of regions) {
    for (const at of r.positions) {
      const flipped = Uint8Array.from(bytes);
      flipped[at] = flipped[at]! ^ 0x01;
      g.add({ comment: `${what}: ${r.what}, byte ${at} xor 0x01`, flags: [r.flag], now: NOW, cborHex: hex(flipped), ...(audience ? { options: { audience } } : {}), expect: { oneOf: DAMAGE } });
    }
  }
}

export function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  const i = Buffer.from(hay).indexOf(Buffer.from(needle), from);
  if (i < 0) throw new RangeError('sub-sequence not found');
  return i;
}
