import { fromUtf8 } from '../bytes.js';
import { parseJsonObject } from '../encoding/json.js';
import { fail, NestokenError } from '../errors.js';
import { checkSize, DEFAULT_LIMITS, type Limits } from '../limits.js';

/** A bundle file is read whole: bounded before it is parsed (spec §5.1). */
export const MAX_TRUST_FILE_BYTES = 1024 * 1024;
export const MAX_TRUST_KEYS = 1000;
const TRUST_FILE_LIMITS: Limits = { ...DEFAULT_LIMITS, maxClaimDepth: 8, maxClaimItems: 100_000, maxStringLength: 64 * 1024 };

/** A JWK Set given as text, bytes or a parsed object: its members and its `keys`, each an object. */
export function readKeySet(input: unknown, what: string): { doc: Record<string, unknown>; keys: Record<string, unknown>[] } {
  let doc: unknown = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    // A string's length in UTF-16 units bounds its UTF-8 size within a factor of three; the parse is bounded either way.
    checkSize(input.length, MAX_TRUST_FILE_BYTES, what);
    try {
      doc = parseJsonObject(typeof input === 'string' ? input : fromUtf8(input), what, TRUST_FILE_LIMITS);
    } catch (e) {
      if (e instanceof NestokenError && e.code !== 'ERR_DUPLICATE_KEY' && e.code !== 'ERR_LIMIT_EXCEEDED') fail('ERR_TRUST_BUNDLE', `${what} is not a JSON object`);
      throw e;
    }
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail('ERR_TRUST_BUNDLE', `${what} must be a JWK Set: {"keys": [...]}`);
  const keys = (doc as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) fail('ERR_TRUST_BUNDLE', `${what} must be a JWK Set: {"keys": [...]}`);
  if (keys.length > MAX_TRUST_KEYS) fail('ERR_LIMIT_EXCEEDED', `${what} lists more than ${MAX_TRUST_KEYS} keys`);
  keys.forEach((k, i) => {
    if (typeof k !== 'object' || k === null || Array.isArray(k)) fail('ERR_TRUST_BUNDLE', `${what}: key ${i} is not an object`);
  });
  return { doc: doc as Record<string, unknown>, keys: keys as Record<string, unknown>[] };
}

/** Runs one key's checks and names the key in the failure; every failure of a usable key fails the whole file. */
export function forKey<T>(what: string, index: number, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof NestokenError && e.code !== 'ERR_TRUST_BUNDLE' && e.code !== 'ERR_TRUST_DOMAIN') fail('ERR_TRUST_BUNDLE', `${what}: key ${index}: ${e.message}`);
    throw e;
  }
}
