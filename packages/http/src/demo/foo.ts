import type { IncomingMessage, ServerResponse } from 'node:http';
import { nestokenFetch } from '../client.js';
import { withNestoken, type NestokenRequest } from '../middleware.js';
import { peer, type Directory } from './directory.js';
import { withoutAccessToken } from './ingress-crate.js';
import { CALL_TIMEOUT_MS, relay } from './serve.js';
import { forwardedTxnToken } from './gateway-txn.js';
import type { World } from './world.js';

/** Paths on which foo calls the third party instead of bar. */
export const SHARE_PATH = '/share';

/**
 * The middle hop: proves what reached it, then extends the chain to bar, or to the third
 * party for `/share`, after eliding the access token from the crate.
 */
export function fooService(world: World, directory: Directory, fetchImpl: typeof fetch): (req: IncomingMessage, res: ServerResponse) => void {
  const me = world.workloads.foo;
  return withNestoken(
    { trust: world.trust, key: me.key, identity: me.identity, modes: ['id', 'anon', 'hybrid'], now: world.now },
    async (req: NestokenRequest, res: ServerResponse) => {
      const path = new URL(req.url ?? '/', 'http://foo').pathname;
      const external = path === SHARE_PATH;
      const next = peer(directory, external ? world.workloads.partner : world.workloads.bar);
      const received = req.nestoken.crate?.crate;
      const crate = received && external ? withoutAccessToken(received) : received;
      const answer = await nestokenFetch(
        `${next.url}${path}`,
        { method: req.method ?? 'GET', signal: AbortSignal.timeout(CALL_TIMEOUT_MS) },
        {
          token: req.nestoken.token,
          key: me.key,
          audienceKey: next.workload.key.publicKey,
          audience: next.workload.identity,
          identityDocument: me.wit!,
          ...(crate ? { crate } : {}),
          anonymous: req.nestoken.path.mode === 'anon',
          // Forwarded exactly as received, as the Txn-Token draft requires.
          ...forwardedTxnToken(req),
          now: world.now,
          fetch: fetchImpl,
        },
      );
      await relay(res, answer);
    },
  );
}
