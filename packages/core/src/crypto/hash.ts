import { cryptoBackend } from './backend.js';

/** SHA-256 through the active crypto backend. */
export const sha256 = (data: Uint8Array): Uint8Array => cryptoBackend().sha256(data);
export const sha512 = (data: Uint8Array): Uint8Array => cryptoBackend().sha512(data);
