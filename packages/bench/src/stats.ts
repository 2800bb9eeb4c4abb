/** Summary of one timed operation: per-call times in milliseconds. */
export interface TimingStats {
  readonly medianMs: number;
  /** Interquartile range bounds. */
  readonly q1Ms: number;
  readonly q3Ms: number;
  readonly p10Ms: number;
  readonly p90Ms: number;
  readonly minMs: number;
  /** Samples taken after warm-up; each sample is one batch of `batch` calls. */
  readonly samples: number;
  readonly batch: number;
}

/** Linear interpolation between closest ranks, on an ascending array. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('no samples');
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

export function summarize(perCallMs: readonly number[], batch: number): TimingStats {
  const s = [...perCallMs].sort((x, y) => x - y);
  return {
    medianMs: quantile(s, 0.5),
    q1Ms: quantile(s, 0.25),
    q3Ms: quantile(s, 0.75),
    p10Ms: quantile(s, 0.1),
    p90Ms: quantile(s, 0.9),
    minMs: s[0]!,
    samples: s.length,
    batch,
  };
}
