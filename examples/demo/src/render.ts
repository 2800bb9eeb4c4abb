import { NESTOKEN_CRATE_HEADER, NESTOKEN_HEADER, WORKLOAD_IDENTITY_TOKEN_HEADER } from '@nestoken/http';
import type { LeafReport } from './leaf.js';
import type { Outcome } from './outcome.js';
import type { DemoResult } from './run.js';
import { route } from './runs.js';
import type { Captured } from './tap.js';
import { ISSUER, nameOf, TRUST_DOMAIN, type World } from './world.js';

const pad = (s: string, n: number): string => s.padEnd(n);
const MODE: Record<string, string> = { id: 'ID mode', anon: 'anonymous mode', hybrid: 'hybrid mode' };
const VIA: Record<string, string> = { 'trust-bundle': 'trust bundle', 'identity-document': 'identity document (WIT)', anonymous: 'anonymous' };

function parties(world: World): string[] {
  const w = world.workloads;
  const rows: Array<[string, string, string]> = [
    ['issuer', ISSUER, 'access tokens; trades them for root layers'],
    ['gateway', w.gateway.identity, 'entry point, sees the access token'],
    ['foo', w.foo.identity, 'middle hop'],
    ['bar', w.bar.identity, 'leaf: proves the whole path'],
    ['partner', w.partner.identity, 'third party, outside the trust domain'],
  ];
  return rows.map(([name, id, role]) => `  ${pad(name, 8)} ${pad(id, 32)} ${role}`);
}

function provenPath(world: World, report: LeafReport): string[] {
  const lines = [`  ${pad('hop', 4)} ${pad('signer', 32)} ${pad('key vouched for by', 24)} handed to`];
  report.hops.forEach((h, i) => lines.push(`  ${pad(String(i), 4)} ${pad(h.identity, 32)} ${pad(VIA[h.via] ?? h.via, 24)} ${nameOf(world, h.audienceKey)}`));
  return lines;
}

function crateLines(world: World, report: LeafReport): string[] {
  const crate = report.crate;
  if (!crate) return ['crate: none arrived'];
  const lines = [
    `crate beside the token: ${crate.nodes} nodes, ${crate.bytes} bytes, root named by hop ${crate.boundBy} (${nameOf(world, report.hops[crate.boundBy]?.identity)})`,
    `  root ${crate.root}`,
  ];
  for (const t of crate.tokens) {
    const by = crate.attestations.filter((a) => a.subjects.includes(t.cid)).map((a) => nameOf(world, a.attester));
    lines.push(`  ${t.bucket}: ${t.role ?? t.format} (${t.format}, ${t.bytes} bytes), attested by ${by.join(', ') || 'nobody'}`);
  }
  lines.push('crate picture (Mermaid, from @nestoken/crate graph()):');
  for (const l of crate.graph.trimEnd().split('\n')) lines.push(`  ${l}`);
  return lines;
}

/** How big the headers of the last call were: the cost of carrying the evidence. */
function wireLine(captured: Captured | undefined): string {
  const size = (name: string) => `${name} ${captured?.headers[name.toLowerCase()]?.length ?? 0}`;
  return `on the wire, foo -> bar (characters): ${[NESTOKEN_HEADER, NESTOKEN_CRATE_HEADER, WORKLOAD_IDENTITY_TOKEN_HEADER].map(size).join(', ')}`;
}

function outcomeLines(outcomes: readonly Outcome[]): string[] {
  const width = Math.max(...outcomes.map((o) => o.name.length));
  return outcomes.map((o) => `  ${o.ok ? 'ok  ' : 'FAIL'}  ${pad(o.name, width)}  ${o.text}`);
}

/** The demo's whole output, for a person: short, aligned, no stack traces. */
export function render(result: DemoResult): string[] {
  const { world, main, outcomes } = result;
  const passed = outcomes.filter((o) => o.ok).length;
  const lines = [
    'nestoken demo: chain of custody over real HTTP on 127.0.0.1 (ephemeral ports)',
    `trust bundle: a WIT issuer for the trust domain ${TRUST_DOMAIN} (use wit-svid) and the token issuer's key`,
    ...parties(world),
    '',
    'client -> gateway: POST /orders, Authorization: Bearer <access token from the issuer>',
  ];
  if (main.report) {
    const caller = nameOf(world, main.report.caller);
    lines.push(`bar proved: ${route(world, main.report)} (${MODE[main.report.mode]}); caller ${caller}, per its Workload-Identity-Token`);
    lines.push(...provenPath(world, main.report), ...crateLines(world, main.report), wireLine(main.fromFoo));
  } else {
    lines.push(`the request failed: ${JSON.stringify(main.answer.body)}`);
  }
  lines.push('', 'outcomes:', ...outcomeLines(outcomes), '', `demo: ${passed}/${outcomes.length} outcomes as expected`);
  return lines;
}
