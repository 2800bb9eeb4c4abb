import { memoryUsage, resourceUsage } from 'node:process';
import { majorGc } from './gc.js';

export interface MemoryPeak {
  /** Highest resident set size seen while the group ran, sampled after every timing sample. */
  readonly peakRssBytes: number;
  /** Highest V8 heap in use seen while the group ran. */
  readonly peakHeapUsedBytes: number;
  /** Heap in use when the group started, after a full collection. */
  readonly baselineHeapUsedBytes: number;
  /** The process's lifetime maximum RSS (getrusage) when the group ended: monotonic, so it bounds this group from above. */
  readonly processMaxRssBytes: number;
}


/** Tracks peak memory for one scenario group; `sample` is cheap enough to call after every sample. */
export class MemoryTracker {
  private peakRss: number;
  private peakHeap: number;
  private readonly baseline: number;

  constructor() {
    majorGc();
    const m = memoryUsage();
    this.peakRss = m.rss;
    this.peakHeap = m.heapUsed;
    this.baseline = m.heapUsed;
  }

  sample(): void {
    const m = memoryUsage();
    if (m.rss > this.peakRss) this.peakRss = m.rss;
    if (m.heapUsed > this.peakHeap) this.peakHeap = m.heapUsed;
  }

  finish(): MemoryPeak {
    this.sample();
    return {
      peakRssBytes: this.peakRss,
      peakHeapUsedBytes: this.peakHeap,
      baselineHeapUsedBytes: this.baseline,
      // maxRSS is in kilobytes.
      processMaxRssBytes: resourceUsage().maxRSS * 1024,
    };
  }
}
