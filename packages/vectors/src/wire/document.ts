import { p256 } from '@noble/curves/nist.js';
import { portableBackend, type SigningKey } from '@nestoken/core';
import { b64u, sha256, utf8 } from '../bytes.js';
import { derive } from '../seeded.js';

/** Something that signs identity documents: an Ed25519 or a P-256 authority. */
export interface DocumentSigner {
  readonly alg: 'EdDSA' | 'ES256';
  sign(input: Uint8Array): Promise<Uint8Array>;
}

export const ed25519Signer = (key: SigningKey): DocumentSigner => ({
  alg: 'EdDSA',
  sign: async (input) => portableBackend.ed25519Sign(key.seed, input),
});

/** A P-256 authority whose private scalar comes from the seed; signatures are RFC 6979 deterministic, r || s. */
export function p256Signer(seed: string, label: string): DocumentSigner & { readonly jwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string } } {
  let secret = derive(seed, `p256/${label}`);
  for (let i = 1; !p256.utils.isValidSecretKey(secret); i++) secret = derive(seed, `p256/${label}`, i);
  const point = p256.getPublicKey(secret, false);
  return {
    alg: 'ES256',
    jwk: { kty: 'EC', crv: 'P-256', x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33)) },
    sign: async (input) => p256.sign(sha256(input), secret, { prehash: false }),
  };
}

/**
 * A compact JWS identity document (spec §5.3) over any header and claims, so that every rule
 * of §5.3 can be broken one at a time. JSON members are written in the order given.
 */
export async function identityDocument(header: object, claims: object, signer: DocumentSigner): Promise<string> {
  const input = `${b64u(utf8(JSON.stringify(header)))}.${b64u(utf8(JSON.stringify(claims)))}`;
  return `${input}.${b64u(await signer.sign(utf8(input)))}`;
}
