import { BoundedCache, NestokenError } from '@nestoken/core';
import { importJWK, type CryptoKey, type JWK } from 'jose';
import { jwsJsonPart } from './jws-part.js';

/** The key a WIT confirms (`cnf.jwk`) and the JWS algorithm a proof made with it must name. */
export interface ConfirmationKey {
  readonly jwk: JWK;
  /** `cnf.jwk.alg`; for a key that names none, its only algorithm (`EdDSA` for Ed25519, `ES256` for P-256). */
  readonly alg: string;
}

const bad = (message: string): never => {
  throw new NestokenError('ERR_IDENTITY_DOCUMENT', message);
};

/** Reads `cnf.jwk` out of a WIT's claims, read strictly (one value per member). The WIT's own signature is checked by core, not here. */
export function confirmationKeyOf(wit: string): ConfirmationKey {
  const parts = wit.split('.');
  if (parts.length !== 3) bad('the identity document is not a compact JWS');
  const claims = jwsJsonPart(parts[1]!, 'identity document claims', 'ERR_IDENTITY_DOCUMENT') as { cnf?: { jwk?: unknown } };
  const jwk = claims?.cnf?.jwk as JWK | undefined;
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk) || 'd' in jwk) return bad('the identity document has no public cnf.jwk');
  // A key that names no alg has one algorithm only: Ed25519 keys sign EdDSA, P-256 keys ES256.
  const alg = jwk.alg ?? (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' ? 'EdDSA' : jwk.kty === 'EC' && jwk.crv === 'P-256' ? 'ES256' : undefined);
  if (typeof alg !== 'string' || alg === 'none' || alg.startsWith('HS')) return bad('cnf.jwk names no asymmetric algorithm');
  return Object.freeze({ jwk: Object.freeze(jwk), alg });
}

/** Imported verification keys by their JWK text, so a caller's key is imported once. Bounded. */
const imported = new BoundedCache<string, Promise<CryptoKey | Uint8Array>>(1024);

export function verificationKeyOf(key: ConfirmationKey): Promise<CryptoKey | Uint8Array> {
  const id = `${key.alg} ${JSON.stringify(key.jwk)}`;
  return imported.get(id) ?? imported.set(id, importJWK(key.jwk, key.alg).catch(() => bad(`cnf.jwk is not a usable ${key.alg} key`)));
}
