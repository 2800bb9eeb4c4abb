import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FloorCheck } from './floor-check.js';
import type { MeasureOptions } from './measure.js';
import type { PrepareContext } from './scenarios/first-sight.js';

const CLI = fileURLToPath(new URL('./floor-check-cli.js', import.meta.url));

/** Runs the floor check in a fresh node process (compiled entry next to this file). */
export function spawnFloorCheck(hops: number, rounds: number, opts: MeasureOptions, context: PrepareContext): Promise<FloorCheck> {
  const { onSample: _onSample, beforeSample: _beforeSample, ...plain } = opts;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, String(hops), String(rounds), JSON.stringify(plain), JSON.stringify(context)], { maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`floor check process failed: ${stderr.trim() || error.message}`));
      else resolve(JSON.parse(stdout) as FloorCheck);
    });
  });
}
