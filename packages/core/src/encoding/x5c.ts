import { b64Std, fromB64Std } from '../bytes.js';
import { fail } from '../errors.js';
import { checkSize, type Limits } from '../limits.js';

/** Base64 text of `n` bytes is 4 * ceil(n / 3) characters: the length to refuse before decoding anything. */
const base64Length = (n: number): number => 4 * Math.ceil(n / 3);

/**
 * A layer's certificate chain (`x5c`, leaf first, each DER certificate as padded base64 as
 * RFC 7515 §4.1.6 has it), bounded in count, per-certificate size and total size before a
 * byte of it is decoded or parsed (spec §4.2, §7.1).
 */
export function checkX5c(value: unknown, limits: Limits): readonly string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((c) => typeof c === 'string' && c !== '')) {
    fail('ERR_HEADER_INVALID', 'x5c is a non-empty array of base64 certificates');
  }
  if (value.length > limits.maxCertificates) fail('ERR_LIMIT_EXCEEDED', `x5c holds ${value.length} certificates, above the limit of ${limits.maxCertificates}`);
  let total = 0;
  for (const text of value as string[]) {
    checkSize(text.length, base64Length(limits.maxCertificateBytes), 'an x5c certificate (base64)');
    total += text.length;
  }
  checkSize(total, base64Length(limits.maxCertificateChainBytes), 'the x5c chain (base64)');
  const ders = decodeX5c(value as string[]);
  for (const der of ders) checkSize(der.length, limits.maxCertificateBytes, 'an x5c certificate');
  checkSize(ders.reduce((n, d) => n + d.length, 0), limits.maxCertificateChainBytes, 'the x5c chain');
  return Object.freeze([...(value as string[])]);
}

export const decodeX5c = (x5c: readonly string[]): Uint8Array[] => x5c.map((c, i) => fromB64Std(c, `x5c[${i}]`));

export const encodeX5c = (ders: readonly Uint8Array[]): string[] => ders.map(b64Std);
