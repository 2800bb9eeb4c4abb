import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeToken, exportPublicJwk, extend, issue, signingKeyFromSeed } from '@nestoken/core';
import { ISSUER, LIFETIME, NOW, hopIdentity, seed } from '../fixtures.js';
import { hopClaims, rootClaims } from '../scenarios/nestoken-claims.js';

/** Files a cold `nestoken verify` reads: a signer JWKS, the verifier's public JWK and a 4-hop ID chain (JWT form). */
export interface ColdStartFiles {
  readonly dir: string;
  readonly trust: string;
  readonly audience: string;
  readonly token: string;
  /** The time to verify at, inside every layer's lifetime. */
  readonly now: number;
}

const HOPS = 4;

export async function writeColdStartFiles(): Promise<ColdStartFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'nestoken-cold-'));
  const keys = Array.from({ length: HOPS + 1 }, (_, i) => signingKeyFromSeed(seed(`cold-key-${i}`)));
  let token = await issue({ key: keys[0]!, audienceKey: keys[1]!.publicKey, claims: rootClaims(), format: 'jwt' });
  for (let i = 1; i < HOPS; i++) token = await extend(token, { key: keys[i]!, audienceKey: keys[i + 1]!.publicKey, claims: hopClaims(i), format: 'jwt' });
  const signers = keys.slice(0, HOPS).map((k, i) => ({ ...exportPublicJwk(k.publicKey), sub: i === 0 ? ISSUER : hopIdentity(i) }));
  const files = { trust: join(dir, 'trust.jwks'), audience: join(dir, 'verifier.jwk'), token: join(dir, 'token.txt') };
  await writeFile(files.trust, JSON.stringify({ keys: signers }));
  await writeFile(files.audience, JSON.stringify(exportPublicJwk(keys[HOPS]!.publicKey)));
  await writeFile(files.token, `${encodeToken(token, 'jwt') as string}\n`);
  return { dir, ...files, now: NOW + LIFETIME / 2 };
}
