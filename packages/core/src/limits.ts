import { fail } from './errors.js';
import { checkOptions, describedCheck } from './options.js';

const POSITIVE = describedCheck('a positive safe integer', (v) => Number.isSafeInteger(v) && (v as number) > 0);

/**
 * Times are whole seconds since the epoch (spec §3.3, §7.6). A value above 10^11 (the year 5138)
 * is almost certainly milliseconds (`Date.now()`), which would make a lifetime last for
 * millennia: refused wherever a time enters, as a claim or as an option.
 */
export const MAX_EPOCH_SECONDS = 100_000_000_000;

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

/** The bounds every decoder and the verifier apply unless options lower or raise them (spec §7.1). */
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

/** Tables `resolveBounds` made: passed on to another function they need no second check. */
const resolved = new WeakSet<object>();

/**
 * Caller-supplied bounds over defaults, each a positive whole number: the one rule for every
 * table of limits in the project (core, crates, HTTP headers).
 */
export function resolveBounds<T extends object>(defaults: T, partial: Partial<T> | undefined, what: string): T {
  if (typeof defaults !== 'object' || defaults === null) fail('ERR_USAGE', 'resolveBounds takes a table of defaults');
  if (partial === undefined || partial === defaults || resolved.has(partial)) return (partial ?? defaults) as T;
  const given = checkOptions<Partial<T>>(partial, `${what}s`, Object.fromEntries(Object.keys(defaults).map((k) => [k, POSITIVE])));
  const merged = { ...defaults, ...given };
  for (const [k, v] of Object.entries(merged)) {
    if (!Number.isSafeInteger(v) || (v as number) <= 0) fail('ERR_USAGE', `${what} ${k} must be a positive integer`);
  }
  const out = Object.freeze(merged);
  resolved.add(out);
  return out;
}


export const resolveLimits = (partial?: Partial<Limits>): Limits => resolveBounds(DEFAULT_LIMITS, partial, 'limit');

export function checkSize(length: number, max: number, what: string): void {
  if (length > max) fail('ERR_INPUT_TOO_LARGE', `${what} is ${length} bytes, above the limit of ${max}`);
}
