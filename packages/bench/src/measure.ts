import { summarize, type TimingStats } from './stats.js';

export type Operation = () => unknown;

export interface MeasureOptions {
  /** Calls made before any timing, so the JIT and caches settle... */
  readonly warmup: number;
  /** ...and for at least this long: cheap calls need many runs before they are optimised. */
  readonly warmupMs: number;
  readonly samples: number;
  /** A sample repeats the call until at least this long has passed, so cheap calls rise above timer noise. */
  readonly minSampleMs: number;
  /** Upper bound on calls in one sample. */
  readonly maxBatch: number;
  /**
   * Time budget for one operation: sampling stops early once it is spent (after at least
   * three samples), and warm-up may use a quarter of it. Keeps slow peers (a 32-hop nested
   * JWT is megabytes) from dominating the run; the samples actually taken are reported.
   */
  readonly budgetMs: number;
  /** Called after every sample (memory tracking). */
  readonly onSample?: () => void;
  /** Called before every sample, outside the timed region (a young-generation collection). */
  readonly beforeSample?: () => void;
}

const now = (): number => performance.now();
const MIN_SAMPLES = 3;
/** Single calls timed to size a sample. */
const PROBE_CALLS = 5;

export async function timeBatch(op: Operation, batch: number): Promise<number> {
  const start = now();
  for (let i = 0; i < batch; i++) {
    const r = op();
    if (r instanceof Promise) await r;
  }
  return now() - start;
}

/** Warms `op` up, then picks how many calls one sample makes. */
export async function calibrate(op: Operation, options: MeasureOptions): Promise<number> {
  const start = now();
  const warmupCap = options.budgetMs / 4;
  for (let i = 0; (i < options.warmup || now() - start < options.warmupMs) && now() - start < warmupCap; i++) await timeBatch(op, 1);
  // The median of a few calls: one call that meets a collection or a noisy neighbour would
  // otherwise fix every later sample of this operation at a fraction of its intended length.
  const probes: number[] = [];
  for (let i = 0; i < PROBE_CALLS; i++) probes.push(await timeBatch(op, 1));
  probes.sort((a, b) => a - b);
  const probe = Math.max(probes[PROBE_CALLS >> 1]!, 1e-3);
  return Math.max(1, Math.min(options.maxBatch, Math.ceil(options.minSampleMs / probe)));
}

/**
 * Times `op`. The batch size is fixed once, from a calibration call after warm-up, so every
 * sample measures the same amount of work and samples are comparable with each other.
 */
export async function measure(op: Operation, options: MeasureOptions): Promise<TimingStats> {
  const batch = await calibrate(op, options);
  const start = now();
  const perCall: number[] = [];
  for (let s = 0; s < options.samples && (s < MIN_SAMPLES || now() - start < options.budgetMs); s++) {
    options.beforeSample?.();
    perCall.push((await timeBatch(op, batch)) / batch);
    options.onSample?.();
  }
  return summarize(perCall, batch);
}
