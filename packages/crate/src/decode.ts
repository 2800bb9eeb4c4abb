import { fromCar } from './car.js';
import { fromCompact } from './compact.js';
import type { Crate } from './crate.js';
import { NestokenError } from '@nestoken/core';
import { checkBytes, resolveCrateLimits, type CrateLimits } from './limits.js';

/** Whether bytes are the compact form as text: base64url and whitespace only. A CAR never is (its header is a CBOR map). */
export function isCompactText(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    const ok = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x5f || b === 0x0a || b === 0x0d || b === 0x20 || b === 0x09;
    if (!ok) return false;
  }
  return true;
}

/** A crate in either transport form: compact text (string or its bytes) or CAR bytes. */
export function decodeCrate(input: string | Uint8Array, limits?: Partial<CrateLimits>): Crate {
  if (typeof input === 'string') return fromCompact(input, limits);
  if (!(input instanceof Uint8Array)) throw new NestokenError('ERR_USAGE', 'a crate is compact text or CAR bytes');
  // Bounded before the bytes are scanned: no transport form is longer than the compact text's limit.
  const l = resolveCrateLimits(limits);
  checkBytes(input.length, Math.max(l.maxTotalBytes, Math.ceil((l.maxTotalBytes * 4) / 3)), 'the crate');
  return isCompactText(input) ? fromCompact(new TextDecoder().decode(input), l) : fromCar(input, l);
}
