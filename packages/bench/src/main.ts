#!/usr/bin/env node
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, UsageError, USAGE } from './cli-args.js';
import { spawnFloorCheck } from './floor-check-spawn.js';
import { runBrowserBench, type BrowserFormResults } from './browser/run.js';
import { runBench } from './harness.js';
import { stderrProgress } from './progress.js';
import { bytes, ms } from './report/format.js';
import { allChainScenarios } from './scenarios/index.js';
import { writeResults } from './write-results.js';
import { describeError } from './failure.js';

const DEFAULT_OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

async function main(argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${e.message}\n${USAGE}\n`);
    return 2;
  }
  const { config } = options;
  const scenarios = allChainScenarios();
  const selected = config.only.length ? scenarios.filter((s) => config.only.some((p) => s.id.startsWith(p))) : scenarios;
  const steps = selected.length * config.hops.length + (config.pairedRounds > 0 ? 1 : 0) + (config.floorCheckRounds > 0 && selected.some((s) => s.id.startsWith('nestoken-id-node')) ? 1 : 0) + (options.crate ? config.crateSizes.length : 0);
  process.stderr.write(`nestoken bench, ${config.profile} profile: ${selected.length} scenarios × hops ${config.hops.join(',')}\n`);
  const browser = options.browser ? { browser: (hops: number, rounds: number) => runBrowserBench({ hops, rounds, batch: 10 }) } : {};
  const results = await runBench({ config, scenarios, progress: stderrProgress(steps + (options.browser ? 1 : 0)), floorCheck: spawnFloorCheck, ...browser, ...(options.crate ? {} : { crate: null }) });

  if (options.write) {
    const out = options.outDir ?? DEFAULT_OUT;
    const files = await writeResults(results, out);
    process.stderr.write(`results in ${relative(process.cwd(), out) || '.'}/: ${files.join(', ')}\n`);
  }
  process.stdout.write(`\nHeadline at ${results.headline.hops} hops. ${results.headline.intro}\n${results.headline.lines.join('\n')}\n`);
  const b = results.browser;
  if (b?.available) {
    const form = (name: string, f: BrowserFormResults) => `${name} ${f.ratio!.median.toFixed(2)}x (interquartile ${f.ratio!.q1.toFixed(2)}-${f.ratio!.q3.toFixed(2)}, ${f.floor} the faster)`;
    const forms = [form('JWT', b), ...(b.cbor ? [form('CBOR', b.cbor)] : [])].join(', ');
    process.stdout.write(`- In headless Chromium, ${b.hops}-hop ID chain vs ${b.hops} bare Web Crypto verifies: ${forms}; target <= ${b.ratio!.target}x; Web Crypto backend ${b.webCryptoSpeedup!.toFixed(1)}x faster than portable (JWT).\n`);
  } else if (b) {
    process.stdout.write(`- Browser scenario not measured: ${b.reason}.\n`);
  }
  const largest = results.crate.points[results.crate.points.length - 1];
  if (largest) {
    const o = largest.operations;
    const t = (op: keyof typeof o) => (o[op] ? `${op} ${ms(o[op].medianMs)} ms` : `${op} failed`);
    process.stdout.write(`- Crate of ${largest.tokens} tokens, ${largest.keys ?? '?'} distinct keys (${largest.bytes === null ? '?' : bytes(largest.bytes)} B CAR): ${(['build', 'encode', 'decode', 'trim', 'merge', 'verify'] as const).map(t).join(', ')}.\n`);
  } else {
    process.stdout.write(`- Crate operations not measured: ${results.crate.reason}.\n`);
  }
  for (const f of results.failures) process.stdout.write(`- FAILED ${f.id}${f.at === undefined ? '' : ` at ${f.at}`}, ${f.operation}: ${f.reason}\n`);
  // The run finishes whatever fails; a failure of our own code is still a failing exit.
  if (results.failures.some((f) => f.ours)) return 1;
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : describeError(e)}\n`);
    process.exitCode = 1;
  },
);
