import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TokenForm } from '@nestoken/core';
import { build, type Plugin } from 'esbuild';
import { quantile, summarize, type TimingStats } from '../stats.js';
import { CHROMIUM, servePage, type ServedPage } from './chromium.js';
import type { PageBenchForm, PageBenchInput, PageBenchOutput } from './page-bench.js';

/** chain / bare per round: median and interquartile range, against the target. */
export interface BrowserRatio {
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  readonly p10: number;
  readonly p90: number;
  readonly target: number;
}

/** One token form's timings in the page: chain and bare side by side, per round. */
export interface BrowserFormResults {
  /** Absent in results written before the CBOR form was measured (they were the JWT form). */
  readonly form?: TokenForm;
  readonly tokenBytes: number;
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

/**
 * The browser scenario: an n-hop ID chain against n bare Web Crypto verifies of the same
 * signatures, in headless Chromium, for each token form. Each timed chain is new to the page
 * (no remembered signatures); the same chains verified again are timed apart. Its own fields
 * are the JWT form's (the headline, as before the CBOR form was measured); `cbor` the other.
 */
export interface BrowserResults extends BrowserFormResults {
  readonly available: boolean;
  readonly reason: string | null;
  readonly userAgent: string | null;
  readonly hops: number;
  readonly rounds: number;
  /** Whether core's Web Crypto backend passed its probe in the page (else it ran the portable code). */
  readonly webCrypto: boolean;
  /** Whether the page's clock ticked in microseconds (cross-origin isolated). */
  readonly isolated: boolean;
  /** The CBOR form, measured the same way; absent in results from before it was. */
  readonly cbor?: BrowserFormResults | null;
}

export const BROWSER_TARGET = 1.5;

const PAGE = `<!doctype html><meta charset="utf-8"><title>nestoken bench</title>
<script type="module">import * as bench from '/bench.js'; window.bench = bench; window.ready = true;</script>`;

const unavailable = (hops: number, reason: string): BrowserResults => ({
  available: false, reason, userAgent: null, hops, rounds: 0, tokenBytes: 0, webCrypto: false, isolated: false,
  chainWebCrypto: null, chainSeenWebCrypto: null, bareWebCrypto: null, bareSequentialWebCrypto: null, chainPortable: null, barePortable: null,
  floor: null, ratio: null, ratioOther: null, webCryptoSpeedup: null, cbor: null,
});

/** The per-round ratios of two paired sides, summarised. */
function pairedRatio(numerator: readonly number[], denominator: readonly number[]): BrowserRatio {
  const ratios = numerator.map((c, i) => c / denominator[i]!).sort((a, b) => a - b);
  return { median: quantile(ratios, 0.5), q1: quantile(ratios, 0.25), q3: quantile(ratios, 0.75), p10: quantile(ratios, 0.1), p90: quantile(ratios, 0.9), target: BROWSER_TARGET };
}

/** One form's per-round timings, summarised: the faster bare way is the floor. */
function formResults(out: PageBenchForm, batch: number): BrowserFormResults {
  const portableBatch = Math.max(1, batch >> 3);
  const chainWebCrypto = summarize(out.chainWebCrypto.ms, batch);
  const chainPortable = summarize(out.chainPortable.ms, portableBatch);
  const bareWebCrypto = summarize(out.bareWebCrypto.ms, batch);
  const bareSequentialWebCrypto = summarize(out.bareSequentialWebCrypto.ms, batch);
  const floor = bareSequentialWebCrypto.medianMs < bareWebCrypto.medianMs ? 'sequential' : 'concurrent';
  const [floorMs, otherMs] = floor === 'sequential' ? [out.bareSequentialWebCrypto.ms, out.bareWebCrypto.ms] : [out.bareWebCrypto.ms, out.bareSequentialWebCrypto.ms];
  return {
    form: out.form,
    tokenBytes: out.tokenBytes,
    chainWebCrypto,
    chainSeenWebCrypto: summarize(out.chainSeenWebCrypto.ms, batch),
    bareWebCrypto,
    bareSequentialWebCrypto,
    chainPortable,
    barePortable: summarize(out.barePortable.ms, portableBatch),
    floor,
    ratio: pairedRatio(out.chainWebCrypto.ms, floorMs),
    ratioOther: pairedRatio(out.chainWebCrypto.ms, otherMs),
    webCryptoSpeedup: chainPortable.medianMs / chainWebCrypto.medianMs,
  };
}

/** A bundle of the page side, for Chromium: Node's built-ins stubbed (the shared fixtures import node:crypto for what the page never calls). */
async function pageBundle(minify: boolean): Promise<string> {
  const entry = fileURLToPath(new URL('./page-bench.js', import.meta.url));
  const noNode: Plugin = {
    name: 'no-node-builtins',
    setup(b) {
      b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'no-node' }));
      b.onLoad({ filter: /.*/, namespace: 'no-node' }, (args) => ({ contents: `export const createHash = () => { throw new Error('${args.path} in the page'); };`, loader: 'js' }));
    },
  };
  const bundle = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', target: 'es2022', minify, write: false, logLevel: 'silent', plugins: [noNode] });
  return bundle.outputFiles[0]!.text;
}

/** Serves the page with its bundle (cross-origin isolated) and runs `f` on it once it has loaded. */
async function onPage<T>(minify: boolean, f: (served: ServedPage) => Promise<T>): Promise<T> {
  const served = await servePage({ isolated: true, routes: { '/': ['text/html; charset=utf-8', PAGE], '/bench.js': ['text/javascript; charset=utf-8', await pageBundle(minify)] } });
  try {
    await served.page.goto(served.origin);
    await served.page.waitForFunction('window.ready === true', undefined, { timeout: 30_000 });
    return await f(served);
  } finally {
    await served.close();
  }
}

/**
 * Bundles the page side with core's browser entry, resolved by package name as an application
 * would, and runs it in Chromium for both forms. Without Chromium the scenario is reported as not run.
 */
export async function runBrowserBench(options: { hops: number; rounds: number; batch: number }): Promise<BrowserResults> {
  if (!existsSync(CHROMIUM)) return unavailable(options.hops, `${CHROMIUM} is not installed`);
  return onPage(true, async (served) => {
    const input: PageBenchInput = { hops: options.hops, rounds: options.rounds, portableRounds: Math.max(3, Math.ceil(options.rounds / 3)), batch: options.batch, forms: ['jwt', 'cbor'], warmUpMs: 5000 };
    const out = (await served.page.evaluate(`window.bench.runPageBench(${JSON.stringify(input)})`)) as PageBenchOutput;
    const [jwt, cbor] = out.forms.map((f) => formResults(f, options.batch));
    return { available: true, reason: null, userAgent: out.userAgent, hops: options.hops, rounds: options.rounds, webCrypto: out.webCrypto, isolated: out.isolated, ...jwt!, cbor: cbor! };
  });
}

/**
 * CPU profiles of the page verifying `count` fresh n-hop chains of each form (Web Crypto
 * backend), through the DevTools protocol, sampled every `intervalUs`: one .cpuprofile per form
 * in `outDir`, for `profile-summary`. The bundle is not minified, so functions keep their names.
 */
export async function profileBrowserVerify(options: { hops: number; count: number; outDir: string; intervalUs?: number }): Promise<Array<{ form: TokenForm; file: string; msPerChain: number }>> {
  return onPage(false, async (served) => {
    const files: Array<{ form: TokenForm; file: string; msPerChain: number }> = [];
    for (const form of ['jwt', 'cbor'] as const) {
      await served.page.evaluate(`window.bench.preparePageProfile(${JSON.stringify({ hops: options.hops, form, count: options.count })}).then((run) => { window.profiled = run; })`);
      const cdp = await served.page.context().newCDPSession(served.page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: options.intervalUs ?? 50 });
      await cdp.send('Profiler.start');
      const msPerChain = (await served.page.evaluate('window.profiled()')) as number;
      const { profile } = await cdp.send('Profiler.stop');
      await cdp.detach();
      const file = join(options.outDir, `browser-${form}-${options.hops}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      files.push({ form, file, msPerChain });
    }
    return files;
  });
}
