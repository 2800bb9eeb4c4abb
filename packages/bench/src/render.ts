#!/usr/bin/env node
/**
 * Re-renders a results JSON (headline, Markdown, charts) without measuring again, after a
 * change to the report code: `node packages/bench/dist/render.js packages/bench/results/quick.json`.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { headlineHopsOf } from './config.js';
import { computeHeadline } from './report/headline.js';
import type { BenchResults } from './results.js';
import { writeResults } from './write-results.js';

const [file] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: render RESULTS.json\n');
  process.exitCode = 2;
} else {
  const stored = JSON.parse(await readFile(file, 'utf8')) as BenchResults;
  const results: BenchResults = { ...stored, headline: computeHeadline(stored.chains, headlineHopsOf(stored.config), stored.paired, stored.floorCheck) };
  const written = await writeResults(results, dirname(file));
  process.stderr.write(`rewrote ${written.join(', ')} in ${dirname(file)}\n`);
}
