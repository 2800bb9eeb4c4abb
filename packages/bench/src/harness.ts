import { headlineHopsOf, type BenchConfig } from './config.js';
import { minorGc } from './gc.js';
import type { FloorCheck } from './floor-check.js';
import { machineInfo } from './machine.js';
import { measure, type MeasureOptions, type Operation } from './measure.js';
import { MemoryTracker, type MemoryPeak } from './memory.js';
import { silentProgress, type Progress } from './progress.js';
import { peerFailure, rowId, runPaired, type PairedResults } from './paired.js';
import { computeHeadline } from './report/headline.js';
import type { BenchResults, ChainPoint, ChainRow, CrateResults } from './results.js';
import type { ChainScenario } from './scenario.js';
import { allChainScenarios } from './scenarios/index.js';
import { runCrateBench, type CrateBench } from './scenarios/crate.js';
import { nestokenCrateBench } from './scenarios/crate-nestoken.js';
import type { TimingStats } from './stats.js';

export interface RunOptions {
  readonly config: BenchConfig;
  /** Default: every chain scenario in the registry. */
  readonly scenarios?: readonly ChainScenario[];
  /** Default: the @nestoken/crate bench; `null` skips crates. */
  readonly crate?: CrateBench | null;
  readonly progress?: Progress;
  /** Runs the ID-vs-floor check in a fresh process; absent: not run (the smoke test). */
  readonly floorCheck?: (hops: number, rounds: number, opts: MeasureOptions) => Promise<FloorCheck>;
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

interface Measured {
  readonly bytes: number | null;
  readonly issue: TimingStats | null;
  readonly extend: TimingStats | null;
  readonly verify: ReadonlyMap<string, TimingStats>;
}

async function measurePoint(scenario: ChainScenario, hops: number, opts: MeasureOptions): Promise<Measured> {
  const prepared = await scenario.prepare(hops);
  try {
    const timed = (op: Operation | undefined) => (op ? measure(op, opts) : Promise.resolve(null));
    // Verify first: it is the headline, and every variant must succeed before anything is timed.
    const verifier = (id: string): Operation => {
      const op = prepared.verify[id];
      if (!op) throw new Error(`${scenario.id} prepared no verifier ${id}`);
      return op;
    };
    for (const v of scenario.verifiers) await verifier(v.id)();
    const verify = new Map<string, TimingStats>();
    for (const v of scenario.verifiers) verify.set(v.id, await measure(verifier(v.id), opts));
    const issue = await timed(prepared.issue);
    const extend = await timed(prepared.extend);
    return { bytes: prepared.bytes ?? null, issue, extend, verify };
  } finally {
    prepared.dispose?.();
  }
}

async function runScenario(scenario: ChainScenario, config: BenchConfig, memory: MemoryTracker, progress: Progress): Promise<ChainRow[]> {
  const points: Array<{ hops: number; m: Measured }> = [];
  const skipped: Array<{ hops: number; reason: string }> = [];
  await scenario.setup?.();
  try {
    for (const hops of config.hops) {
      progress.step(`${scenario.label}, ${hops} hop${hops === 1 ? '' : 's'}`);
      if (scenario.limit && hops > scenario.limit.maxHops) {
        skipped.push({ hops, reason: scenario.limit.reason });
        continue;
      }
      try {
        points.push({ hops, m: await measurePoint(scenario, hops, measureOptions(config, memory)) });
      } catch (e) {
        // A peer that fails (Biscuit's authorizer hitting its run limit on a loaded machine) is a
        // result of this run, recorded in its row; our own scenarios failing still fails the run.
        if (scenario.family !== 'peer') throw e;
        skipped.push({ hops, reason: peerFailure(e) });
      }
    }
  } finally {
    await scenario.teardown?.();
  }
  return scenario.verifiers.map(({ id: variant, label }) => ({
    id: rowId(scenario, variant),
    scenario: scenario.id,
    variant,
    label: label ? `${scenario.label} (${label})` : scenario.label,
    sizeLabel: scenario.sizeLabel ?? scenario.label,
    family: scenario.family,
    group: scenario.group,
    note: scenario.note ?? null,
    points: points.map(({ hops, m }): ChainPoint => ({ hops, bytes: m.bytes, issue: m.issue, extend: m.extend, verify: m.verify.get(variant)! })),
    skipped,
  }));
}

/** Runs every selected scenario at every hop count, then crates; no files are written here. */
export async function runBench(options: RunOptions): Promise<BenchResults> {
  const { config } = options;
  const progress = options.progress ?? silentProgress;
  const scenarios = selected(config, options.scenarios ?? allChainScenarios());
  const startedAt = new Date();
  const started = performance.now();
  const chains: ChainRow[] = [];
  const memory: Record<string, MemoryPeak> = {};
  const groups = [...new Set(scenarios.map((s) => s.group))];
  for (const group of groups) {
    const tracker = new MemoryTracker();
    for (const scenario of scenarios.filter((s) => s.group === group)) {
      chains.push(...(await runScenario(scenario, config, tracker, progress)));
    }
    memory[group] = tracker.finish();
  }
  let paired: PairedResults | null = null;
  if (config.pairedRounds > 0) {
    const hops = headlineHopsOf(config);
    progress.step(`interleaved verify of every system at ${hops} hops, ${config.pairedRounds} rounds`);
    const tracker = new MemoryTracker();
    paired = await runPaired(scenarios, hops, config.pairedRounds, measureOptions(config, tracker));
    memory['headline (interleaved)'] = tracker.finish();
  }
  let floorCheck: FloorCheck | null = null;
  if (options.floorCheck && config.floorCheckRounds > 0 && scenarios.some((s) => s.id.startsWith('nestoken-id-node'))) {
    const hops = headlineHopsOf(config);
    progress.step(`ID mode vs bare Ed25519 and ES256 verifies at ${hops} hops in a fresh process, ${config.floorCheckRounds} rounds`);
    floorCheck = await options.floorCheck(hops, config.floorCheckRounds, measureOptions(config, new MemoryTracker()));
  }
  let crate: CrateResults = { available: false, reason: 'skipped (--no-crate)', note: null, points: [] };
  const crateBench = options.crate === undefined ? nestokenCrateBench : options.crate;
  if (crateBench !== null) {
    const tracker = new MemoryTracker();
    crate = await runCrateBench(crateBench, config, measureOptions(config, tracker), progress);
    if (crate.available) memory.crate = tracker.finish();
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
    memory,
    headline: computeHeadline(chains, headlineHopsOf(config), paired, floorCheck),
  };
}
