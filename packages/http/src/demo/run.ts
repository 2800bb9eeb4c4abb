import { dropLayer, replayElsewhere, replayOtherRoute, spliceOut, swapCrate, swapTxnToken } from './attacks.js';
import type { Outcome } from './outcome.js';
import { checkCrate, checkPath, checkTrimmed, runThrough, type Run } from './runs.js';
import { startSystem } from './system.js';
import { createWorld, type World } from './world.js';

export interface DemoResult {
  readonly world: World;
  /** The main request: client -> gateway -> foo -> bar, ID mode. */
  readonly main: Run;
  /** The Txn-Token request: client -> gateway (RFC 8693 exchange) -> foo -> bar /trade. */
  readonly trade: Run;
  readonly outcomes: readonly Outcome[];
}

/** Starts every service, runs each scenario once, stops every service. */
export async function runDemo(options: { now?: () => number } = {}): Promise<DemoResult> {
  const world = await createWorld(options.now);
  const system = await startSystem(world);
  try {
    const main = await runThrough(system, '/orders', 'id');
    const share = await runThrough(system, '/share', 'id');
    const anon = await runThrough(system, '/orders', 'anon');
    const hybrid = await runThrough(system, '/orders', 'hybrid');
    const trade = await runThrough(system, '/trade', 'txn');
    const otherTrade = await runThrough(system, '/trade', 'txn');
    const outcomes: Outcome[] = [
      checkPath(world, 'path', main, 'id', 'issuer -> gateway -> foo -> bar', 'ID mode, workload keys from WITs'),
      checkCrate(world, main),
      checkTrimmed(world, share),
      await replayElsewhere(system, share),
      await replayOtherRoute(system, main),
      await dropLayer(system, main),
      await spliceOut(system, main),
      await swapCrate(system, main),
      checkPath(world, 'anonymous', anon, 'anon', 'issuer -> anonymous -> anonymous -> bar', 'no hop named, each addressed by aud'),
      checkPath(world, 'hybrid', hybrid, 'hybrid', 'issuer -> gateway -> foo -> bar', 'hybrid: hop keys folded into one aggregate signature'),
      checkPath(world, 'txn-token', trade, 'txn', 'issuer -> gateway -> foo -> bar', 'RFC 8693 Txn-Token from the Txn-Token Service, root bound to it, the gateway required on the path'),
      await swapTxnToken(system, trade, otherTrade),
    ];
    return { world, main, trade, outcomes };
  } finally {
    await system.close();
  }
}
