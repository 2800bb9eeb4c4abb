#!/usr/bin/env node
import { fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drive, type LoadResult } from './load.js';
import { requestPool } from './requests.js';
import { SERVERS, type ServerName } from './servers.js';
import { benchWorld } from './world.js';

/**
 * The HTTP scenario: servers on 127.0.0.1 (no auth; one JWT checked with jose; nestoken,
 * 3 hops with WITs and a WPT, one flow and a new chain per request; one flow with a crate), driven by autocannon at three
 * concurrencies, each run bounded by a request count and a timeout, repeated so the spread
 * shows. Only loopback traffic.
 */
const here = dirname(fileURLToPath(import.meta.url));
const CONCURRENCY = [1, 16, 64];
const ROUNDS = Number(process.env.NESTOKEN_HTTP_ROUNDS ?? 4);
const REQUESTS: Record<ServerName, number> = { none: 3000, jose: 3000, nestoken: 1500, 'nestoken-fresh': 1000, 'nestoken-crate': 1500 };

/** A run, with the CPU each request cost the server process and the load generator (µs). */
interface Run extends LoadResult {
  readonly serverCpuUs: number;
  readonly clientCpuUs: number;
}

interface Row {
  readonly server: ServerName;
  readonly connections: number;
  readonly runs: readonly Run[];
}

const cpuMicros = (u: NodeJS.CpuUsage): number => u.user + u.system;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (x: number, d = 0): string => x.toFixed(d);

async function main(): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const child = fork(join(here, 'server-process.js'), [String(now)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ports = await new Promise<Record<ServerName, number>>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { ports: Record<ServerName, number> }).ports));
    child.once('exit', (code) => reject(new Error(`the server process exited (${code})`)));
  });
  const world = await benchWorld(now);
  const serverCpu = () =>
    new Promise<number>((resolve) => {
      child.once('message', (m) => resolve(cpuMicros((m as { cpu: NodeJS.CpuUsage }).cpu)));
      child.send('cpu');
    });
  const rows: Row[] = [];
  try {
    for (const connections of CONCURRENCY) {
      const runs = new Map<ServerName, Run[]>(SERVERS.map((s) => [s, []]));
      for (let r = 0; r < ROUNDS; r++) {
        // Servers alternate within a round, in reverse order every other round, so drift in the
        // machine's load touches them alike.
        for (const server of r % 2 === 0 ? SERVERS : [...SERVERS].reverse()) {
          const url = `http://127.0.0.1:${ports[server]}/orders`;
          // Made just before the run: a proof lives 30 s.
          const pool = await requestPool(server, world, url, REQUESTS[server], Math.floor(Date.now() / 1000));
          const serverBefore = await serverCpu();
          const clientBefore = process.cpuUsage();
          const result = await drive(`http://127.0.0.1:${ports[server]}`, pool, connections);
          const clientCpuUs = cpuMicros(process.cpuUsage(clientBefore)) / result.sent;
          const serverCpuUs = ((await serverCpu()) - serverBefore) / result.sent;
          if (result.non2xx > 0 || result.errors > 0) throw new Error(`${server} at ${connections}: ${result.non2xx} refused, ${result.errors} errors`);
          runs.get(server)!.push({ ...result, serverCpuUs, clientCpuUs });
          process.stderr.write('.');
        }
      }
      for (const server of SERVERS) rows.push({ server, connections, runs: runs.get(server)! });
    }
  } finally {
    child.send('stop');
  }
  process.stderr.write('\n');
  const lines = table(rows);
  process.stdout.write(`${lines.join('\n')}\n`);
  const out = join(here, '..', '..', 'results');
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'http.md'), `# HTTP bench\n\nOne run of \`npm run bench:http\` on ${new Date().toISOString().slice(0, 10)} (${ROUNDS} rounds per cell; median, with min-max).\n\n${LEGEND}\n\n${lines.join('\n')}\n`);
  await writeFile(join(out, 'http.json'), `${JSON.stringify({ now, rounds: ROUNDS, rows }, null, 2)}\n`);
}

/** What the rows and columns mean, written above the table. */
const LEGEND = [
  '- `nestoken`: 3 hops (issuer, gateway, foo) with WITs, and a new WPT per request, one flow: the same chain again, as a service sees',
  "  it from one caller; within a second its verification is reused, the proof is checked every time. `nestoken-fresh`: a new chain",
  '  per request, every layer verified (4 Ed25519 signatures against jose\'s 1). `nestoken-crate`: one flow with an attested crate.',
  '- Server CPU per request is measured in the server process; its ratio against jose is what each could serve on a core of its',
  '  own, which the load of a shared machine moves far less than requests/s. All servers run in one process with the same flags;',
  "  jose verifies through WebCrypto, whose work runs on libuv's thread pool, nestoken synchronously on the main thread.",
  '- The load generator (autocannon, in the parent process) must cost less CPU per request than the server, or it is the limit.',
].join('\n');

function table(rows: readonly Row[]): string[] {
  // CPU per request tells which side was the bottleneck: the load generator must cost less than the server.
  const lines = [
    '| server | connections | requests/s (median, min-max) | p99 ms (median) | vs jose (median, min-max) | server CPU µs/req | vs jose by server CPU (median, min-max) | load generator CPU µs/req |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const rps = row.runs.map((r) => r.requestsPerSecond);
    const jose = rows.find((r) => r.server === 'jose' && r.connections === row.connections)!.runs.map((r) => r.requestsPerSecond);
    // Ratios pair the runs of one round: the same moment of the machine.
    const ratios = rps.map((x, i) => x / jose[i]!);
    // Requests per second of server CPU, against jose's: what each server could serve on a core
    // of its own, which the load of a shared machine disturbs far less than requests/s.
    const joseCpu = rows.find((r) => r.server === 'jose' && r.connections === row.connections)!.runs.map((r) => r.serverCpuUs);
    const cpuRatios = row.runs.map((r, i) => joseCpu[i]! / r.serverCpuUs);
    lines.push(
      `| ${row.server} | ${row.connections} | ${round(median(rps))} (${round(Math.min(...rps))}-${round(Math.max(...rps))}) | ${round(median(row.runs.map((r) => r.p99Ms)), 1)} | ${round(median(ratios), 2)}x (${round(Math.min(...ratios), 2)}-${round(Math.max(...ratios), 2)}) | ${round(median(row.runs.map((r) => r.serverCpuUs)))} | ${round(median(cpuRatios), 2)}x (${round(Math.min(...cpuRatios), 2)}-${round(Math.max(...cpuRatios), 2)}) | ${round(median(row.runs.map((r) => r.clientCpuUs)))} |`,
    );
  }
  return lines;
}

main().catch((e: unknown) => {
  process.stderr.write(`http bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
