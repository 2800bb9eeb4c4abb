import { exportPrivateJwk, exportPublicJwk, type SigningKey } from '@nestoken/core';
import { importJWK, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { API_AUDIENCE, ISSUER } from './world.js';

/**
 * The outside world's credential: an OAuth access token (RFC 9068 JWT profile) that the issuer
 * signs and the gateway checks with `jose`, a JOSE library that knows nothing of nestoken.
 */
export const ACCESS_TOKEN_TTL = 300;
const MAX_ACCESS_TOKEN_CHARS = 4096;

export async function mintAccessToken(issuerKey: SigningKey, init: { clientId: string; scope: string; now: number; jti: string }): Promise<string> {
  const key = await importJWK(exportPrivateJwk(issuerKey), 'EdDSA');
  return new SignJWT({ scope: init.scope, client_id: init.clientId })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: issuerKey.publicKey.kid })
    .setIssuer(ISSUER)
    .setSubject(init.clientId)
    .setAudience(API_AUDIENCE)
    .setIssuedAt(init.now)
    .setExpirationTime(init.now + ACCESS_TOKEN_TTL)
    .setJti(init.jti)
    .sign(key);
}

export interface AccessClaims {
  readonly sub: string;
  readonly scope: string;
  readonly exp: number;
  readonly jti: string;
}

/** `Authorization: Bearer <jwt>` checked for issuer, audience, type, algorithm and time; undefined when anything is off. */
export async function checkBearer(authorization: string | undefined, issuerKey: SigningKey, now: number): Promise<{ token: string; claims: AccessClaims } | undefined> {
  const match = /^Bearer ([A-Za-z0-9._-]+)$/.exec(authorization ?? '');
  if (!match || match[1]!.length > MAX_ACCESS_TOKEN_CHARS) return undefined;
  try {
    const key = await importJWK(exportPublicJwk(issuerKey), 'EdDSA');
    const { payload } = await jwtVerify(match[1]!, key, {
      issuer: ISSUER,
      audience: API_AUDIENCE,
      algorithms: ['EdDSA'],
      typ: 'at+jwt',
      currentDate: new Date(now * 1000),
      requiredClaims: ['sub', 'exp', 'jti'],
    });
    return { token: match[1]!, claims: accessClaims(payload) };
  } catch {
    return undefined;
  }
}

const accessClaims = (p: JWTPayload): AccessClaims => ({ sub: p.sub!, scope: typeof p.scope === 'string' ? p.scope : '', exp: p.exp!, jti: p.jti! });
