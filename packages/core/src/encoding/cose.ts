import { concat, isBytes } from '../bytes.js';
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

/**
 * The bytes of ["Signature1", protected, external_aad, payload] (RFC 9052 §4.4), assembled
 * without re-encoding any part. A nestoken layer signs what it does not send (the previous
 * layer's digest, implied header values) as external data (spec §4.3); other COSE users pass none.
 */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array, externalAad: Uint8Array = EMPTY): Uint8Array {
  return concat(
    Uint8Array.of(0x84),
    SIG_STRUCTURE_HEAD,
    byteStringHead(protectedBytes.length),
    protectedBytes,
    byteStringHead(externalAad.length),
    externalAad,
    byteStringHead(payload.length),
    payload,
  );
}

/** The shortest CBOR head of a byte string of this length (RFC 8949 §3.1). */
function byteStringHead(length: number): Uint8Array {
  if (length < 24) return Uint8Array.of(0x40 | length);
  if (length < 0x100) return Uint8Array.of(0x58, length);
  if (length < 0x10000) return Uint8Array.of(0x59, length >> 8, length & 0xff);
  return Uint8Array.of(0x5a, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff);
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
