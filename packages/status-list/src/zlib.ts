import { Unzlib, zlibSync } from 'fflate';
import { concat, fail } from '@nestoken/core';

/**
 * The compression seam: ZLIB (RFC 1950) around DEFLATE (RFC 1951), as the status list draft
 * requires. fflate runs everywhere and is the default; a runtime may register a faster one
 * (the Node entry offers node:zlib, see `zlib-node.ts`). Any backend must decompress what any
 * other compresses; compressed bytes may differ between them.
 */
export interface ZlibBackend {
  readonly name: string;
  /** Level 0-9; the draft recommends the highest. */
  compress(data: Uint8Array, level: number): Uint8Array;
  /** Must refuse (throw) rather than produce more than `maxBytes` bytes. */
  decompress(data: Uint8Array, maxBytes: number): Uint8Array;
}

/**
 * Compressed input is fed in slices this big, so a bomb overshoots the bound by at most ~4 MiB
 * before it is stopped (DEFLATE expands at most 1032:1). Smaller slices cost more time than
 * they save memory (1 KiB slices measured 4x slower on a 1,000,000-entry list).
 */
const SLICE = 4096;

export const fflateZlib: ZlibBackend = {
  name: 'fflate',
  compress: (data, level) => zlibSync(data, { level: level as 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 }),
  decompress(data, maxBytes) {
    const chunks: Uint8Array[] = [];
    let total = 0;
    let ended = false;
    const inflater = new Unzlib((chunk, final) => {
      total += chunk.length;
      if (total > maxBytes) throw new RangeError('too large');
      chunks.push(chunk);
      if (final) ended = true;
    });
    for (let at = 0; at < data.length; at += SLICE) inflater.push(data.subarray(at, at + SLICE), at + SLICE >= data.length);
    if (!ended) throw new RangeError('truncated');
    return concat(...chunks);
  },
};

let active: ZlibBackend | undefined;
let fallback: ZlibBackend = fflateZlib;

/** Called by the Node entry with the backend that measured faster there (zlib-node.ts). */
export function registerDefaultZlib(backend: ZlibBackend): void {
  fallback = backend;
}

/** Swap the compression backend for this process. */
export function useZlibBackend(backend: ZlibBackend): void {
  if (typeof backend?.compress !== 'function' || typeof backend.decompress !== 'function') fail('ERR_USAGE', 'a zlib backend has compress and decompress');
  active = backend;
}

export const zlibBackend = (): ZlibBackend => active ?? fallback;

/** Decompresses within the bound; every failure, whatever the backend throws, is `ERR_STATUS_LIST` (spec §13.1). */
export function inflateBounded(data: Uint8Array, maxBytes: number): Uint8Array {
  try {
    return zlibBackend().decompress(data, maxBytes);
  } catch {
    return fail('ERR_STATUS_LIST', `the status list is not ZLIB data that inflates to at most ${maxBytes} bytes`);
  }
}
