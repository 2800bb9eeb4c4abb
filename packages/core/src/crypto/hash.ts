import { cryptoBackend } from './backend.js';

/** SHA-256 through the active crypto backend. */
export const sha256 = (data: Uint8Array): Uint8Array => cryptoBackend().sha256(data);
export const sha512 = (data: Uint8Array): Uint8Array => cryptoBackend().sha512(data);

/** Unpadded base64url of SHA-256: a layer's digest, as `prv` names it; one native call where the backend has one. */
export function sha256Base64url(data: Uint8Array): string {
  const backend = cryptoBackend();
  return backend.sha256Base64url ? backend.sha256Base64url(data) : backend.base64urlEncode(backend.sha256(data));
}
