import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { quantile } from '../stats.js';
import type { ColdStartFiles } from './fixtures.js';

/** One command line, started cold again and again. */
export interface ColdCommand {
  readonly id: string;
  readonly label: string;
  readonly argv: readonly string[];
}

export interface Spread {
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
}

export interface ColdStartRow {
  readonly id: string;
  readonly label: string;
  /** Wall time of one start, ms. */
  readonly wallMs: Spread;
  /** User + system CPU of one start, ms (from /usr/bin/time, 10 ms resolution); null without it. */
  readonly cpuMs: Spread | null;
  /** Per round: this command's wall time / the bare `node` start's in the same round. */
  readonly vsBareNode: Spread;
}

export interface ColdStartResults {
  readonly rounds: number;
  readonly node: string;
  readonly rows: readonly ColdStartRow[];
}

const TIME = '/usr/bin/time';

/** The commands of one checkout (`root`): its Node entry imported bare, `nestoken --version`, `nestoken verify` of a 4-hop chain. */
export function checkoutCommands(root: string, tag: string, files: ColdStartFiles): ColdCommand[] {
  const cli = join(root, 'packages/cli/bin/nestoken.js');
  const core = pathToFileURL(join(root, 'packages/core/dist/index.node.js')).href;
  return [
    { id: `${tag}:import-core`, label: `${tag}: import @nestoken/core (Node entry)`, argv: [process.execPath, '--input-type=module', '-e', `await import(${JSON.stringify(core)})`] },
    { id: `${tag}:version`, label: `${tag}: nestoken --version`, argv: [process.execPath, cli, '--version'] },
    {
      id: `${tag}:verify`,
      label: `${tag}: nestoken verify (4-hop ID chain, JWT form)`,
      argv: [process.execPath, cli, 'verify', '--trust', files.trust, '--in', files.token, '--audience', files.audience, '--now', String(files.now)],
    },
  ];
}

export const BARE_NODE: ColdCommand = { id: 'node', label: 'node -e 0 (bare start)', argv: [process.execPath, '-e', '0'] };

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number | null;
}

function runOnce(c: ColdCommand, useTime: boolean): Sample {
  const argv = useTime ? [TIME, '-f', '%U %S', ...c.argv] : [...c.argv];
  const start = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  const wallMs = performance.now() - start;
  if (r.status !== 0) throw new Error(`${c.label} exited ${String(r.status)}: ${(r.stderr ?? '').slice(0, 300)}`);
  if (!useTime) return { wallMs, cpuMs: null };
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [user, sys] = last.split(' ').map(Number);
  return { wallMs, cpuMs: user !== undefined && sys !== undefined && Number.isFinite(user + sys) ? (user + sys) * 1000 : null };
}

const spread = (xs: readonly number[]): Spread => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p10: quantile(s, 0.1), p90: quantile(s, 0.9) };
};

/**
 * Starts every command once per round, in an order that rotates from round to round, so load
 * from other processes falls on all of them alike; a command's cost is given as the median of
 * its per-round ratios to a bare `node` start, with the 10th-90th percentile of those ratios.
 */
export function runColdStart(commands: readonly ColdCommand[], rounds: number, onRound?: (r: number) => void): ColdStartResults {
  const all = [BARE_NODE, ...commands];
  const useTime = existsSync(TIME);
  for (const c of all) runOnce(c, false); // disk caches warm, and every command known to work
  const samples = new Map<string, Sample[]>(all.map((c) => [c.id, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < all.length; k++) {
      const c = all[(k + r) % all.length]!;
      samples.get(c.id)!.push(runOnce(c, useTime));
    }
    onRound?.(r);
  }
  const bare = samples.get(BARE_NODE.id)!;
  const rows = all.map((c): ColdStartRow => {
    const s = samples.get(c.id)!;
    const cpu = s.map((x) => x.cpuMs).filter((x): x is number => x !== null);
    return {
      id: c.id,
      label: c.label,
      wallMs: spread(s.map((x) => x.wallMs)),
      cpuMs: cpu.length === s.length ? spread(cpu) : null,
      vsBareNode: spread(s.map((x, i) => x.wallMs / bare[i]!.wallMs)),
    };
  });
  return { rounds, node: process.version, rows };
}
