import { NestokenError } from '@nestoken/core';
import { CID } from 'multiformats/cid';

/** What `meta` and `claims` may hold: the IPLD data model without floats and without links. */
export type PlainData = null | boolean | number | string | Uint8Array | readonly PlainData[] | PlainMap;
/** A map of plain data (strings, numbers, booleans, bytes, lists and maps) as crate nodes hold it. */
export interface PlainMap {
  readonly [key: string]: PlainData;
}

/** A lone surrogate has no UTF-8 encoding: written as U+FFFD, the data would not read back as built. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const invalid = (message: string): never => {
  throw new NestokenError('ERR_CRATE_NODE_INVALID', message);
};

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks a value iteratively (no recursion, so hostile nesting cannot exhaust the stack) and
 * returns it unchanged. Integers must be safe; anything a second implementation could read
 * differently (floats, big integers, links, undefined) is refused (spec §10.2.5).
 */
export function checkPlainMap(value: unknown, maxDepth: number, what: string): PlainMap {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array || !isPlainObject(value)) {
    invalid(`${what} must be a map`);
  }
  const stack: Array<{ v: unknown; depth: number }> = [{ v: value, depth: 1 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    switch (typeof v) {
      case 'string':
        if (LONE_SURROGATE.test(v)) invalid(`${what} holds a lone surrogate, which UTF-8 cannot encode`);
        continue;
      case 'boolean':
        continue;
      case 'number':
        if (!Number.isSafeInteger(v)) invalid(`${what} holds ${v}: only safe integers, no floats`);
        continue;
      case 'object':
        break;
      default:
        invalid(`${what} holds a ${typeof v}`);
    }
    if (v === null || v instanceof Uint8Array) continue;
    if (CID.asCID(v)) invalid(`${what} may not hold links`);
    if (depth > maxDepth) throw new NestokenError('ERR_LIMIT_EXCEEDED', `${what} nests deeper than ${maxDepth}`);
    if (!Array.isArray(v) && !isPlainObject(v as object)) invalid(`${what} holds a non-plain object`);
    if (!Array.isArray(v)) for (const k of Object.keys(v as object)) if (LONE_SURROGATE.test(k)) invalid(`${what} has a key with a lone surrogate`);
    const children = Array.isArray(v) ? v : Object.values(v as object);
    for (const c of children) stack.push({ v: c, depth: depth + 1 });
  }
  return value as PlainMap;
}
