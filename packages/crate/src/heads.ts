/** Major types of the CBOR heads the fast readers recognise. */
export const BYTES = 2;
export const TEXT = 3;
export const ARRAY = 4;

/**
 * The CBOR head at `at` when it has this major type, its argument in the shortest form DAG-CBOR
 * requires and the argument's bytes in range: the argument, and where the content starts in
 * `end`. Anything else (another type, a longer form, an indefinite or 8-byte length, the end of
 * the bytes) is -1: the fast readers then leave the bytes to the full decoder, which names the
 * fault exactly as before.
 */
export function headArgument(bytes: Uint8Array, at: number, major: number, end: { at: number }): number {
  const first = bytes[at];
  if (first === undefined || first >> 5 !== major) return -1;
  const info = first & 0x1f;
  let value: number;
  let next: number;
  if (info < 24) {
    value = info;
    next = at + 1;
  } else if (info === 24) {
    value = bytes[at + 1] ?? -1;
    next = at + 2;
    if (value < 24) return -1;
  } else if (info === 25) {
    if (at + 3 > bytes.length) return -1;
    value = (bytes[at + 1]! << 8) | bytes[at + 2]!;
    next = at + 3;
    if (value < 0x100) return -1;
  } else if (info === 26) {
    if (at + 5 > bytes.length) return -1;
    value = bytes[at + 1]! * 0x1000000 + ((bytes[at + 2]! << 16) | (bytes[at + 3]! << 8) | bytes[at + 4]!);
    next = at + 5;
    if (value < 0x10000) return -1;
  } else {
    return -1;
  }
  end.at = next;
  return value;
}

/** Whether `bytes` hold `expected` at `at`. */
export function bytesAt(bytes: Uint8Array, at: number, expected: Uint8Array): boolean {
  if (at + expected.length > bytes.length) return false;
  for (let i = 0; i < expected.length; i++) if (bytes[at + i] !== expected[i]) return false;
  return true;
}
