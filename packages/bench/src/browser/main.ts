#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { ms, ratio } from '../report/format.js';
import type { TimingStats } from '../stats.js';
import { runBrowserBench } from './run.js';

/**
 * The browser scenario alone (`npm run bench:browser -- --rounds N --hops N --batch N --json FILE`):
 * the full bench runs it last, after minutes of Node scenarios; this is for working on it.
 */
const USAGE = 'usage: node packages/bench/dist/browser/main.js [--rounds N] [--hops N] [--batch N] [--json FILE]';

function parse(argv: readonly string[]): { rounds: number; hops: number; batch: number; json?: string } {
  const out: { rounds: number; hops: number; batch: number; json?: string } = { rounds: 61, hops: 16, batch: 10 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(USAGE);
    if (flag === '--json') out.json = value;
    else if (flag === '--rounds' || flag === '--hops' || flag === '--batch') {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${flag} takes a whole number ≥ 1\n${USAGE}`);
      out[flag.slice(2) as 'rounds' | 'hops' | 'batch'] = n;
    } else throw new Error(USAGE);
  }
  return out;
}

const cell = (s: TimingStats | null) => (s ? `${ms(s.medianMs)} ms (${ms(s.p10Ms)}-${ms(s.p90Ms)})` : 'n/a');

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const b = await runBrowserBench(options);
  if (options.json) writeFileSync(options.json, `${JSON.stringify(b, null, 2)}\n`);
  if (!b.available) {
    process.stdout.write(`browser scenario not measured: ${b.reason}\n`);
    return;
  }
  const r = b.ratio!;
  const o = b.ratioOther!;
  process.stdout.write(
    [
      `${b.userAgent}; Web Crypto backend ${b.webCrypto ? 'active' : 'NOT active'}; clock ${b.isolated ? 'µs (isolated)' : '0.1 ms'}; ${b.rounds} rounds × ${options.batch} fresh ${b.hops}-hop chains (${b.tokenBytes} B)`,
      `chain, fresh:           ${cell(b.chainWebCrypto)}`,
      `chain, seen before:     ${cell(b.chainSeenWebCrypto)}`,
      `bare, all at once:      ${cell(b.bareWebCrypto)}`,
      `bare, one after other:  ${cell(b.bareSequentialWebCrypto)}`,
      `portable chain / bare:  ${cell(b.chainPortable)} / ${cell(b.barePortable)}`,
      `chain / bare (${b.floor}, the faster): median ${ratio(r.median)}, interquartile ${ratio(r.q1)}-${ratio(r.q3)}, 10th-90th ${ratio(r.p10)}-${ratio(r.p90)}; target ≤ ${r.target}×: ${r.median <= r.target ? 'met' : 'not met'}`,
      `chain / bare (the other way):       median ${ratio(o.median)}, interquartile ${ratio(o.q1)}-${ratio(o.q3)}`,
      `Web Crypto chain ${ratio(b.webCryptoSpeedup!)} faster than portable`,
      '',
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
