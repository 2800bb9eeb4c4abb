import { deflateSync, inflateSync } from 'node:zlib';
import type { ZlibBackend } from './zlib.js';

/** node:zlib: the same ZLIB format through the runtime's native library; only the Node entry imports it. */
export const nodeZlib: ZlibBackend = {
  name: 'node:zlib',
  compress: (data, level) => new Uint8Array(deflateSync(data, { level })),
  decompress(data, maxBytes) {
    const out = inflateSync(data, { maxOutputLength: Math.max(1, maxBytes) });
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  },
};
