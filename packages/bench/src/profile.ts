#!/usr/bin/env node
/**
 * Runs one scenario's operation in a loop, for a CPU profile:
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof packages/bench/dist/profile.js nestoken-id-node-cbor 16 verify 5
 * then summarise the .cpuprofile with `node packages/bench/dist/profile-summary.js FILE`.
 */
import { allChainScenarios } from './scenarios/index.js';

async function main([id = 'nestoken-id-node-jwt', hopsArg = '16', op = 'verify', secondsArg = '5']: readonly string[]): Promise<number> {
  const scenario = allChainScenarios().find((s) => s.id === id);
  if (!scenario) {
    process.stderr.write(`unknown scenario ${id}; one of: ${allChainScenarios().map((s) => s.id).join(', ')}\n`);
    return 2;
  }
  const hops = Number(hopsArg);
  await scenario.setup?.();
  const prepared = await scenario.prepare(hops);
  const run = op === 'issue' ? prepared.issue : op === 'extend' ? prepared.extend : prepared.verify[op === 'verify' ? scenario.verifiers[0]!.id : op];
  if (!run) {
    process.stderr.write(`${id} has no operation ${op}\n`);
    return 2;
  }
  const until = performance.now() + Number(secondsArg) * 1000;
  let calls = 0;
  while (performance.now() < until) {
    const r = run();
    if (r instanceof Promise) await r;
    calls++;
  }
  prepared.dispose?.();
  await scenario.teardown?.();
  process.stderr.write(`${id} ${op} at ${hops} hops: ${calls} calls, ${((Number(secondsArg) * 1000) / calls).toFixed(3)} ms per call\n`);
  return 0;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
