#!/usr/bin/env node
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, UsageError, USAGE } from './cli-args.js';
import { spawnFloorCheck } from './floor-check-spawn.js';
import { runBench } from './harness.js';
import { stderrProgress } from './progress.js';
import { sizeChart, verifyChart } from './report/charts.js';
import { bytes, ms } from './report/format.js';
import { renderMarkdown } from './report/markdown.js';
import { allChainScenarios } from './scenarios/index.js';

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
  const steps = selected.length * config.hops.length + (config.pairedRounds > 0 ? 1 : 0) + (config.floorCheckRounds > 0 ? 1 : 0) + (options.crate ? config.crateSizes.length : 0);
  process.stderr.write(`nestoken bench, ${config.profile} profile: ${selected.length} scenarios × hops ${config.hops.join(',')}\n`);
  const results = await runBench({ config, scenarios, progress: stderrProgress(steps), floorCheck: spawnFloorCheck, ...(options.crate ? {} : { crate: null }) });

  if (options.write) {
    const out = options.outDir ?? DEFAULT_OUT;
    await mkdir(out, { recursive: true });
    const files = { json: `${config.profile}.json`, md: `${config.profile}.md`, size: `${config.profile}-size.svg`, verify: `${config.profile}-verify.svg` };
    await writeFile(join(out, files.json), `${JSON.stringify(results, null, 2)}\n`);
    await writeFile(join(out, files.md), renderMarkdown(results, { size: files.size, verify: files.verify }));
    await writeFile(join(out, files.size), sizeChart(results));
    await writeFile(join(out, files.verify), verifyChart(results));
    process.stderr.write(`results in ${relative(process.cwd(), out) || '.'}/: ${Object.values(files).join(', ')}\n`);
  }
  process.stdout.write(`\n${results.headline.lines.join('\n')}\n`);
  const largest = results.crate.points[results.crate.points.length - 1];
  if (largest) {
    const o = largest.operations;
    process.stdout.write(`- Crate of ${largest.tokens} tokens (${bytes(largest.bytes)} B CAR): build ${ms(o.build.medianMs)} ms, trim ${ms(o.trim.medianMs)} ms, merge ${ms(o.merge.medianMs)} ms, verify ${ms(o.verify.medianMs)} ms.\n`);
  } else {
    process.stdout.write(`- Crate operations not measured: ${results.crate.reason}.\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
