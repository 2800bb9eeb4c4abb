import { NestokenError } from '@nestoken/core';
import { base64url, importJWK, type CryptoKey, type JWK } from 'jose';

/** The key a WIT confirms (`cnf.jwk`) and the JWS algorithm a proof made with it must name. */
export interface ConfirmationKey {
  readonly jwk: JWK;
  /** `cnf.jwk.alg`; for a key that names none, its only algorithm (`EdDSA` for Ed25519, `ES256` for P-256). */
  readonly alg: string;
}

const bad = (message: string): never => {
  throw new NestokenError('ERR_IDENTITY_DOCUMENT', message);
};

/** Reads `cnf.jwk` out of a WIT's claims. The WIT's own signature is checked by core, not here. */
export function confirmationKeyOf(wit: string): ConfirmationKey {
  const parts = wit.split('.');
  if (parts.length !== 3) bad('the identity document is not a compact JWS');
  let claims: { cnf?: { jwk?: unknown } } | null;
  try {
    claims = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64url.decode(parts[1]!))) as typeof claims;
  } catch {
    return bad('the identity document claims are not base64url JSON');
  }
  const jwk = claims?.cnf?.jwk as JWK | undefined;
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk) || 'd' in jwk) return bad('the identity document has no public cnf.jwk');
  // A key that names no alg has one algorithm only: Ed25519 keys sign EdDSA, P-256 keys ES256.
  const alg = jwk.alg ?? (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' ? 'EdDSA' : jwk.kty === 'EC' && jwk.crv === 'P-256' ? 'ES256' : undefined);
  if (typeof alg !== 'string' || alg === 'none' || alg.startsWith('HS')) return bad('cnf.jwk names no asymmetric algorithm');
  return { jwk, alg };
}

/** Imported verification keys by their JWK text, so a caller's key is imported once. Bounded. */
const imported = new Map<string, Promise<CryptoKey | Uint8Array>>();
const MAX_IMPORTED = 1024;

export function verificationKeyOf(key: ConfirmationKey): Promise<CryptoKey | Uint8Array> {
  const id = `${key.alg} ${JSON.stringify(key.jwk)}`;
  let k = imported.get(id);
  if (!k) {
    k = importJWK(key.jwk, key.alg).catch(() => bad(`cnf.jwk is not a usable ${key.alg} key`));
    if (imported.size >= MAX_IMPORTED) imported.delete(imported.keys().next().value!);
    imported.set(id, k);
  }
  return k;
}
