import { isDeepStrictEqual } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumRuns, servePage, type ServedPage } from '../../../scripts/headless-chromium.js';
import { allTests, committed } from './committed.js';
import { recordedOutcome, type Verdict } from './verdicts.js';

/**
 * The whole committed vector set, verified in headless Chromium by core's browser entry: once
 * with the Web Crypto backend (its default there: Ed25519 and ES256) and once with the portable one. Every verdict
 * of both must be the recorded one (which check.test.ts holds the Node backend to), so the two
 * backends give identical verdicts.
 */
const PAGE = `<!doctype html><meta charset="utf-8"><title>vectors</title>
<script type="module">
  import { run } from '/run.js';
  window.run = run;
  window.ready = true;
</script>`;

// The page's script: '@nestoken/core' resolves to the browser entry, shared with the vector runner.
const RUNNER = `
import * as core from '@nestoken/core';
import { vectorVerdicts } from './verdicts.ts';
export async function run(backend) {
  const files = await Promise.all(${JSON.stringify(committed.map((c) => c.name))}.map(async (name) => ({ name, text: await (await fetch('/v1/' + name)).text() })));
  const webCrypto = (await core.webCryptoEd25519Available()) && (await core.webCryptoEs256Available());
  core.useCryptoBackend(backend === 'portable' ? core.portableBackend : core.webCryptoBackend());
  const started = performance.now();
  const verdicts = await vectorVerdicts(files);
  return { webCrypto, verdicts, ms: performance.now() - started };
}`;

interface PageRun {
  readonly webCrypto: boolean;
  readonly verdicts: Verdict[];
  readonly ms: number;
}

describe.runIf(chromiumRuns)('the vector set in headless Chromium: Web Crypto and portable give the recorded verdicts', () => {
  let served: ServedPage;
  const recorded = new Map(committed.flatMap((c) => allTests(c).map(({ test }) => [`${c.name}#${String(test.tcId)}`, recordedOutcome(test)] as const)));
  const inputs = (verdicts: readonly Verdict[]) => new Set(verdicts.map((v) => v.id.split('/')[0])).size;

  beforeAll(async () => {
    const bundle = await build({
      stdin: { contents: RUNNER, resolveDir: import.meta.dirname, loader: 'js' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    const routes = Object.fromEntries(committed.map((c) => [`/v1/${c.name}`, ['application/json', c.text] as const]));
    served = await servePage({ routes: { '/': ['text/html; charset=utf-8', PAGE], '/run.js': ['text/javascript; charset=utf-8', bundle.outputFiles[0]!.text], ...routes } });
    await served.page.goto(served.origin);
    await served.page.waitForFunction('window.ready === true', undefined, { timeout: 30_000 });
  });

  afterAll(async () => served?.close());

  it.each(['webcrypto', 'portable'] as const)('%s backend: every verdict is the recorded one', async (backend) => {
    // A fresh page state per backend: the backend is chosen before anything is verified.
    await served.page.reload();
    await served.page.waitForFunction('window.ready === true', undefined, { timeout: 30_000 });
    const run = (await served.page.evaluate(`window.run(${JSON.stringify(backend)})`)) as PageRun;
    expect(served.errors).toEqual([]);
    expect(run.webCrypto).toBe(true);
    expect(inputs(run.verdicts)).toBe(recorded.size);
    const differing = run.verdicts.filter(({ id, outcome }) => !isDeepStrictEqual(outcome, recorded.get(id.split('/')[0]!)));
    expect(differing).toEqual([]);
    console.log(`Chromium, ${backend} backend: ${run.verdicts.length} inputs of ${recorded.size} vector tests in ${run.ms.toFixed(0)} ms`);
  });
});
