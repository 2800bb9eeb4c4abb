import { isBytes } from '../bytes.js';
import { fail } from '../errors.js';
import { decodeCbor, encodeCbor, isTagged, Tagged, TAG_COSE_SIGN1 } from './cbor.js';

/** The four parts of a COSE_Sign1 (RFC 9052 §4.2), the protected header and payload still as bytes. */
export interface CoseSign1 {
  readonly protectedBytes: Uint8Array;
  readonly unprotected: unknown;
  readonly payload: Uint8Array;
  readonly signature: Uint8Array;
}

const SIG_STRUCTURE_HEAD = encodeCbor(['Signature1']).subarray(1);
const EMPTY = new Uint8Array(0);

const newBytes = (length: number): Uint8Array => new Uint8Array(length);

/**
 * The bytes of ["Signature1", protected, external_aad, payload] (RFC 9052 §4.4), assembled
 * without re-encoding any part, into one array: every layer on the verify path builds one.
 * A nestoken layer signs what it does not send (the previous layer's digest, implied header
 * values) as external data (spec §4.3); other COSE users pass none.
 *
 * @param into - gives the array of the length asked for (a token's `ByteArena` on the verify path); a new array by default
 */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array, externalAad: Uint8Array = EMPTY, into: (length: number) => Uint8Array = newBytes): Uint8Array {
  const protectedHead = byteStringHeadLength(protectedBytes.length);
  const aadHead = byteStringHeadLength(externalAad.length);
  const payloadHead = byteStringHeadLength(payload.length);
  const out = into(1 + SIG_STRUCTURE_HEAD.length + protectedHead + protectedBytes.length + aadHead + externalAad.length + payloadHead + payload.length);
  out[0] = 0x84;
  out.set(SIG_STRUCTURE_HEAD, 1);
  let o = writeByteStringHead(out, 1 + SIG_STRUCTURE_HEAD.length, protectedBytes.length);
  out.set(protectedBytes, o);
  o = writeByteStringHead(out, o + protectedBytes.length, externalAad.length);
  out.set(externalAad, o);
  o = writeByteStringHead(out, o + externalAad.length, payload.length);
  out.set(payload, o);
  return out;
}

/** Bytes of the shortest CBOR head of a byte string of this length (RFC 8949 §3.1). */
const byteStringHeadLength = (length: number): number => (length < 24 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 5);

/** Writes that head at `at`; returns where the string's bytes start. */
function writeByteStringHead(out: Uint8Array, at: number, length: number): number {
  if (length < 24) {
    out[at] = 0x40 | length;
    return at + 1;
  }
  if (length < 0x100) {
    out[at] = 0x58;
    out[at + 1] = length;
    return at + 2;
  }
  if (length < 0x10000) {
    out[at] = 0x59;
    out[at + 1] = length >> 8;
    out[at + 2] = length & 0xff;
    return at + 3;
  }
  out[at] = 0x5a;
  out[at + 1] = (length >>> 24) & 0xff;
  out[at + 2] = (length >> 16) & 0xff;
  out[at + 3] = (length >> 8) & 0xff;
  out[at + 4] = length & 0xff;
  return at + 5;
}

/** A tagged COSE_Sign1 (tag 18) in deterministic CBOR. */
export function encodeSign1(protectedBytes: Uint8Array, unprotected: Map<unknown, unknown>, payload: Uint8Array, signature: Uint8Array): Uint8Array {
  return encodeCbor(new Tagged(TAG_COSE_SIGN1, [protectedBytes, unprotected, payload, Uint8Array.from(signature)]));
}

/**
 * Reads a tagged COSE_Sign1: exactly four items of the right types. `foreign` accepts other
 * issuers' CBOR that is valid but not deterministic (see `decodeCbor`).
 */
export function decodeSign1(bytes: Uint8Array, maxDepth: number, foreign = false): CoseSign1 {
  const outer = decodeCbor(bytes, 'COSE_Sign1', maxDepth, foreign);
  if (!isTagged(outer, TAG_COSE_SIGN1) || !Array.isArray(outer.value) || outer.value.length !== 4) {
    fail('ERR_MALFORMED', 'a COSE_Sign1 is a tagged array of four items');
  }
  const [protectedBytes, unprotected, payload, signature] = outer.value as unknown[];
  if (!isBytes(protectedBytes) || !isBytes(payload) || !isBytes(signature)) fail('ERR_MALFORMED', 'COSE_Sign1 fields have the wrong types');
  return { protectedBytes, unprotected, payload, signature };
}
