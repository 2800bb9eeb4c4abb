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
 * Decodes and insists that encoding the result gives the very same bytes: two encodings of
 * one value would be two CIDs for one node (spec §10.3.1). Any decoder failure, including
 * deep nesting that exhausts the stack, becomes a typed error.
 */
export function decodeCanonical(bytes: Uint8Array, what: string): unknown {
  let value: unknown;
  try {
    // Text read exactly: dag-cbor's own decode drops a leading U+FEFF, and the node would not re-encode.
    value = decodeCborExactText(bytes, dagCbor.decodeOptions);
  } catch (e) {
    // The strict decoder already refuses some non-minimal forms (long integer heads).
    const code = /\(strict decode\)/.test(String((e as Error)?.message)) ? 'ERR_NONCANONICAL' : 'ERR_CBOR';
    throw new NestokenError(code, `${what} is not canonical DAG-CBOR: ${(e as Error)?.message}`, { cause: e });
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
