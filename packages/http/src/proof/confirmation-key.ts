import { BoundedCache, NestokenError, type ConfirmationKey } from '@nestoken/core';
import { importJWK, type CryptoKey } from 'jose';
import { jwsJsonPart } from './jws-part.js';

const bad = (message: string): never => {
  throw new NestokenError('ERR_IDENTITY_DOCUMENT', message);
};

/**
 * The `alg` a proof made with the key a WIT confirms names, read from a WIT not yet verified
 * (the sender's own, to sign with): `cnf.jwk.alg`, read strictly (one value per member). A
 * receiver takes it from core's verified `ConfirmationKey` (`jwsAlg`) instead.
 */
export function proofAlgOf(wit: string): string {
  const parts = wit.split('.');
  if (parts.length !== 3) bad('the identity document is not a compact JWS');
  const claims = jwsJsonPart(parts[1]!, 'identity document claims', 'ERR_IDENTITY_DOCUMENT') as { cnf?: { jwk?: unknown } };
  const jwk = claims?.cnf?.jwk as Record<string, unknown> | undefined;
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk) || 'd' in jwk) return bad('the identity document has no public cnf.jwk');
  // A key that names no alg has one algorithm only: Ed25519 keys sign EdDSA, P-256 keys ES256.
  const alg = jwk.alg ?? (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' ? 'EdDSA' : jwk.kty === 'EC' && jwk.crv === 'P-256' ? 'ES256' : undefined);
  if (typeof alg !== 'string' || alg === 'none' || alg.startsWith('HS')) return bad('cnf.jwk names no asymmetric algorithm');
  return alg;
}

/** Imported verification keys by their JWK text, so a caller's key is imported once. Bounded. */
const imported = new BoundedCache<string, Promise<CryptoKey | Uint8Array>>(1024);

export function verificationKeyOf(key: ConfirmationKey): Promise<CryptoKey | Uint8Array> {
  const id = `${key.jwsAlg} ${JSON.stringify(key.jwk)}`;
  return imported.get(id) ?? imported.set(id, importJWK(key.jwk, key.jwsAlg).catch(() => bad(`cnf.jwk is not a usable ${key.jwsAlg} key`)));
}
