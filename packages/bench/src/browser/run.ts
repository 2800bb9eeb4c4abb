import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { quantile, summarize, type TimingStats } from '../stats.js';
import { CHROMIUM, servePage } from './chromium.js';
import type { PageBenchInput, PageBenchOutput } from './page-bench.js';

/** chain / bare per round: median and interquartile range, against the target. */
export interface BrowserRatio {
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  readonly p10: number;
  readonly p90: number;
  readonly target: number;
}

/**
 * The browser scenario: an n-hop ID chain against n bare Web Crypto verifies of the same
 * signatures, in headless Chromium. Each timed chain is new to the page (no remembered
 * signatures); the same chains verified again are timed apart.
 */
export interface BrowserResults {
  readonly available: boolean;
  readonly reason: string | null;
  readonly userAgent: string | null;
  readonly hops: number;
  readonly rounds: number;
  readonly tokenBytes: number;
  /** Whether core's Web Crypto backend passed its probe in the page (else it ran the portable code). */
  readonly webCrypto: boolean;
  /** Whether the page's clock ticked in microseconds (cross-origin isolated). */
  readonly isolated: boolean;
  readonly chainWebCrypto: TimingStats | null;
  /** The same chains verified again: every signature remembered, so the work around the crypto. */
  readonly chainSeenWebCrypto: TimingStats | null;
  /** n `crypto.subtle.verify` calls, keys imported beforehand, all started at once. */
  readonly bareWebCrypto: TimingStats | null;
  /** The same n calls, each awaited before the next. */
  readonly bareSequentialWebCrypto: TimingStats | null;
  readonly chainPortable: TimingStats | null;
  readonly barePortable: TimingStats | null;
  /** Which bare way had the lower median: the floor the headline ratio is taken against. */
  readonly floor: 'concurrent' | 'sequential' | null;
  /** Chain / the floor's bare time, per round (Web Crypto). */
  readonly ratio: BrowserRatio | null;
  /** Chain / the other bare way, per round, for comparison. */
  readonly ratioOther: BrowserRatio | null;
  /** Portable chain / Web Crypto chain, median over rounds: what the backend buys. */
  readonly webCryptoSpeedup: number | null;
}

export const BROWSER_TARGET = 1.5;

const PAGE = `<!doctype html><meta charset="utf-8"><title>nestoken bench</title>
<script type="module">import { runPageBench } from '/bench.js'; window.runPageBench = runPageBench; window.ready = true;</script>`;

const unavailable = (hops: number, reason: string): BrowserResults => ({
  available: false, reason, userAgent: null, hops, rounds: 0, tokenBytes: 0, webCrypto: false, isolated: false,
  chainWebCrypto: null, chainSeenWebCrypto: null, bareWebCrypto: null, bareSequentialWebCrypto: null, chainPortable: null, barePortable: null,
  floor: null, ratio: null, ratioOther: null, webCryptoSpeedup: null,
});

/** The per-round ratios of two paired sides, summarised. */
function pairedRatio(numerator: readonly number[], denominator: readonly number[]): BrowserRatio {
  const ratios = numerator.map((c, i) => c / denominator[i]!).sort((a, b) => a - b);
  return { median: quantile(ratios, 0.5), q1: quantile(ratios, 0.25), q3: quantile(ratios, 0.75), p10: quantile(ratios, 0.1), p90: quantile(ratios, 0.9), target: BROWSER_TARGET };
}

/**
 * Bundles the page side with core's browser entry, resolved by package name as an application
 * would, and runs it in Chromium. Without Chromium the scenario is reported as not run.
 */
export async function runBrowserBench(options: { hops: number; rounds: number; batch: number }): Promise<BrowserResults> {
  if (!existsSync(CHROMIUM)) return unavailable(options.hops, `${CHROMIUM} is not installed`);
  const entry = fileURLToPath(new URL('./page-bench.js', import.meta.url));
  const bundle = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', target: 'es2022', minify: true, write: false, logLevel: 'silent' });
  const served = await servePage({ isolated: true, routes: { '/': ['text/html; charset=utf-8', PAGE], '/bench.js': ['text/javascript; charset=utf-8', bundle.outputFiles[0]!.text] } });
  try {
    await served.page.goto(served.origin);
    await served.page.waitForFunction('window.ready === true', undefined, { timeout: 30_000 });
    const input: PageBenchInput = { hops: options.hops, rounds: options.rounds, portableRounds: Math.max(3, Math.ceil(options.rounds / 3)), batch: options.batch, formats: ['jwt', 'cbor'], warmUpMs: 5000 };
    const out = (await served.page.evaluate(`window.runPageBench(${JSON.stringify(input)})`)) as PageBenchOutput;
    const stats = (side: { ms: number[] }, batch: number) => summarize(side.ms, batch);
    const portableBatch = Math.max(1, options.batch >> 3);
    const chainWebCrypto = stats(out.chainWebCrypto, options.batch);
    const chainPortable = stats(out.chainPortable, portableBatch);
    const bareWebCrypto = stats(out.bareWebCrypto, options.batch);
    const bareSequentialWebCrypto = stats(out.bareSequentialWebCrypto, options.batch);
    const floor = bareSequentialWebCrypto.medianMs < bareWebCrypto.medianMs ? 'sequential' : 'concurrent';
    const [floorMs, otherMs] = floor === 'sequential' ? [out.bareSequentialWebCrypto.ms, out.bareWebCrypto.ms] : [out.bareWebCrypto.ms, out.bareSequentialWebCrypto.ms];
    return {
      available: true,
      reason: null,
      userAgent: out.userAgent,
      hops: options.hops,
      rounds: options.rounds,
      tokenBytes: out.tokenBytes,
      webCrypto: out.webCrypto,
      isolated: out.isolated,
      chainWebCrypto,
      chainSeenWebCrypto: stats(out.chainSeenWebCrypto, options.batch),
      bareWebCrypto,
      bareSequentialWebCrypto,
      chainPortable,
      barePortable: stats(out.barePortable, portableBatch),
      floor,
      ratio: pairedRatio(out.chainWebCrypto.ms, floorMs),
      ratioOther: pairedRatio(out.chainWebCrypto.ms, otherMs),
      webCryptoSpeedup: chainPortable.medianMs / chainWebCrypto.medianMs,
    };
  } finally {
    await served.close();
  }
}
