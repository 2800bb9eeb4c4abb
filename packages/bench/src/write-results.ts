import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sizeChart, verifyChart } from './report/charts.js';
import { renderMarkdown } from './report/markdown.js';
import type { BenchResults } from './results.js';

/** Writes `<profile>.json`, `.md` and the two charts into `dir`; returns the file names. */
export async function writeResults(results: BenchResults, dir: string): Promise<string[]> {
  const p = results.profile;
  const files = { json: `${p}.json`, md: `${p}.md`, size: `${p}-size.svg`, verify: `${p}-verify.svg` };
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, files.json), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(dir, files.md), renderMarkdown(results, { size: files.size, verify: files.verify }));
  await writeFile(join(dir, files.size), sizeChart(results));
  await writeFile(join(dir, files.verify), verifyChart(results));
  return Object.values(files);
}
