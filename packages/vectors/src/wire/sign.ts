import { portableBackend, type SigningKey } from '@nestoken/core';

/** Signs with the key's own algorithm (spec §5.2): Ed25519, or ES256 as RFC 6979 low-S r ‖ s. */
export const signWith = async (key: SigningKey, input: Uint8Array): Promise<Uint8Array> =>
  key.publicKey.alg === 'ES256' ? portableBackend.es256Sign(key.seed, input) : portableBackend.ed25519Sign(key.seed, input);
