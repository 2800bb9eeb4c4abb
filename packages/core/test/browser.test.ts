import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumRuns, servePage, type ServedPage } from '../../../scripts/headless-chromium.js';
import * as nodeApi from '../src/index.node.js';
import { runScenario, sha256Digests, type ScenarioInput, type ScenarioOutput } from './browser-scenario.js';
import { OUT_OF_PLACE_CODES } from './fixtures.js';

const here = dirname(fileURLToPath(import.meta.url));

const INPUT: ScenarioInput = { hops: 16, formats: ['jwt', 'cbor', 'cbor', 'jwt'], now: 1_800_000_000, timedRuns: 15 };

interface Bundle {
  readonly code: string;
  readonly metafile: Metafile;
}

async function bundle(entry: string, minify: boolean): Promise<Bundle> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]!.text, metafile: result.metafile };
}

let core: Bundle;
let coreMinifiedBytes = 0;
let served: ServedPage;

const PAGE = `<!doctype html><meta charset="utf-8"><title>nestoken</title>
<script type="module">
  import * as api from '/core.js';
  import { runScenario } from '/scenario.js';
  window.nestoken = { run: (input) => runScenario(api, input) };
  window.ready = true;
</script>`;

describe.runIf(chromiumRuns)('core in headless Chromium', () => {
  beforeAll(async () => {
    core = await bundle(join(here, '..', 'src', 'index.ts'), false);
    coreMinifiedBytes = Buffer.byteLength((await bundle(join(here, '..', 'src', 'index.ts'), true)).code);
    const scenario = await bundle(join(here, 'browser-scenario.ts'), false);
    served = await servePage({
      routes: {
        '/': ['text/html; charset=utf-8', PAGE],
        '/core.js': ['text/javascript; charset=utf-8', core.code],
        '/scenario.js': ['text/javascript; charset=utf-8', scenario.code],
      },
    });
    await served.page.goto(served.origin);
    await served.page.waitForFunction('window.ready === true', undefined, { timeout: 30_000 });
  });

  afterAll(async () => served?.close());

  let browser: ScenarioOutput;
  let node: ScenarioOutput;

  beforeAll(async () => {
    // Passed as text, not a function: nothing of the test runner's transform reaches the page.
    browser = (await served.page.evaluate(`window.nestoken.run(${JSON.stringify(INPUT)})`)) as ScenarioOutput;
    node = await runScenario(nodeApi, INPUT);
  });

  it('the browser bundle is core without Node: no node: import, no Node entry', () => {
    expect(core.code).not.toMatch(/["']node:/);
    const output = Object.values(core.metafile.outputs)[0]!;
    expect(output.imports).toEqual([]);
    const inputs = Object.keys(core.metafile.inputs);
    expect(inputs.some((p) => p.endsWith('src/index.ts'))).toBe(true);
    expect(inputs.filter((p) => /index\.node\.ts$|crypto\/node\.ts$/.test(p))).toEqual([]);
    console.log(`core browser bundle: ${Buffer.byteLength(core.code)} bytes, ${coreMinifiedBytes} bytes minified`);
  });

  it('keygen, issue, extend x15 and verify run in the page; tampering fails with the right code', () => {
    expect(served.errors).toEqual([]);
    expect(browser.identities).toEqual(Array.from({ length: INPUT.hops }, (_, i) => `spiffe://example.org/hop-${i}`));
    expect(browser.cborFormIdentities).toEqual(browser.identities);
    expect(browser.tamperedCode).toBe('ERR_SIGNATURE_INVALID');
    // A layer out of place implies the wrong alg, kid and prv (spec §7.3): one of the checks of its position fails.
    expect(OUT_OF_PLACE_CODES).toContain(browser.splicedCode);
    expect(browser.wrongAudienceCode).toBe('ERR_AUDIENCE_MISMATCH');
    expect(browser).toMatchObject({ anonMode: 'hybrid', anonSealed: true, anonTamperedCode: 'ERR_SIGNATURE_INVALID' });
    expect(browser.witIdentity).toBe('wimse://example.org/wit-hop');
    const ms = browser.verifyMedianMs;
    console.log(`Chromium verify, ${INPUT.hops}-hop chain, median of ${INPUT.timedRuns}: ID jwt form ${ms.jwt.toFixed(2)} ms, ID cbor form ${ms.cbor.toFixed(2)} ms, hybrid ${ms.anon.toFixed(2)} ms ` +
      `(Node, node:crypto backend: ${node.verifyMedianMs.jwt.toFixed(2)} / ${node.verifyMedianMs.cbor.toFixed(2)} / ${node.verifyMedianMs.anon.toFixed(2)} ms)`);
  });

  it("the platform's base64url (Uint8Array.toBase64 / fromBase64) in the page writes and reads what the portable one does", async () => {
    expect(await served.page.evaluate('typeof Uint8Array.fromBase64 === "function" && typeof Uint8Array.prototype.toBase64 === "function"')).toBe(true);
    expect(browser.base64url.split('.')).toHaveLength(301);
    expect(browser.base64url).toBe(node.base64url);
  });

  it('a signature and message in buffers Web Crypto refuses get the portable verdict in the page', () => {
    expect(browser.resizableVerdicts).toBe('true,true,false,false');
    expect(browser.resizableVerdicts).toBe(node.resizableVerdicts);
  });

  it('SHA-256 in the page (hash-wasm, compiled by then) gives the portable digests', () => {
    expect(browser.sha256.split('.')).toHaveLength(301);
    expect(browser.sha256).toBe(sha256Digests(nodeApi.portableBackend));
    expect(browser.sha256).toBe(node.sha256);
  });

  it('the page (Web Crypto Ed25519) and Node (node:crypto) produce the same bytes from the same seeds', () => {
    expect(browser.privateJwk).toEqual(node.privateJwk);
    expect(browser.publicJwk).toEqual(node.publicJwk);
    expect(browser.idJwt).toBe(node.idJwt);
    expect(browser.idCborHex).toBe(node.idCborHex);
    expect(browser.anonJwt).toBe(node.anonJwt);
    const { verifyMedianMs: _b, ...browserRest } = browser;
    const { verifyMedianMs: _n, ...nodeRest } = node;
    expect(browserRest).toEqual(nodeRest);
  });
});
