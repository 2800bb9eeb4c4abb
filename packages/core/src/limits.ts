import { fail } from './errors.js';

/** Bounds applied before any work is done on untrusted input (spec §7.1). */
export interface Limits {
  /** Whole token, either form, in bytes. */
  readonly maxTokenBytes: number;
  /** One encoded layer in bytes. */
  readonly maxLayerBytes: number;
  /** Layers in one chain. */
  readonly maxLayers: number;
  /** Nesting depth of claim values (objects and arrays). */
  readonly maxClaimDepth: number;
  /** Total number of object members and array items across one layer's claims. */
  readonly maxClaimItems: number;
  /** Length of any single string in claims or headers, in UTF-16 code units. */
  readonly maxStringLength: number;
  /** Certificates in one layer's X.509-SVID chain (`x5c` / `x5chain`), leaf included. */
  readonly maxCertificates: number;
  /** One DER certificate in bytes. */
  readonly maxCertificateBytes: number;
  /** All DER certificates of one chain together, in bytes. */
  readonly maxCertificateChainBytes: number;
}

export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxTokenBytes: 256 * 1024,
  maxLayerBytes: 16 * 1024,
  maxLayers: 128,
  maxClaimDepth: 16,
  maxClaimItems: 1024,
  maxStringLength: 8192,
  maxCertificates: 4,
  maxCertificateBytes: 4096,
  maxCertificateChainBytes: 8192,
});

/**
 * Caller-supplied bounds over defaults, each a positive whole number: the one rule for every
 * table of limits in the project (core, crates, HTTP headers).
 */
export function resolveBounds<T extends object>(defaults: T, partial: Partial<T> | undefined, what: string): T {
  if (!partial) return defaults;
  const merged = { ...defaults, ...partial };
  for (const [k, v] of Object.entries(merged)) {
    if (!Number.isSafeInteger(v) || (v as number) <= 0) fail('ERR_USAGE', `${what} ${k} must be a positive integer`);
  }
  return Object.freeze(merged);
}

export const resolveLimits = (partial?: Partial<Limits>): Limits => resolveBounds(DEFAULT_LIMITS, partial, 'limit');

export function checkSize(length: number, max: number, what: string): void {
  if (length > max) fail('ERR_INPUT_TOO_LARGE', `${what} is ${length} bytes, above the limit of ${max}`);
}
