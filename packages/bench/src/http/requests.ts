import { exportPrivateJwk } from '@nestoken/core';
import { nestokenHop } from '@nestoken/http';
import { importJWK, SignJWT } from 'jose';
import type { ServerName } from './servers.js';
import { benchCrate, rootToken, type BenchWorld } from './world.js';

export type Headers = Record<string, string>;

/**
 * The header sets one run sends, one per request: each nestoken request is a fresh last hop
 * (foo -> bar) with its own proof, as real traffic would be, since a proof is good once.
 * Made before the run, so the load generator does no signing while it measures.
 */
export async function requestPool(server: ServerName, world: BenchWorld, url: string, count: number, now: number): Promise<Headers[]> {
  if (server === 'none') return Array.from({ length: count }, () => ({}));
  if (server === 'jose') {
    const key = await importJWK({ ...exportPrivateJwk(world.issuerKey) }, 'EdDSA');
    const jwt = await new SignJWT({ scope: 'orders:write' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt' })
      .setIssuer('https://issuer.bench.test')
      .setAudience('https://api.bench.test')
      .setSubject('alice')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(key);
    return Array.from({ length: count }, () => ({ authorization: `Bearer ${jwt}` }));
  }
  const root = await rootToken(world, now);
  const crate = server === 'nestoken-crate' ? await benchCrate(world, root, now) : undefined;
  const atFoo = await nestokenHop(url, 'POST', {
    token: root,
    key: world.gateway.key,
    audienceKey: world.foo.key.publicKey,
    audience: world.foo.identity,
    identityDocument: world.gateway.wit,
    ...(crate ? { crate } : {}),
    now: () => now,
  });
  const pool: Headers[] = [];
  for (let i = 0; i < count; i++) {
    const hop = await nestokenHop(url, 'POST', {
      token: atFoo.token,
      key: world.foo.key,
      audienceKey: world.bar.key.publicKey,
      audience: world.bar.identity,
      identityDocument: world.foo.wit,
      ...(crate ? { crate } : {}),
      now: () => now,
    });
    pool.push({ ...hop.headers });
  }
  return pool;
}
