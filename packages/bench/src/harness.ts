import type { BrowserResults } from './browser/run.js';
import { headlineHopsOf, type BenchConfig } from './config.js';
import { minorGc } from './gc.js';
import type { FloorCheck } from './floor-check.js';
import { machineInfo } from './machine.js';
import { measure, type MeasureOptions, type Operation } from './measure.js';
import { MemoryTracker, type MemoryPeak } from './memory.js';
import { silentProgress, type Progress } from './progress.js';
import { failureReason, type RunFailure } from './failure.js';
import { rowId, runPaired, type PairedResults } from './paired.js';
import { computeHeadline } from './report/headline.js';
import type { BenchResults, ChainPoint, ChainRow, CrateResults } from './results.js';
import type { ChainScenario } from './scenario.js';
import { allChainScenarios } from './scenarios/index.js';
import { runCrateBench, type CrateBench } from './scenarios/crate.js';
import { nestokenCrateBench } from './scenarios/crate-nestoken.js';
import type { TimingStats } from './stats.js';
import type { PrepareContext } from './scenarios/first-sight.js';

const contextOf = (config: BenchConfig): PrepareContext => ({ firstSightSignatures: config.firstSightSignatures });

export interface RunOptions {
  readonly config: BenchConfig;
  /** Default: every chain scenario in the registry. */
  readonly scenarios?: readonly ChainScenario[];
  /** Default: the @nestoken/crate bench; `null` skips crates. */
  readonly crate?: CrateBench | null;
  readonly progress?: Progress;
  /** Runs the ID-vs-floor check in a fresh process; absent: not run (the smoke test). */
  readonly floorCheck?: (hops: number, rounds: number, opts: MeasureOptions, context: PrepareContext) => Promise<FloorCheck>;
  /** Runs the browser scenario (Chromium) at the headline hop count; absent: not run (the smoke test). */
  readonly browser?: (hops: number, rounds: number) => Promise<BrowserResults>;
}

const selected = (config: BenchConfig, scenarios: readonly ChainScenario[]) =>
  config.only.length === 0 ? scenarios : scenarios.filter((s) => config.only.some((p) => s.id.startsWith(p)));

function measureOptions(config: BenchConfig, memory: MemoryTracker): MeasureOptions {
  return {
    warmup: config.warmup,
    warmupMs: config.warmupMs,
    samples: config.samples,
    minSampleMs: config.minSampleMs,
    maxBatch: config.maxBatch,
    budgetMs: config.budgetMs,
    onSample: () => memory.sample(),
    beforeSample: minorGc,
  };
}

/** The interleaved phases sample longer (BenchConfig.pairedMinSampleMs). */
const pairedOptions = (config: BenchConfig, memory: MemoryTracker): MeasureOptions => ({ ...measureOptions(config, memory), minSampleMs: Math.max(config.minSampleMs, config.pairedMinSampleMs) });

interface Measured {
  readonly bytes: number | null;
  readonly issue: TimingStats | null;
  readonly extend: TimingStats | null;
  /** Per verifier: its timings, or why it failed. */
  readonly verify: ReadonlyMap<string, TimingStats | { readonly failed: string }>;
  readonly failures: readonly { readonly operation: string; readonly reason: string }[];
}

/** Times one operation; a throw becomes a recorded reason, whatever was thrown. */
async function attempt<T>(work: () => Promise<T>): Promise<T | { readonly failed: string }> {
  try {
    return await work();
  } catch (e) {
    return { failed: failureReason(e) };
  }
}

const isFailed = (x: unknown): x is { readonly failed: string } => typeof x === 'object' && x !== null && 'failed' in x;

async function measurePoint(scenario: ChainScenario, hops: number, opts: MeasureOptions, context: PrepareContext): Promise<Measured> {
  const prepared = await scenario.prepare(hops, context);
  try {
    const failures: Array<{ operation: string; reason: string }> = [];
    // Verify first: it is the headline. Each verifier is checked once before it is timed, and fails alone.
    const verify = new Map<string, TimingStats | { readonly failed: string }>();
    for (const v of scenario.verifiers) {
      const op = prepared.verify[v.id];
      const result = op ? await attempt(async () => (await op(), measure(op, opts))) : { failed: `failed: ${scenario.id} prepared no verifier ${v.id}` };
      verify.set(v.id, result);
      if (isFailed(result)) failures.push({ operation: `verify${scenario.verifiers.length > 1 ? ` (${v.id})` : ''}`, reason: result.failed });
    }
    const timed = async (name: string, op: Operation | undefined): Promise<TimingStats | null> => {
      if (!op) return null;
      const r = await attempt(() => measure(op, opts));
      if (!isFailed(r)) return r;
      failures.push({ operation: name, reason: r.failed });
      return null;
    };
    const issue = await timed('issue', prepared.issue);
    const extend = await timed('extend', prepared.extend);
    return { bytes: prepared.bytes ?? null, issue, extend, verify, failures };
  } finally {
    prepared.dispose?.();
  }
}

async function runScenario(scenario: ChainScenario, config: BenchConfig, memory: MemoryTracker, progress: Progress, failures: RunFailure[]): Promise<ChainRow[]> {
  const points: Array<{ hops: number; m: Measured }> = [];
  const skipped: Array<{ hops: number; reason: string }> = [];
  const ours = scenario.family !== 'peer';
  const record = (at: number | undefined, operation: string, reason: string) => failures.push({ id: scenario.id, ...(at === undefined ? {} : { at }), operation, reason, ours });
  const setUp = await attempt(async () => scenario.setup?.());
  if (isFailed(setUp)) record(undefined, 'setup', setUp.failed);
  try {
    for (const hops of config.hops) {
      progress.step(`${scenario.label}, ${hops} hop${hops === 1 ? '' : 's'}`);
      if (scenario.limit && hops > scenario.limit.maxHops) {
        skipped.push({ hops, reason: scenario.limit.reason });
        continue;
      }
      if (isFailed(setUp)) {
        skipped.push({ hops, reason: setUp.failed });
        continue;
      }
      // A failure (Biscuit's authorizer hitting its run limit on a loaded machine) is a result
      // of this run, recorded in its row: the run goes on, and ends non-zero if it was ours.
      const m = await attempt(() => measurePoint(scenario, hops, measureOptions(config, memory), contextOf(config)));
      if (isFailed(m)) {
        skipped.push({ hops, reason: m.failed });
        record(hops, 'prepare', m.failed);
        continue;
      }
      points.push({ hops, m });
      for (const f of m.failures) record(hops, f.operation, f.reason);
    }
  } finally {
    if (!isFailed(setUp)) {
      const down = await attempt(async () => scenario.teardown?.());
      if (isFailed(down)) record(undefined, 'teardown', down.failed);
    }
  }
  return scenario.verifiers.map(({ id: variant, label }) => {
    const measured = points.flatMap(({ hops, m }) => {
      const v = m.verify.get(variant)!;
      return isFailed(v) ? [] : [{ hops, m, v }];
    });
    const failedHere = points.flatMap(({ hops, m }) => {
      const v = m.verify.get(variant)!;
      return isFailed(v) ? [{ hops, reason: v.failed }] : [];
    });
    return {
      id: rowId(scenario, variant),
      scenario: scenario.id,
      variant,
      label: label ? `${scenario.label} (${label})` : scenario.label,
      sizeLabel: scenario.sizeLabel ?? scenario.label,
      family: scenario.family,
      group: scenario.group,
      note: scenario.note ?? null,
      points: measured.map(({ hops, m, v }): ChainPoint => ({ hops, bytes: m.bytes, issue: m.issue, extend: m.extend, verify: v })),
      skipped: [...skipped, ...failedHere].sort((a, b) => a.hops - b.hops),
    };
  });
}

/** Runs every selected scenario at every hop count, then crates; no files are written here. A failure anywhere is recorded, never the end of the run. */
export async function runBench(options: RunOptions): Promise<BenchResults> {
  const { config } = options;
  const progress = options.progress ?? silentProgress;
  const scenarios = selected(config, options.scenarios ?? allChainScenarios());
  const startedAt = new Date();
  const started = performance.now();
  const chains: ChainRow[] = [];
  const failures: RunFailure[] = [];
  const memory: Record<string, MemoryPeak> = {};
  const groups = [...new Set(scenarios.map((s) => s.group))];
  for (const group of groups) {
    const tracker = new MemoryTracker();
    for (const scenario of scenarios.filter((s) => s.group === group)) {
      chains.push(...(await runScenario(scenario, config, tracker, progress, failures)));
    }
    memory[group] = tracker.finish();
  }
  let paired: PairedResults | null = null;
  if (config.pairedRounds > 0) {
    const hops = headlineHopsOf(config);
    progress.step(`interleaved verify of every system at ${hops} hops, ${config.pairedRounds} rounds`);
    const tracker = new MemoryTracker();
    paired = await runPaired(scenarios, hops, config.pairedRounds, pairedOptions(config, tracker), contextOf(config));
    memory['headline (interleaved)'] = tracker.finish();
    const ours = new Set(scenarios.filter((s) => s.family !== 'peer').flatMap((s) => s.verifiers.map((v) => rowId(s, v.id))));
    for (const [id, reason] of Object.entries(paired.failed ?? {})) failures.push({ id, at: hops, operation: 'interleaved verify', reason, ours: ours.has(id) });
  }
  let floorCheck: FloorCheck | null = null;
  if (options.floorCheck && config.floorCheckRounds > 0 && scenarios.some((s) => s.id.startsWith('nestoken-id-node'))) {
    const hops = headlineHopsOf(config);
    progress.step(`ID mode vs bare Ed25519 and ES256 verifies at ${hops} hops in a fresh process, ${config.floorCheckRounds} rounds`);
    try {
      floorCheck = await options.floorCheck(hops, config.floorCheckRounds, pairedOptions(config, new MemoryTracker()), contextOf(config));
    } catch (e) {
      failures.push({ id: 'floor check (fresh process)', at: hops, operation: 'verify', reason: failureReason(e), ours: true });
    }
  }
  let crate: CrateResults = { available: false, reason: 'skipped (--no-crate)', note: null, points: [] };
  const crateBench = options.crate === undefined ? nestokenCrateBench : options.crate;
  if (crateBench !== null) {
    const tracker = new MemoryTracker();
    crate = await runCrateBench(crateBench, config, measureOptions(config, tracker), progress);
    for (const p of crate.points) for (const [operation, reason] of Object.entries(p.failed ?? {})) failures.push({ id: 'crate', at: p.tokens, operation, reason, ours: true });
    if (crate.available) memory.crate = tracker.finish();
  }
  let browser: BrowserResults | null = null;
  if (options.browser) {
    const hops = headlineHopsOf(config);
    progress.step(`in headless Chromium: a ${hops}-hop ID chain vs ${hops} bare Web Crypto verifies`);
    try {
      browser = await options.browser(hops, Math.max(5, config.pairedRounds));
    } catch (e) {
      failures.push({ id: 'browser', at: hops, operation: 'verify', reason: failureReason(e), ours: true });
    }
  }
  progress.done();
  return {
    schema: 'nestoken-bench/1',
    profile: config.profile,
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - started,
    machine: machineInfo(),
    config,
    chains,
    paired,
    floorCheck,
    crate,
    browser,
    memory,
    failures,
    headline: computeHeadline(chains, headlineHopsOf(config), paired, floorCheck),
  };
}
