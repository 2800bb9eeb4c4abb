import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { quantile, summarize, type TimingStats } from '../stats.js';
import { CHROMIUM, servePage } from './chromium.js';
import type { PageBenchInput, PageBenchOutput } from './page-bench.js';

/** The browser scenario: an n-hop ID chain against n bare Web Crypto verifies, in headless Chromium. */
export interface BrowserResults {
  readonly available: boolean;
  readonly reason: string | null;
  readonly userAgent: string | null;
  readonly hops: number;
  readonly rounds: number;
  readonly tokenBytes: number;
  /** Whether core's Web Crypto backend passed its probe in the page (else it ran the portable code). */
  readonly webCrypto: boolean;
  readonly chainWebCrypto: TimingStats | null;
  readonly bareWebCrypto: TimingStats | null;
  readonly chainPortable: TimingStats | null;
  readonly barePortable: TimingStats | null;
  /** chain / bare per round (Web Crypto): median and interquartile range. */
  readonly ratio: { readonly median: number; readonly q1: number; readonly q3: number; readonly target: number } | null;
  /** Portable chain / Web Crypto chain, median over rounds: what the backend buys. */
  readonly webCryptoSpeedup: number | null;
}

export const BROWSER_TARGET = 1.5;

const PAGE = `<!doctype html><meta charset="utf-8"><title>nestoken bench</title>
<script type="module">import { runPageBench } from '/bench.js'; window.runPageBench = runPageBench; window.ready = true;</script>`;

const unavailable = (hops: number, reason: string): BrowserResults => ({
  available: false, reason, userAgent: null, hops, rounds: 0, tokenBytes: 0, webCrypto: false,
  chainWebCrypto: null, bareWebCrypto: null, chainPortable: null, barePortable: null, ratio: null, webCryptoSpeedup: null,
});

/**
 * Bundles the page side with core's browser entry, resolved by package name as an application
 * would, and runs it in Chromium. Without Chromium the scenario is reported as not run.
 */
export async function runBrowserBench(options: { hops: number; rounds: number; batch: number }): Promise<BrowserResults> {
  if (!existsSync(CHROMIUM)) return unavailable(options.hops, `${CHROMIUM} is not installed`);
  const entry = fileURLToPath(new URL('./page-bench.js', import.meta.url));
  const bundle = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', target: 'es2022', minify: true, write: false, logLevel: 'silent' });
  const served = await servePage({ routes: { '/': ['text/html; charset=utf-8', PAGE], '/bench.js': ['text/javascript; charset=utf-8', bundle.outputFiles[0]!.text] } });
  try {
    await served.page.goto(served.origin);
    await served.page.waitForFunction('window.ready === true', undefined, { timeout: 30_000 });
    const input: PageBenchInput = { hops: options.hops, rounds: options.rounds, portableRounds: Math.max(3, Math.ceil(options.rounds / 3)), batch: options.batch, formats: ['jwt', 'cbor'] };
    const out = (await served.page.evaluate(`window.runPageBench(${JSON.stringify(input)})`)) as PageBenchOutput;
    const ratios = out.chainWebCrypto.ms.map((c, i) => c / out.bareWebCrypto.ms[i]!).sort((a, b) => a - b);
    const stats = (ms: number[], batch: number) => summarize(ms, batch);
    const chainWebCrypto = stats(out.chainWebCrypto.ms, options.batch);
    const chainPortable = stats(out.chainPortable.ms, Math.max(1, options.batch >> 3));
    return {
      available: true,
      reason: null,
      userAgent: out.userAgent,
      hops: options.hops,
      rounds: options.rounds,
      tokenBytes: out.tokenBytes,
      webCrypto: out.webCrypto,
      chainWebCrypto,
      bareWebCrypto: stats(out.bareWebCrypto.ms, options.batch),
      chainPortable,
      barePortable: stats(out.barePortable.ms, Math.max(1, options.batch >> 3)),
      ratio: { median: quantile(ratios, 0.5), q1: quantile(ratios, 0.25), q3: quantile(ratios, 0.75), target: BROWSER_TARGET },
      webCryptoSpeedup: chainPortable.medianMs / chainWebCrypto.medianMs,
    };
  } finally {
    await served.close();
  }
}
