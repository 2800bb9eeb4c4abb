import leven from 'leven';
import { NestokenError } from './errors.js';

/**
 * A test of one option's value. A plain predicate is enough; a check built by `describedCheck`
 * also says what it expected, so the error can name it.
 */
export type OptionCheck = ((value: unknown) => boolean) & { readonly expected?: string };

/** An option table: every key an entry point accepts, with the check of its value. */
export type OptionTable = Readonly<Record<string, OptionCheck>>;

const usage = (message: string): NestokenError => new NestokenError('ERR_USAGE', message);

/** A check that names what it expects (`"a boolean"`, `"one of id, anon, hybrid"`) in the error it causes. */
export function describedCheck(expected: string, test: (value: unknown) => boolean): OptionCheck {
  return Object.assign((v: unknown) => test(v), { expected });
}

/**
 * The name a misspelt one most likely meant (`audiance` → `audience`): the closest by edit
 * distance, within two edits or a third of the word's length, or one the word is a prefix of.
 * The one suggestion rule of option tables and the command line.
 */
export function closestName(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length > 64) return undefined;
  const list = [...candidates];
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.ceil(word.length / 3)) + 1;
  for (const c of list) {
    const d = leven(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best ?? (word.length >= 2 ? list.find((c) => c.startsWith(word)) : undefined);
}

const printable = (key: string): string => JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key);

/**
 * The boundary of every public function taking options (spec §2.7): a plain object, no key the
 * table does not know (a misspelt `audiance` must not silently fall back to a default; the error
 * suggests the near miss), each present value passing its check, the required ones present.
 * `undefined` counts as absent. Values are read exactly once, so a getter cannot answer one thing
 * to the check and another to the work; a getter or proxy that throws is a usage error too.
 * Returns that one reading, with `defaults` filled in where a value is absent: the one place an
 * entry point's defaults are applied.
 */
export function checkOptions<T extends object = Record<string, unknown>>(
  value: unknown,
  what: string,
  table: OptionTable,
  required: readonly string[] = [],
  defaults: Readonly<Record<string, unknown>> = {},
): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) throw usage(`${what} takes an options object`);
  // Values sit beside their keys in an array: an object filled key by key from the caller's
  // names would fall back to a slow dictionary, and verify pays this on every call.
  let keys: string[];
  const values: unknown[] = [];
  try {
    keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) values.push((value as Record<string, unknown>)[keys[i]!]);
  } catch (cause) {
    throw new NestokenError('ERR_USAGE', `${what}: the options object could not be read`, { cause });
  }
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (!Object.hasOwn(table, key)) {
      const near = closestName(key, Object.keys(table));
      throw usage(`${what}: unknown option ${printable(key)}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}`);
    }
    const check = table[key]!;
    if (values[i] !== undefined && !safely(check, values[i])) throw usage(`${what}: option ${key} must be ${check.expected ?? 'of its documented type'}`);
  }
  for (const key of required) {
    const i = keys.indexOf(key);
    if (i < 0 || values[i] === undefined) throw usage(`${what}: option ${key} is required`);
  }
  // Filled member by member: adding the caller's members to a spread copy of the defaults takes
  // V8's slow path (microseconds per call), which verify would pay on every call.
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(defaults)) out[key] = defaults[key];
  for (let i = 0; i < keys.length; i++) if (values[i] !== undefined) out[keys[i]!] = values[i];
  return out as T;
}

/** A check on hostile input must not throw on its own (a proxy can): that is a "no". */
function safely(check: OptionCheck, v: unknown): boolean {
  try {
    return check(v) === true;
  } catch {
    return false;
  }
}

/** Checks shared by the option tables of every package. */
export const checks = {
  boolean: describedCheck('a boolean', (v) => typeof v === 'boolean'),
  function: describedCheck('a function', (v) => typeof v === 'function'),
  text: describedCheck('a non-empty string of at most 2048 characters', (v) => typeof v === 'string' && v !== '' && v.length <= 2048),
  object: describedCheck('a plain object', (v) => typeof v === 'object' && v !== null && !Array.isArray(v)),
  bytes: describedCheck('a Uint8Array', (v) => v instanceof Uint8Array),
  /** A whole number in `[min, max]`. */
  whole: (min: number, max: number): OptionCheck => describedCheck(`a whole number from ${min} to ${max}`, (v) => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max),
  /** One of the given strings, compared whole: `'hybrid'` is not a list that happens to contain `'id'`. */
  oneOf: (...allowed: readonly string[]): OptionCheck => describedCheck(`one of ${allowed.join(', ')}`, (v) => typeof v === 'string' && allowed.includes(v)),
  /** An array (at most `max` items) each of which passes `item`. */
  listOf: (item: OptionCheck, max = 1024): OptionCheck =>
    describedCheck(`an array of ${item.expected ?? 'valid items'}`, (v) => Array.isArray(v) && v.length <= max && v.every((x) => item(x))),
} as const;
