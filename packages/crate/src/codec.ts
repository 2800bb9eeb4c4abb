import { decodeCborExactText, NestokenError } from '@nestoken/core';
import * as dagCbor from '@ipld/dag-cbor';
import { encodeInto } from 'cborg';
import { nodeCidOf } from './cid.js';
import { DEFAULT_CRATE_LIMITS } from './limits.js';

/** The CBOR tag of an IPLD link. */
const CID_TAG = 42;

/** Deterministic DAG-CBOR: map keys sorted length first, shortest integer forms, no indefinite lengths. */
export function encodeDagCbor(value: unknown): Uint8Array {
  try {
    return dagCbor.encode(value);
  } catch (e) {
    throw new NestokenError('ERR_CRATE_NODE_INVALID', `not encodable as DAG-CBOR: ${(e as Error).message}`, { cause: e });
  }
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * dag-cbor's strict options, except that `undefined` is refused as outside the data model
 * (dag-cbor would turn it into `null`, a second value for the same bytes).
 */
const STRICT = { ...dagCbor.decodeOptions, coerceUndefinedToNull: false, allowUndefined: false, tags: linkTags() } as const;

/**
 * dag-cbor's tags, where a link that names a crate node (a leading 0x00, then a node CID's 36
 * bytes) is made by `nodeCidOf`, the same CID in a cheaper form; any other goes to dag-cbor's
 * reader as before, which reads or refuses it.
 */
function linkTags(): Record<number, unknown> {
  const tags: Record<number, unknown> = { ...dagCbor.decodeOptions.tags };
  const dagCborLink = tags[CID_TAG] as (decode: () => unknown) => unknown;
  tags[CID_TAG] = (decode: () => unknown) => {
    let bytes: unknown;
    const again = () => bytes;
    bytes = decode();
    return (bytes instanceof Uint8Array && bytes[0] === 0 && nodeCidOf(bytes.subarray(1))) || dagCborLink(again);
  };
  return tags;
}

/**
 * Which code a decoder refusal gets (spec §10.3.1): an encoding choice that DAG-CBOR forbids
 * (a longer integer or length head, an indefinite length) is `ERR_NONCANONICAL`; a repeated map
 * key `ERR_DUPLICATE_KEY`; anything else (not well-formed, trailing bytes, a tag other than 42,
 * a bad link, `undefined`, simple values, NaN, infinities, non-text map keys) `ERR_CBOR`.
 */
function refusalCode(bytes: Uint8Array, message: string): 'ERR_NONCANONICAL' | 'ERR_DUPLICATE_KEY' | 'ERR_CBOR' {
  if (message.includes('more bytes than necessary')) return 'ERR_NONCANONICAL';
  if (message.includes('repeat map key')) return 'ERR_DUPLICATE_KEY';
  // An indefinite-length item starts with a head whose additional information is 31; a lone break (0xff) is no such item.
  if (message.includes('indefinite length') && bytes.some((b) => b !== 0xff && (b & 0x1f) === 0x1f && b >= 0x40 && b < 0xc0)) return 'ERR_NONCANONICAL';
  return 'ERR_CBOR';
}

/**
 * Where `decodeCanonical` encodes a value again to compare it with the bytes it came from:
 * reused up to the default node size, so checking a node allocates no second copy of it.
 */
let scratch = new Uint8Array(0);
const SCRATCH_MAX = DEFAULT_CRATE_LIMITS.maxNodeBytes;

/**
 * DAG-CBOR encoding of `value`, written into a buffer exactly `length` bytes long (the scratch
 * buffer, or one of its own for a larger value such as a whole compact form): `undefined` when the
 * encoding does not fit, since then it is not `length` bytes long either.
 */
function encodeWithin(value: unknown, length: number): Uint8Array | undefined {
  if (length <= SCRATCH_MAX && scratch.length < length) scratch = new Uint8Array(Math.min(SCRATCH_MAX, Math.max(length, 2 * scratch.length, 1024)));
  const into = length <= SCRATCH_MAX ? scratch.subarray(0, length) : new Uint8Array(length);
  try {
    return into.subarray(0, encodeInto(value, into, dagCbor.encodeOptions).written);
  } catch (e) {
    if (String((e as Error)?.message).includes('destination buffer is too small')) return undefined;
    throw e;
  }
}

/**
 * Decodes and insists that encoding the result gives the very same bytes: two encodings of
 * one value would be two CIDs for one node (spec §10.3.1). Any decoder failure, including
 * deep nesting that exhausts the stack, becomes a typed error.
 */
export function decodeCanonical(bytes: Uint8Array, what: string): unknown {
  let value: unknown;
  try {
    // Text read exactly (core's reader): cborg alone drops a leading U+FEFF, and the node would not re-encode.
    value = decodeCborExactText(bytes, STRICT);
  } catch (e) {
    const message = String((e as Error)?.message);
    throw new NestokenError(refusalCode(bytes, message), `${what} is not strict DAG-CBOR: ${message}`, { cause: e });
  }
  let again: Uint8Array | undefined;
  try {
    again = encodeWithin(value, bytes.length);
  } catch (e) {
    throw new NestokenError('ERR_NONCANONICAL', `${what} does not re-encode: ${(e as Error).message}`, { cause: e });
  }
  if (again === undefined || !sameBytes(again, bytes)) throw new NestokenError('ERR_NONCANONICAL', `${what} is not in canonical DAG-CBOR form`);
  return value;
}
