import { decodeCborExactText, NestokenError } from '@nestoken/core';
import * as dagCbor from '@ipld/dag-cbor';

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
const STRICT = { ...dagCbor.decodeOptions, coerceUndefinedToNull: false, allowUndefined: false } as const;

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
  let again: Uint8Array;
  try {
    again = dagCbor.encode(value);
  } catch (e) {
    throw new NestokenError('ERR_NONCANONICAL', `${what} does not re-encode: ${(e as Error).message}`, { cause: e });
  }
  if (!sameBytes(again, bytes)) throw new NestokenError('ERR_NONCANONICAL', `${what} is not in canonical DAG-CBOR form`);
  return value;
}
