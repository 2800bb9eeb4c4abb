/** Bytes per chunk: a kept copy keeps at most its chunk alive. */
const CHUNK = 16 * 1024;
let chunk = new Uint8Array(0);
let used = 0;

/**
 * A copy of `bytes` for a block's read proof, which nothing outside this package can reach: small
 * copies share a chunk, since a buffer of its own per token and digest was, with the collector's
 * work to track it, a large part of reading a full crate. The chunk is never handed out, so no
 * holder of a block can change one copy through another.
 */
export function privateCopy(bytes: Uint8Array): Uint8Array {
  if (bytes.length > CHUNK / 4) return new Uint8Array(bytes);
  if (used + bytes.length > chunk.length) {
    chunk = new Uint8Array(CHUNK);
    used = 0;
  }
  const copy = chunk.subarray(used, (used += bytes.length));
  copy.set(bytes);
  return copy;
}
