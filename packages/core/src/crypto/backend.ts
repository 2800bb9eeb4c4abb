/**
 * The crypto seam. Everything that hashes or signs goes through the active backend, so a
 * runtime can swap in a faster one (node:crypto) without the rest of core knowing. Every
 * backend must produce identical bytes; tests hold them to it.
 */
export interface CryptoBackend {
  readonly name: string;
  /** SHA-256 of the bytes. */
  sha256(data: Uint8Array): Uint8Array;
  /**
   * Optional: the unpadded base64url text of SHA-256 of the bytes in one step (a layer's digest,
   * computed for every layer on the verify path). Without it, `sha256` then `base64urlEncode`.
   */
  sha256Base64url?(data: Uint8Array): string;
  /** SHA-512 of the bytes. */
  sha512(data: Uint8Array): Uint8Array;
  /** The Ed25519 public key of a 32-byte seed. */
  ed25519PublicKey(seed: Uint8Array): Uint8Array;
  /** The Ed25519 signature of the message under the seed's key (deterministic, RFC 8032). */
  ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** Inputs are already checked: 32-byte canonical key that is not of small order, 64-byte signature with S < L. */
  ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean | Promise<boolean>;
  /** The 65-byte uncompressed P-256 point of a checked 32-byte scalar d. */
  es256PublicKey(privateKey: Uint8Array): Uint8Array;
  /**
   * ECDSA P-256 with SHA-256, deterministic (RFC 6979) and then low-S normalised, as fixed-width
   * r ‖ s: every backend must return the same 64 bytes for the same key and message (spec §5.2).
   */
  es256Sign(privateKey: Uint8Array, message: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** Inputs are already checked: a valid 65-byte point, a canonical low-S r ‖ s. */
  es256Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean | Promise<boolean>;
  /** Unpadded base64url text of the bytes. */
  base64urlEncode(data: Uint8Array): string;
  /** Called only on text already checked to be canonical unpadded base64url. */
  base64urlDecode(text: string): Uint8Array;
  /**
   * Optional: `base64urlDecode` as a binary string (each byte one character, as `atob` gives),
   * for a JWS part read as text: no byte array made. Called only on checked text, as above.
   */
  base64urlDecodeBinary?(text: string): string;
}

let active: CryptoBackend | undefined;
let fallback: (() => CryptoBackend) | undefined;

/** Called once by each entry point with the backend it prefers. */
export function registerDefaultBackend(make: () => CryptoBackend): void {
  fallback ??= make;
}

/** Makes `backend` the one every operation uses from now on (tests, benchmarks, a faster platform). */
export function useCryptoBackend(backend: CryptoBackend): void {
  active = backend;
}

export function cryptoBackend(): CryptoBackend {
  if (active) return active;
  if (!fallback) throw new Error('nestoken: no crypto backend registered');
  active = fallback();
  return active;
}
