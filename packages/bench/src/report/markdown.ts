import type { BenchResults, ChainPoint, ChainRow, CrateOperation, CratePoint } from '../results.js';
import { CRATE_OPERATIONS } from '../scenarios/crate.js';
import { bytes, mib, ms, ratio, timing } from './format.js';
import { withSpread } from './headline.js';
import type { BrowserFormResults } from '../browser/run.js';

export interface ChartFiles {
  readonly size: string;
  readonly verify: string;
}

const table = (head: readonly string[], rows: readonly (readonly string[])[]): string[] => [
  `| ${head.join(' | ')} |`,
  `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
];

/** Verifier variants share a token: one row per scenario for size, issue and extend. */
const perScenario = (rows: readonly ChainRow[]) => rows.filter((r, i) => rows.findIndex((q) => q.scenario === r.scenario) === i);

const scenarioLabel = (row: ChainRow, all: readonly ChainRow[]) =>
  all.filter((r) => r.scenario === row.scenario).length > 1 ? row.label.replace(/ \([^)]*\)$/, '') : row.label;

function byHops(results: BenchResults, rows: readonly ChainRow[], cell: (p: ChainPoint) => string, label: (r: ChainRow) => string): string[] {
  const hops = results.config.hops;
  return table(
    ['system', ...hops.map((h) => `${h} hop${h === 1 ? '' : 's'}`)],
    rows.map((r) => [label(r), ...hops.map((h) => {
      const p = r.points.find((q) => q.hops === h);
      return p ? cell(p) : r.skipped.some((s) => s.hops === h) ? 'skipped' : '–';
    })]),
  );
}

const opt = (x: number | null): string => (x === null ? '–' : ratio(x));
const spread = (x: number | null, s: Parameters<typeof withSpread>[1]): string => (x === null ? '–' : withSpread(x, s));

/** The ID-mode target, decided twice: in a fresh process and in the long run; both verdicts shown. */
function targetTable(results: BenchResults): string[] {
  const h = results.headline;
  const verdict = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : '**not met**');
  const rows = (['Ed25519', 'ES256'] as const).flatMap((alg) => {
    const f = alg === 'Ed25519' ? h.idFastPathVsFloor : h.es256FastPathVsFloor;
    if (!f) return [];
    return [
      [`${alg}, fresh process`, spread(f.freshJwt, f.spreads?.freshJwt), spread(f.freshCbor, f.spreads?.freshCbor), verdict(f.metFresh ?? null)],
      [`${alg}, long run (main process)`, spread(f.jwt, f.spreads?.jwt), spread(f.cbor, f.spreads?.cbor), verdict(f.metLongRun ?? null)],
    ];
  });
  return [
    `ID-mode target: first-sight verify of a ${h.hops}-hop chain at most ${h.idFastPathVsFloor.target}× of ${h.hops} bare verifies of the layer algorithm, per form, by the median of the per-round ratios.`,
    '',
    ...table(['where', 'JWT form', 'CBOR form', 'target'], rows),
    '',
  ];
}

/** What threw during the run, each in the place its figures would have been; listed here too. */
function failureSection(results: BenchResults): string[] {
  const failures = results.failures ?? [];
  if (failures.length === 0) return [];
  return [
    '### Failures in this run',
    '',
    'The run went on past each of these; a failure of nestoken or the floor makes the run exit non-zero.',
    '',
    ...failures.map((f) => `- **${f.id}**${f.at === undefined ? '' : ` at ${f.at}`}, ${f.operation}: ${f.reason}`),
    '',
  ];
}

export function renderMarkdown(results: BenchResults, charts: ChartFiles): string {
  const m = results.machine;
  const c = results.config;
  const h = results.headline;
  const out: string[] = [
    `# nestoken bench: ${results.profile} run`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${mib(m.totalMemoryBytes)} RAM, ${m.os}, ${m.arch}; Node ${m.node} (V8 ${m.v8}). Run started ${results.startedAt}, took ${(results.durationMs / 1000).toFixed(0)} s.`,
    '',
    `Packages: ${Object.entries(m.packages).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    '',
    `Method: every figure is measured in this one run. Each operation is called at least ${c.warmup} times and for at least ${c.warmupMs} ms to warm up, then timed in ${c.samples} samples (fewer, but at least 3, when an operation would take more than ${c.budgetMs / 1000} s in all); a sample repeats the call until at least ${c.minSampleMs} ms have passed. Cells show the median per call in milliseconds and, in parentheses, the 10th-90th percentile of the samples. Absolute times belong to this machine; compare ratios.`,
    '',
    ...(results.paired
      ? [
          `The headline's verify figures come from a separate interleaved phase at ${results.paired.hops} hops: ${results.paired.rounds} rounds, each timing one sample of every system in rotating order (a sample repeats the call for at least ${c.pairedMinSampleMs ?? c.minSampleMs} ms), so that load from other processes hits all systems alike; a ratio is the median of the per-round ratios, a time the median of the rounds.`,
          '',
        ]
      : []),
    ...(results.floorCheck
      ? [
          `The ID-mode targets (at most ${h.idFastPathVsFloor.target}× of ${h.hops} bare verifies for Ed25519 layers, ${h.es256FastPathVsFloor.target}× for ES256 layers) is also checked in a fresh child process that runs only the ID-mode fast-path verifiers (Ed25519 and ES256 layers, each against the bare verifies of its own algorithm) and the floors, interleaved over ${results.floorCheck.rounds} rounds after a long warm-up: in the main process the same V8 isolate has also run jose, Biscuit's wasm, noble and the crates, which slows JavaScript (JIT and heap state) but not the floor's native calls. Both figures are given, and a target is met only when it holds in both.`,
          '',
        ]
      : []),
    `## Headline at ${h.hops} hops`,
    '',
    h.intro,
    '',
    ...h.lines,
    '',
    `Verify ratios are medians of the per-round ratios, with their 10th-90th percentile in parentheses${h.interleaved ? '' : ' (none here: these come from the sweep, as ratios of medians)'}.`,
    '',
    ...table(
      ['nestoken', 'bytes', '× nested JWT', '× Biscuit', 'verify ms', '× nested JWT', '× hash-linked JWT list', '× Biscuit (signatures)', '× Biscuit (+ authorizer)', `× ${h.hops} bare verifies (Ed25519, or ES256 for ES256 rows)`],
      h.rows.map((r) => [
        r.label,
        r.bytes === null ? '–' : bytes(r.bytes),
        opt(r.sizeVsNestedJwt),
        opt(r.sizeVsBiscuit),
        ms(r.verifyMs),
        spread(r.verifyVsNestedJwt, r.spreads.verifyVsNestedJwt),
        spread(r.verifyVsJwtList, r.spreads.verifyVsJwtList),
        spread(r.verifyVsBiscuitSignatures, r.spreads.verifyVsBiscuitSignatures),
        spread(r.verifyVsBiscuitAuthorized, r.spreads.verifyVsBiscuitAuthorized),
        spread(r.verifyVsFloor, r.spreads.verifyVsFloor),
      ]),
    ),
    '',
    ...targetTable(results),
    ...failureSection(results),
    '',
    `![Token size vs hops](${charts.size})`,
    '',
    `![Verify time vs hops](${charts.verify})`,
    '',
    '## Token size (bytes on the wire)',
    '',
    ...byHops(results, perScenario(results.chains).filter((r) => r.points.some((p) => p.bytes !== null)), (p) => (p.bytes === null ? '–' : bytes(p.bytes)), (r) => scenarioLabel(r, results.chains)),
    '',
    '## Verify the whole chain (ms)',
    '',
    ...byHops(results, results.chains, (p) => timing(p.verify), (r) => r.label),
    '',
    '## Extend by one hop (ms): decode the n-hop token, add a hop, encode',
    '',
    ...byHops(results, perScenario(results.chains).filter((r) => r.points.some((p) => p.extend)), (p) => timing(p.extend), (r) => scenarioLabel(r, results.chains)),
    '',
    '## Issue an n-hop token from nothing (ms): root plus n-1 extensions, encoded once',
    '',
    ...byHops(results, perScenario(results.chains).filter((r) => r.points.some((p) => p.issue)), (p) => timing(p.issue), (r) => scenarioLabel(r, results.chains)),
    '',
    '## Crate operations (ms)',
    '',
    ...crateSection(results),
    '',
    '## In the browser: ID chain vs bare Web Crypto (ms)',
    '',
    ...browserSection(results),
    '',
    '## Peak memory per scenario group',
    '',
    'Sampled after every timing sample (RSS and V8 heap in use); the last column is the process-wide getrusage maximum when the group ended, which only grows.',
    '',
    ...table(
      ['group', 'peak RSS', 'peak heap used', 'heap at start', 'process max RSS so far'],
      Object.entries(results.memory).map(([g, p]) => [g, mib(p.peakRssBytes), mib(p.peakHeapUsedBytes), mib(p.baselineHeapUsedBytes), mib(p.processMaxRssBytes)]),
    ),
    '',
    '## What each row is',
    '',
    ...rowNotes(results.chains),
    '',
  ];
  return out.join('\n');
}

/** One line per distinct note: JWT and CBOR rows of one mode share theirs. */
function rowNotes(chains: readonly ChainRow[]): string[] {
  const byNote = new Map<string, string[]>();
  for (const r of perScenario(chains)) {
    const skipped = r.skipped.length ? ` Not measured at ${r.skipped.map((s) => s.hops).join(', ')} hops: ${r.skipped[0]!.reason}.` : '';
    const note = `${r.note ?? ''}.${skipped}`;
    byNote.set(note, [...(byNote.get(note) ?? []), scenarioLabel(r, chains)]);
  }
  return [...byNote].map(([note, labels]) => `- **${labels.join('**, **')}**: ${note}`);
}

function crateSection(results: BenchResults): string[] {
  const cr = results.crate;
  if (!cr.available) return [`Not measured: ${cr.reason ?? 'unknown reason'}.`];
  const ops = CRATE_OPERATIONS.filter((op) => cr.points.some((p) => op in p.operations));
  const cell = (p: CratePoint, op: CrateOperation) => {
    const failed = p.failed?.[op] ?? p.failed?.prepare;
    return failed ? failed : timing(p.operations[op]);
  };
  return [
    ...(cr.note ? [cr.note, ''] : []),
    ...table(
      ['tokens', 'distinct keys', 'crate bytes', ...ops],
      cr.points.map((p) => [String(p.tokens), p.keys === null || p.keys === undefined ? '–' : String(p.keys), p.bytes === null ? '–' : bytes(p.bytes), ...ops.map((op) => cell(p, op))]),
    ),
  ];
}

function browserSection(results: BenchResults): string[] {
  const b = results.browser;
  if (!b) return ['Not run (no Chromium, or --no-browser).'];
  if (!b.available) return [`Not measured: ${b.reason ?? 'unknown reason'}.`];
  const spread = (x: { q1: number; q3: number; p10: number; p90: number }) => `interquartile ${ratio(x.q1)}-${ratio(x.q3)}, 10th-90th percentile ${ratio(x.p10)}-${ratio(x.p90)}`;
  const floorName = (f: 'concurrent' | 'sequential') => (f === 'concurrent' ? 'all started at once' : 'one after another');
  // Results from before the CBOR form was measured hold the JWT form alone, at the top level.
  const forms: Array<[string, BrowserFormResults]> = [['JWT', b], ...(b.cbor ? [['CBOR', b.cbor] as [string, BrowserFormResults]] : [])];
  const formSection = ([name, f]: [string, BrowserFormResults]): string[] => {
    const r = f.ratio!;
    const o = f.ratioOther!;
    const other = f.floor === 'concurrent' ? 'sequential' : 'concurrent';
    return [
      `**${name} form** (${bytes(f.tokenBytes)} B):`,
      '',
      ...table(
        ['', 'Web Crypto backend', 'portable backend (noble)'],
        [
          [`verify the ${b.hops}-hop chain`, timing(f.chainWebCrypto!), timing(f.chainPortable!)],
          [`verify it again (signatures remembered)`, timing(f.chainSeenWebCrypto!), ''],
          [`${b.hops} bare verifies, all started at once`, timing(f.bareWebCrypto!), timing(f.barePortable!)],
          [`${b.hops} bare verifies, one after another`, timing(f.bareSequentialWebCrypto!), ''],
        ],
      ),
      '',
      `Chain / bare (Web Crypto), against the faster bare way (${floorName(f.floor!)}), median of the per-round ratios: **${ratio(r.median)}** (${spread(r)}); target at most ${r.target}×: ${r.median <= r.target ? 'met' : 'not met'}. ` +
        `Against the bare verifies ${floorName(other)}: ${ratio(o.median)} (${spread(o)}). The Web Crypto backend verifies the chain ${ratio(f.webCryptoSpeedup!)} faster than the portable one.`,
      '',
    ];
  };
  return [
    `Headless Chromium (${b.userAgent}), core's browser entry bundled by package name. For each token form, ${b.rounds} paired rounds, each on ${b.chainWebCrypto!.batch} chains the page has not verified before (every layer in the form's format, the claims of the Node scenario): verify each ${b.hops}-hop ID chain, and check the same ${b.hops} signatures with bare \`crypto.subtle.verify\` calls, keys imported beforehand, all started at once and one after another; the order turns each round. ` +
      `Then the same chains are verified again: core remembers valid signatures, so that row is the work around the crypto. ` +
      `Web Crypto backend ${b.webCrypto ? 'active (probe passed)' : 'NOT active: the page ran the portable code'}. Cells: median (10th-90th percentile).`,
    '',
    ...forms.flatMap(formSection),
  ];
}
