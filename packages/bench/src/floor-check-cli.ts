#!/usr/bin/env node
/** Child-process entry of the floor check: `floor-check-cli.js HOPS ROUNDS OPTIONS_JSON [CONTEXT_JSON]` prints a FloorCheck as JSON. */
import { floorCheck } from './floor-check.js';
import { minorGc } from './gc.js';
import type { MeasureOptions } from './measure.js';
import { DEFAULT_PREPARE_CONTEXT, type PrepareContext } from './scenarios/first-sight.js';

/** A fresh process has optimised nothing yet: warm up long enough for the JIT to settle. */
const FRESH_WARMUP_MS = 500;

const [hops = '16', rounds = '101', options = '{}', context] = process.argv.slice(2);
const given = JSON.parse(options) as MeasureOptions;
const opts: MeasureOptions = {
  ...given,
  warmupMs: Math.max(given.warmupMs, FRESH_WARMUP_MS),
  budgetMs: Math.max(given.budgetMs, 4 * FRESH_WARMUP_MS),
  beforeSample: minorGc,
};
floorCheck(Number(hops), Number(rounds), opts, context === undefined ? DEFAULT_PREPARE_CONTEXT : (JSON.parse(context) as PrepareContext)).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (e: unknown) => {
    process.stderr.write(`floor check failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
