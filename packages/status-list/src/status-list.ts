import { b64u, fail, fromB64u } from '@nestoken/core';
import { resolveStatusListLimits, type StatusListLimits } from './limits.js';
import { inflateBounded, zlibBackend } from './zlib.js';

/** Bits per entry: one entry never straddles a byte. */
export type StatusBits = 1 | 2 | 4 | 8;
const BITS: readonly number[] = [1, 2, 4, 8];

/** The JSON form of a status list (`status_list` of a JWT). */
export interface StatusListJson {
  readonly bits: StatusBits;
  readonly lst: string;
}

export function checkBits(bits: unknown): StatusBits {
  if (!BITS.includes(bits as number)) fail('ERR_STATUS_LIST', 'bits must be 1, 2, 4 or 8');
  return bits as StatusBits;
}

/**
 * A status list (spec §13.1): `size` entries of `bits` bits, packed into bytes from the least
 * significant bit up, entry 0 in the low bits of byte 0. The bytes are owned by the list.
 */
export class StatusList {
  readonly bits: StatusBits;
  readonly bytes: Uint8Array;
  /** log2 of the entries per byte, and the mask of one entry. */
  readonly #shift: number;
  readonly #mask: number;

  private constructor(bits: StatusBits, bytes: Uint8Array) {
    this.bits = bits;
    this.bytes = bytes;
    this.#shift = 3 - Math.log2(bits);
    this.#mask = (1 << bits) - 1;
  }

  /** An all-VALID list of at least `size` entries (the byte array is rounded up). */
  static create(bits: number, size: number, limits?: Partial<StatusListLimits>): StatusList {
    const b = checkBits(bits);
    const max = resolveStatusListLimits(limits).maxListBytes;
    if (!Number.isSafeInteger(size) || size < 1) fail('ERR_USAGE', 'a status list has a whole, positive number of entries');
    const length = Math.ceil((size * b) / 8);
    if (length > max) fail('ERR_LIMIT_EXCEEDED', `${size} entries of ${b} bits need ${length} bytes, above the limit of ${max}`);
    return new StatusList(b, new Uint8Array(length));
  }

  /** A list over a copy of these bytes. */
  static fromBytes(bits: number, bytes: Uint8Array, limits?: Partial<StatusListLimits>): StatusList {
    const b = checkBits(bits);
    if (!(bytes instanceof Uint8Array)) fail('ERR_USAGE', 'status list bytes are a Uint8Array');
    const max = resolveStatusListLimits(limits).maxListBytes;
    if (bytes.length > max) fail('ERR_LIMIT_EXCEEDED', `a status list of ${bytes.length} bytes is above the limit of ${max}`);
    return new StatusList(b, Uint8Array.from(bytes));
  }

  /** Inflates a compressed list, bounded before and during the work. */
  static decompress(bits: unknown, compressed: Uint8Array, limits?: Partial<StatusListLimits>): StatusList {
    const b = checkBits(bits);
    const l = resolveStatusListLimits(limits);
    if (!(compressed instanceof Uint8Array)) fail('ERR_STATUS_LIST', 'a compressed status list is bytes');
    if (compressed.length > l.maxCompressedBytes) fail('ERR_INPUT_TOO_LARGE', `the compressed status list is ${compressed.length} bytes, above the limit of ${l.maxCompressedBytes}`);
    return new StatusList(b, inflateBounded(compressed, l.maxListBytes));
  }

  /** The JSON form: `lst` is the base64url of the compressed bytes. */
  static fromJson(value: unknown, limits?: Partial<StatusListLimits>): StatusList {
    const v = value as Partial<Record<string, unknown>>;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('ERR_STATUS_LIST', 'status_list must be an object');
    if (typeof v.lst !== 'string') fail('ERR_STATUS_LIST', 'status_list.lst must be base64url text');
    const l = resolveStatusListLimits(limits);
    // Base64url is 4 characters per 3 bytes: the text bound comes before decoding.
    if (v.lst.length > Math.ceil((l.maxCompressedBytes * 4) / 3)) fail('ERR_INPUT_TOO_LARGE', 'status_list.lst is above the compressed size limit');
    checkBits(v.bits);
    return StatusList.decompress(v.bits, lstBytes(v.lst), l);
  }

  /** The CBOR form: a map with text keys, `lst` a byte string (as cborg decodes it with maps). */
  static fromCbor(value: unknown, limits?: Partial<StatusListLimits>): StatusList {
    if (!(value instanceof Map)) fail('ERR_STATUS_LIST', 'the status list must be a CBOR map');
    const lst = value.get('lst');
    if (!(lst instanceof Uint8Array)) fail('ERR_STATUS_LIST', 'the status list lst must be a byte string');
    return StatusList.decompress(value.get('bits'), lst, limits);
  }

  /** The number of entries the byte array holds. */
  get size(): number {
    return this.bytes.length << this.#shift;
  }

  /** The status at `idx`; an index outside the list is `ERR_STATUS_INDEX`: no statement can be made (draft §8.3). */
  get(idx: number): number {
    if (!Number.isSafeInteger(idx) || idx < 0 || idx >= this.size) fail('ERR_STATUS_INDEX', `index ${String(idx)} is outside a list of ${this.size} entries`);
    const perByte = (1 << this.#shift) - 1;
    return (this.bytes[idx >>> this.#shift]! >>> ((idx & perByte) * this.bits)) & this.#mask;
  }

  set(idx: number, value: number): void {
    if (!Number.isSafeInteger(value) || value < 0 || value > this.#mask) fail('ERR_USAGE', `a ${this.bits}-bit status is 0-${this.#mask}`);
    this.get(idx);
    const perByte = (1 << this.#shift) - 1;
    const at = idx >>> this.#shift;
    const shift = (idx & perByte) * this.bits;
    this.bytes[at] = (this.bytes[at]! & ~(this.#mask << shift)) | (value << shift);
  }

  /** ZLIB at the highest level by default, as the draft recommends. */
  compress(level = 9): Uint8Array {
    if (!Number.isInteger(level) || level < 0 || level > 9) fail('ERR_USAGE', 'the compression level is 0-9');
    return zlibBackend().compress(this.bytes, level);
  }

  toJson(level?: number): StatusListJson {
    return { bits: this.bits, lst: b64u(this.compress(level)) };
  }

  toCbor(level?: number): Map<string, unknown> {
    return new Map<string, unknown>([['bits', this.bits], ['lst', this.compress(level)]]);
  }
}

/** `lst` is unpadded base64url; anything else is a malformed list, not a transport error. */
function lstBytes(lst: string): Uint8Array {
  try {
    return fromB64u(lst, 'status_list.lst');
  } catch {
    return fail('ERR_STATUS_LIST', 'status_list.lst is not canonical base64url');
  }
}
