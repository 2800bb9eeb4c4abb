import { decodeToken, DEFAULT_LIMITS, encodeToken, layerDigest, NestokenError, type PublicKey, type SigningKey, type Token } from '@nestoken/core';
import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { ed25519 } from '@noble/curves/ed25519.js';
import { base64url } from 'jose';

/**
 * An aggregate chain's open scalar lets whoever holds it add links (spec §6.5). On the wire
 * the chain therefore always travels sealed; when the next hop must extend it, the scalar
 * goes beside it in `Nestoken-Scalar`, encrypted to that hop alone with HPKE (RFC 9180,
 * DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM; spec §11.9).
 */
export const NESTOKEN_SCALAR_HEADER = 'Nestoken-Scalar';

const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });
const INFO = new TextEncoder().encode('nestoken scalar v1');
/** The scalar is bound to the chain it opens: its last layer, which the sealed token carries too. */
const aadOf = (token: Token): Uint8Array => new TextEncoder().encode(layerDigest(token.layers[token.layers.length - 1]!.bytes));

/** HPKE takes ArrayBuffers: a copy, so no view over a larger buffer leaks other bytes. */
const buf = (u: Uint8Array): ArrayBuffer => u.slice().buffer;

const failed = (message: string): never => {
  throw new NestokenError('ERR_PROOF_INVALID', message);
};

/**
 * Encrypts the scalar of `open` to `recipient`'s key, as its X25519 form (the RFC 7748
 * birational map, as libsodium's `crypto_sign_ed25519_pk_to_curve25519`): `b64u(enc).b64u(ct)`.
 */
export async function encryptScalar(open: Token, recipient: PublicKey): Promise<string> {
  if (!open.proof || open.proof.length !== 32) throw new NestokenError('ERR_USAGE', 'only an open aggregate chain has a scalar to send');
  const pk = await suite.kem.importKey('raw', buf(ed25519.utils.toMontgomery(recipient.bytes)), true);
  const { enc, ct } = await suite.seal({ recipientPublicKey: pk, info: buf(INFO) }, buf(open.proof), buf(aadOf(open)));
  return `${base64url.encode(new Uint8Array(enc))}.${base64url.encode(new Uint8Array(ct))}`;
}

/** The sealed chain received, opened again with the scalar that was encrypted to `me`: the token this service extends. */
export async function reopenChain(sealed: string, scalarHeader: string, me: SigningKey): Promise<string> {
  const token = decodeToken(sealed, DEFAULT_LIMITS).token;
  const parts = scalarHeader.split('.');
  if (parts.length !== 2 || parts[0]!.length !== 43 || parts[1]!.length !== 64) failed(`${NESTOKEN_SCALAR_HEADER} is not enc.ciphertext of a scalar`);
  let scalar: ArrayBuffer;
  try {
    const x = ed25519.utils.toMontgomery(me.publicKey.bytes);
    const d = ed25519.utils.toMontgomerySecret(me.seed);
    const sk = await suite.kem.importKey('jwk', { kty: 'OKP', crv: 'X25519', x: base64url.encode(x), d: base64url.encode(d) }, false);
    scalar = await suite.open({ recipientKey: sk, enc: buf(base64url.decode(parts[0]!)), info: buf(INFO) }, buf(base64url.decode(parts[1]!)), buf(aadOf(token)));
  } catch {
    return failed(`${NESTOKEN_SCALAR_HEADER} does not decrypt for this service and this chain`);
  }
  return encodeToken({ layers: token.layers, proof: new Uint8Array(scalar) }, 'jwt');
}
