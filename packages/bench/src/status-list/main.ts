#!/usr/bin/env node
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROFILES } from '../config.js';
import { machineInfo } from '../machine.js';
import { bytes, ratio, timing } from '../report/format.js';
import { runStatusListBench, type StatusListBenchResults } from './scenario.js';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'results');

function markdown(r: StatusListBenchResults): string {
  const lines = [
    '# Status lists at issuer scale',
    '',
    `${r.lists[0]!.entries.toLocaleString('en-US')} entries, ${r.lists[0]!.banned.toLocaleString('en-US')} of them not VALID (scattered). Times in ms: median (p10–p90).`,
    'build+sign: create the list, set the entries, compress (level 9), sign a JWT; decode: verify the token, then inflate; fetch+decode: the same after a GET on 127.0.0.1.',
    '',
    '| bits | zlib | compressed B | token B | build+sign | decode | fetch+decode |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const l of r.lists) {
    for (const b of l.backends) lines.push(`| ${l.bits} | ${b.backend} | ${bytes(b.compressedBytes)} | ${bytes(b.tokenBytes)} | ${timing(b.buildSign)} | ${timing(b.decode)} | ${timing(b.fetchDecode)} |`);
  }
  lines.push('', '| bits | one lookup (µs) |', '|---|---|');
  for (const l of r.lists) lines.push(`| ${l.bits} | ${(l.lookup.medianMs * 1000).toFixed(3)} (${(l.lookup.p10Ms * 1000).toFixed(3)}–${(l.lookup.p90Ms * 1000).toFixed(3)}) |`);
  const c = r.chain;
  lines.push('', `Verify of a ${c.hops}-hop ID-mode chain, every layer referencing the ${c.bits}-bit list (cached): without status ${timing(c.verify)} ms, with status ${timing(c.verifyWithStatus)} ms; ratio with/without per interleaved round (${c.rounds} rounds) ${ratio(c.ratio.median)} (${ratio(c.ratio.p10)}–${ratio(c.ratio.p90)}).`, '');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const full = process.argv.includes('--full');
  const config = full ? PROFILES.full : PROFILES.quick;
  const results = await runStatusListBench({ ...config, samples: Math.min(config.samples, 15) }, (step) => process.stderr.write(`${step}\n`));
  const report = { ...results, profile: config.profile, startedAt: new Date().toISOString(), machine: machineInfo() };
  await mkdir(OUT, { recursive: true });
  await writeFile(join(OUT, 'status-list.json'), `${JSON.stringify(report, null, 2)}\n`);
  const md = markdown(results);
  await writeFile(join(OUT, 'status-list.md'), md);
  process.stdout.write(md);
}

main().catch((e: unknown) => {
  process.stderr.write(`status list bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
