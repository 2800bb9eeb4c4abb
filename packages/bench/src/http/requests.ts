import { exportPrivateJwk } from '@nestoken/core';
import { nestokenHop, receivedToken, type NestokenHop } from '@nestoken/http';
import { importJWK, SignJWT } from 'jose';
import type { ServerName } from './servers.js';
import type { Crate } from '@nestoken/crate';
import { benchCrate, rootToken, type BenchWorld, type Party } from './world.js';

export type Headers = Record<string, string>;

/**
 * The header sets one run sends, one per request, each nestoken request with its own proof,
 * since a proof is good once. `nestoken` and `nestoken-crate` are one flow: the same chain
 * again (a service sees it again; its layers' signatures are then known to core's cache);
 * `nestoken-fresh` is a new chain per request, every layer checked.
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
  if (server === 'nestoken-fresh') {
    // A chain of its own per request (a new root, so every layer is new): nothing seen before.
    const pool: Headers[] = [];
    for (let i = 0; i < count; i++) {
      const atFoo = await gatewayHop(world, url, await rootToken(world, now, `bench-${now}-${i}`), undefined, now);
      pool.push(await fooHop(world, url, atFoo, undefined, now));
    }
    return pool;
  }
  // One flow: the same chain (layers are deterministic, so the same bytes) with a new proof per request.
  const root = await rootToken(world, now);
  const crate = server === 'nestoken-crate' ? await benchCrate(world, root, now) : undefined;
  const atFoo = await gatewayHop(world, url, root, crate, now);
  const pool: Headers[] = [];
  for (let i = 0; i < count; i++) pool.push(await fooHop(world, url, atFoo, crate, now));
  return pool;
}

/** `from` extends `token` for a call to `to` at `POST url`, with its proof. */
function hop(from: Party, to: Party, url: string, token: string, crate: Crate | undefined, now: number): Promise<NestokenHop> {
  return nestokenHop(url, 'POST', {
    token,
    key: from.key,
    audienceKey: to.key.publicKey,
    audience: to.identity,
    identityDocument: from.wit,
    ...(crate ? { crate } : {}),
    now: () => now,
  });
}

/** gateway -> foo: the token foo holds once it accepted the request (the gateway's WIT travelled beside it). */
const gatewayHop = async (world: BenchWorld, url: string, root: string, crate: Crate | undefined, now: number): Promise<string> =>
  receivedToken(await hop(world.gateway, world.foo, url, root, crate, now));

/** foo -> bar: the headers of the request bar receives. */
const fooHop = async (world: BenchWorld, url: string, token: string, crate: Crate | undefined, now: number): Promise<Headers> => ({
  ...(await hop(world.foo, world.bar, url, token, crate, now)).headers,
});
