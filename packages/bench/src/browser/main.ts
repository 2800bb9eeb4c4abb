#!/usr/bin/env node
import { mkdirSync, writeFileSync } from 'node:fs';
import { ms, ratio } from '../report/format.js';
import type { TimingStats } from '../stats.js';
import { profileBrowserVerify, runBrowserBench, type BrowserFormResults } from './run.js';

/**
 * The browser scenario alone (`npm run bench:browser -- --rounds N --hops N --batch N --json FILE`):
 * the full bench runs it last, after minutes of Node scenarios; this is for working on it.
 * `--profile DIR` instead writes a CPU profile per form of the page verifying fresh chains.
 */
const USAGE = 'usage: node packages/bench/dist/browser/main.js [--rounds N] [--hops N] [--batch N] [--json FILE] [--profile DIR [--count N]]';

interface Options {
  rounds: number;
  hops: number;
  batch: number;
  count: number;
  json?: string;
  profile?: string;
}

function parse(argv: readonly string[]): Options {
  const out: Options = { rounds: 61, hops: 16, batch: 10, count: 400 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(USAGE);
    if (flag === '--json' || flag === '--profile') out[flag.slice(2) as 'json' | 'profile'] = value;
    else if (flag === '--rounds' || flag === '--hops' || flag === '--batch' || flag === '--count') {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${flag} takes a whole number ≥ 1\n${USAGE}`);
      out[flag.slice(2) as 'rounds' | 'hops' | 'batch' | 'count'] = n;
    } else throw new Error(USAGE);
  }
  return out;
}

const cell = (s: TimingStats | null) => (s ? `${ms(s.medianMs)} ms (${ms(s.p10Ms)}-${ms(s.p90Ms)})` : 'n/a');

function formLines(f: BrowserFormResults, name: string): string[] {
  const r = f.ratio!;
  const o = f.ratioOther!;
  return [
    `${name} form (${f.tokenBytes} B):`,
    `  chain, fresh:           ${cell(f.chainWebCrypto)}`,
    `  chain, seen before:     ${cell(f.chainSeenWebCrypto)}`,
    `  bare, all at once:      ${cell(f.bareWebCrypto)}`,
    `  bare, one after other:  ${cell(f.bareSequentialWebCrypto)}`,
    `  portable chain / bare:  ${cell(f.chainPortable)} / ${cell(f.barePortable)}`,
    `  chain / bare (${f.floor}, the faster): median ${ratio(r.median)}, interquartile ${ratio(r.q1)}-${ratio(r.q3)}, 10th-90th ${ratio(r.p10)}-${ratio(r.p90)}; target ≤ ${r.target}×: ${r.median <= r.target ? 'met' : 'not met'}`,
    `  chain / bare (the other way):       median ${ratio(o.median)}, interquartile ${ratio(o.q1)}-${ratio(o.q3)}`,
    `  Web Crypto chain ${ratio(f.webCryptoSpeedup!)} faster than portable`,
  ];
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  if (options.profile !== undefined) {
    mkdirSync(options.profile, { recursive: true });
    for (const p of await profileBrowserVerify({ hops: options.hops, count: options.count, outDir: options.profile })) {
      process.stdout.write(`${p.form}: ${ms(p.msPerChain)} ms per chain while profiled; node packages/bench/dist/profile-summary.js ${p.file}\n`);
    }
    return;
  }
  const b = await runBrowserBench(options);
  if (options.json) writeFileSync(options.json, `${JSON.stringify(b, null, 2)}\n`);
  if (!b.available) {
    process.stdout.write(`browser scenario not measured: ${b.reason}\n`);
    return;
  }
  process.stdout.write(
    [
      `${b.userAgent}; Web Crypto backend ${b.webCrypto ? 'active' : 'NOT active'}; clock ${b.isolated ? 'µs (isolated)' : '0.1 ms'}; ${b.rounds} rounds × ${options.batch} fresh ${b.hops}-hop chains per form`,
      ...formLines(b, 'JWT'),
      ...(b.cbor ? formLines(b.cbor, 'CBOR') : []),
      '',
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
