import { fooService } from './foo.js';
import { gatewayService } from './gateway.js';
import { issuerService } from './issuer.js';
import { leafService } from './leaf.js';
import { serve, type Running } from './serve.js';
import { createTap, type Tap } from './tap.js';
import type { Directory } from './directory.js';
import type { World } from './world.js';

export interface System {
  readonly world: World;
  readonly directory: Directory;
  /** Every call the services made to one another. */
  readonly tap: Tap;
  close(): Promise<void>;
}

/** The issuer, gateway, foo, bar and the third party, each on its own loopback port. */
export async function startSystem(world: World): Promise<System> {
  const directory: Directory = new Map();
  const tap = createTap();
  const running: Array<[Parameters<Directory['set']>[0], Running]> = [];
  try {
    const w = world.workloads;
    running.push(['issuer', await serve(issuerService(world, w.gateway))]);
    running.push(['gateway', await serve(gatewayService(world, directory, tap.fetch))]);
    running.push(['foo', await serve(fooService(world, directory, tap.fetch))]);
    running.push(['bar', await serve(leafService(world, w.bar))]);
    running.push(['partner', await serve(leafService(world, w.partner))]);
  } catch (e) {
    await Promise.all(running.map(([, r]) => r.close()));
    throw e;
  }
  for (const [name, r] of running) directory.set(name, r.url);
  return { world, directory, tap, close: async () => void (await Promise.all(running.map(([, r]) => r.close()))) };
}
