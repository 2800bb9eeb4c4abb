#!/usr/bin/env node
/**
 * Cold start of the command line and of core's Node entry, against a bare `node` start:
 * `node packages/bench/dist/cold-start/main.js [--rounds N] [--root DIR[=TAG]]...`. Several
 * roots (checkouts, each built) are measured interleaved in one run, so a before/after
 * comparison shares the machine's load. Prints a Markdown table.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ms, ratio } from '../report/format.js';
import { writeColdStartFiles } from './fixtures.js';
import { checkoutCommands, runColdStart, type ColdStartResults, type Spread } from './run.js';

const THIS_CHECKOUT = resolve(fileURLToPath(import.meta.url), '../../../../..');

function parse(argv: readonly string[]): { rounds: number; roots: Array<{ dir: string; tag: string }> } {
  let rounds = 41;
  const roots: Array<{ dir: string; tag: string }> = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = argv[++i];
    if (v === undefined) throw new Error(`${a} needs a value`);
    if (a === '--rounds' && /^\d+$/.test(v) && Number(v) > 0) rounds = Number(v);
    else if (a === '--root') {
      const eq = v.indexOf('=');
      roots.push(eq > 0 ? { dir: resolve(v.slice(0, eq)), tag: v.slice(eq + 1) } : { dir: resolve(v), tag: v });
    } else throw new Error(`usage: cold-start/main.js [--rounds N] [--root DIR[=TAG]]... (unknown ${a})`);
  }
  return { rounds, roots: roots.length ? roots : [{ dir: THIS_CHECKOUT, tag: 'this checkout' }] };
}

const range = (s: Spread, f: (x: number) => string): string => `${f(s.median)} (${f(s.p10)}–${f(s.p90)})`;

export function coldStartTable(r: ColdStartResults): string {
  const lines = [
    `${r.rounds} interleaved rounds, Node ${r.node}. Cells: median (10th–90th percentile). "× bare node" is the median of per-round ratios to \`node -e 0\` started in the same round.`,
    '',
    '| command | wall ms | CPU ms (user+sys) | × bare node |',
    '|---|---:|---:|---:|',
    ...r.rows.map((row) => `| ${row.label} | ${range(row.wallMs, ms)} | ${row.cpuMs ? range(row.cpuMs, (x) => x.toFixed(0)) : '–'} | ${range(row.vsBareNode, ratio)} |`),
  ];
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const { rounds, roots } = parse(process.argv.slice(2));
  const files = await writeColdStartFiles();
  const commands = roots.flatMap((r) => checkoutCommands(r.dir, r.tag, files));
  const results = runColdStart(commands, rounds, (i) => process.stderr.write(`\rround ${i + 1}/${rounds}`));
  process.stderr.write('\n');
  process.stdout.write(coldStartTable(results));
}

main().catch((e: unknown) => {
  process.stderr.write(`cold start bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
