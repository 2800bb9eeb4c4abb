import { utf8 } from '../bytes.js';
import { fail } from '../errors.js';
import type { Limits } from '../limits.js';

/** A value of the I-JSON claim model (spec §4.2). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * The claim data model is I-JSON (RFC 7493) narrowed so that JSON and CBOR map onto each
 * other one to one: finite numbers, safe integers, no -0, well-formed strings (spec §4.2).
 * Walks iteratively so hostile depth cannot exhaust the stack.
 *
 * One input may break several rules; the code must not depend on the order of the walk, which
 * differs between languages (an object's member order is not the text's in JavaScript). So a
 * bound exceeded anywhere decides (`ERR_LIMIT_EXCEEDED`, and the walk stops there, bounded);
 * a value outside the model is remembered and reported only once the whole value is within
 * the bounds (spec §3.3).
 */
export function checkJsonValue(root: unknown, limits: Limits, what: string): asserts root is JsonValue {
  walkJsonValue(root, limits, what);
}

/**
 * The walk's stacks, kept between walks: every JSON payload a verifier reads is walked, and new
 * arrays grown value by value were a tenth of what reading a layer allocates. A walk that
 * starts while another is under way (a getter on a caller's object can call back in) takes
 * arrays of its own.
 */
const shared = { stack: [] as unknown[], depths: [] as number[], busy: false };

/**
 * `checkJsonValue`'s walk. Returns whether every object's members are in code-unit order (the
 * order canonical JSON writes), a by-product that spares the canonical check a second walk.
 */
function walkJsonValue(root: unknown, limits: Limits, what: string): boolean {
  if (shared.busy) return walkWith([], [], root, limits, what);
  shared.busy = true;
  try {
    return walkWith(shared.stack, shared.depths, root, limits, what);
  } finally {
    shared.busy = false;
  }
}

/**
 * The walk over `stack` and `depths` (scratch, from index 0), which it leaves holding no value,
 * failed half way or not. No closures: each would be an allocation per payload.
 */
function walkWith(stack: unknown[], depths: number[], root: unknown, limits: Limits, what: string): boolean {
  let sorted = true;
  // Two parallel stacks, not one of pairs: no array per value on the verify path.
  let top = 0;
  let used = 1;
  stack[0] = root;
  depths[0] = 0;
  let items = 0;
  let outsideModel: string | undefined;
  try {
    while (top >= 0) {
      const v = stack[top];
      const depth = depths[top--]!;
      if (v === null || typeof v === 'boolean') continue;
      if (typeof v === 'number') {
        if (!Number.isFinite(v) || Object.is(v, -0)) outsideModel ??= 'numbers must be finite and not -0';
        else if (Number.isInteger(v) && !Number.isSafeInteger(v)) outsideModel ??= 'integer beyond 2^53';
        continue;
      }
      if (typeof v === 'string') {
        // Always checked: a bound exceeded anywhere decides, even after a value outside the model.
        const why = checkString(v, limits, what);
        if (why !== undefined) outsideModel ??= why;
        continue;
      }
      if (depth >= limits.maxClaimDepth) fail('ERR_LIMIT_EXCEEDED', `${what}: nested deeper than ${limits.maxClaimDepth}`);
      if (Array.isArray(v)) {
        items += v.length;
        if (items > limits.maxClaimItems) fail('ERR_LIMIT_EXCEEDED', `${what}: more than ${limits.maxClaimItems} items`);
        for (const x of v) {
          stack[++top] = x;
          depths[top] = depth + 1;
        }
        if (top >= used) used = top + 1;
        continue;
      }
      if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
        const keys = Object.keys(v);
        items += keys.length;
        if (items > limits.maxClaimItems) fail('ERR_LIMIT_EXCEEDED', `${what}: more than ${limits.maxClaimItems} items`);
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i]!;
          const why = checkString(k, limits, what);
          if (why !== undefined) outsideModel ??= why;
          if (i > 0 && !(keys[i - 1]! < k)) sorted = false;
          stack[++top] = (v as Record<string, unknown>)[k];
          depths[top] = depth + 1;
        }
        if (top >= used) used = top + 1;
        continue;
      }
      outsideModel ??= 'not a JSON value';
    }
  } finally {
    // The stack keeps its length (a shorter length would free its store), not the values.
    stack.fill(undefined, 0, used);
  }
  if (outsideModel !== undefined) fail('ERR_CLAIMS_INVALID', `${what}: ${outsideModel}`);
  return sorted;
}

/** A string's bound is exceeded (thrown), or the reason it is outside the model, or nothing. */
function checkString(s: string, limits: Limits, what: string): string | undefined {
  if (s.length > limits.maxStringLength) fail('ERR_LIMIT_EXCEEDED', `${what}: string longer than ${limits.maxStringLength}`);
  return s.isWellFormed() ? undefined : 'string has a lone surrogate';
}

/** RFC 8785-style canonical JSON: members sorted by UTF-16 code units, no white space. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const o = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(o).sort()) {
    if (o[k] !== undefined) parts.push(`${JSON.stringify(k)}:${canonicalJson(o[k])}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * Parses a JSON object and rejects anything that is not byte-for-byte its canonical form. The
 * data model and its bounds are checked first, so the recursive canonical checks below never
 * see more depth than the limits allow.
 */
export function parseCanonicalJsonObject(text: string, what: string, limits: Limits): Record<string, unknown> {
  const value = jsonObjectOf(text, what);
  const sorted = walkJsonValue(value, limits, what);
  // The native serializer settles the common case (members in order, as the walk saw them); the exact rule decides the rest.
  if (!(sorted && JSON.stringify(value) === text) && canonicalJson(value) !== text) {
    if (hasDuplicateKey(text)) fail('ERR_DUPLICATE_KEY', `${what} repeats a member name`);
    fail('ERR_NONCANONICAL', `${what} is not in canonical JSON form`);
  }
  return value;
}

/**
 * JSON written by others (identity documents, bundle files): any white space and member order,
 * but one value per member name and the bounds of the data model (spec §4.4, §5.1).
 */
export function parseJsonObject(text: string, what: string, limits: Limits): Record<string, unknown> {
  const value = jsonObjectOf(text, what);
  if (hasDuplicateKey(text)) fail('ERR_DUPLICATE_KEY', `${what} repeats a member name`);
  checkJsonValue(value, limits, what);
  return value;
}

/** `text` as one JSON object (`ERR_JSON` otherwise), before any rule of the data model. */
function jsonObjectOf(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('ERR_JSON', `${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('ERR_JSON', `${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

export const encodeJsonObject = (value: unknown): Uint8Array => utf8(canonicalJson(value));

/**
 * Only runs on text JSON.parse already accepted (it assumes well-formed JSON), to name the
 * failure precisely, and to refuse foreign JSON (a Txn-Token) that two parsers would read
 * differently: walks the
 * structure and remembers the member names seen in each open object.
 */
export function hasDuplicateKey(text: string): boolean {
  const open: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = open[open.length - 1];
      if (expectKey && top) {
        const name = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.has(name)) return true;
        top.add(name);
      }
      expectKey = false;
      i = j;
    } else if (ch === '{') {
      open.push(new Set());
      expectKey = true;
    } else if (ch === '[') {
      open.push(null);
    } else if (ch === '}' || ch === ']') {
      open.pop();
    } else if (ch === ',') {
      expectKey = open[open.length - 1] instanceof Set;
    }
  }
  return false;
}
