import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumRuns, servePage, type ServedPage } from '../../../scripts/headless-chromium.js';
import { packAndInstall, PUBLISHED, REPO_ROOT, type PackedInstall } from '../../../scripts/packed-install.js';

/**
 * As a user gets nestoken: the packages packed with `npm pack`, installed by tarball into a
 * scratch project (once, for every test here), `@nestoken/core` bundled by its package name
 * with esbuild and Vite, each bundle run in Node and in headless Chromium. A bundler that
 * dropped the entry's backend registration would make every run throw "no crypto backend".
 */
const MAIN = `
import * as nt from '@nestoken/core';
async function roundTrip() {
  const now = 1_800_000_000;
  const keys = [1, 2, 3].map((i) => nt.generateSigningKey(new Uint8Array(32).fill(i)));
  const identity = (i) => 'spiffe://example.org/hop-' + i;
  const trust = nt.createTrustBundle({ signers: keys.map((key, i) => ({ identity: identity(i), key: key.publicKey })) });
  let token = await nt.issue({ key: keys[0], audienceKey: keys[1].publicKey, claims: { iss: identity(0), sub: 'alice', iat: now, exp: now + 600 } });
  token = await nt.extend(token, { key: keys[1], audienceKey: keys[2].publicKey, claims: { data: { step: 2 } }, format: 'cbor' });
  const jwt = nt.encodeToken(token, 'jwt');
  const options = { trust, now, audience: keys[2].publicKey };
  const path = await nt.verify(jwt, options);
  const at = jwt.length - 40;
  const tampered = jwt.slice(0, at) + (jwt[at] === 'A' ? 'B' : 'A') + jwt.slice(at + 1);
  let tamperedCode = 'accepted';
  try { await nt.verify(tampered, options); } catch (e) { tamperedCode = e.code ?? String(e); }
  return { hops: path.hops.map((h) => h.identity), tamperedCode, webCrypto: await nt.webCryptoEd25519Available() };
}
const report = (r) => (typeof window === 'undefined' ? console.log(JSON.stringify(r)) : (window.result = r));
roundTrip().then(report, (e) => report({ error: String(e && e.stack || e) }));
`;
const PAGE = (script: string) => `<!doctype html><meta charset="utf-8"><title>bundle</title><script type="module" src="${script}"></script>`;
const EXPECTED = { hops: ['spiffe://example.org/hop-0', 'spiffe://example.org/hop-1'], tamperedCode: 'ERR_SIGNATURE_INVALID' };

interface Bundles {
  /** Bundles for Node: path of the file to run. */
  readonly node: Readonly<Record<string, string>>;
  /** Bundles for the browser: path of the page below the project, and of its script. */
  readonly browser: Readonly<Record<string, { page: string; script: string }>>;
}

let installed: PackedInstall;
let bundles: Bundles;

async function bundleAll(project: string): Promise<Bundles> {
  writeFileSync(join(project, 'main.js'), MAIN);
  mkdirSync(join(project, 'web', 'esbuild'), { recursive: true });
  const esbuildFor = async (platform: 'node' | 'browser', outfile: string) => {
    await esbuild({ entryPoints: [join(project, 'main.js')], absWorkingDir: project, bundle: true, platform, format: 'esm', target: 'es2022', outfile, logLevel: 'silent' });
    return outfile;
  };
  const esbuildNode = await esbuildFor('node', join(project, 'out', 'esbuild-node.mjs'));
  const esbuildBrowser = await esbuildFor('browser', join(project, 'web', 'esbuild', 'main.js'));
  writeFileSync(join(project, 'web', 'esbuild', 'index.html'), PAGE('./main.js'));
  writeFileSync(join(project, 'index.html'), PAGE('/main.js'));
  const quiet = { root: project, configFile: false, logLevel: 'silent', envFile: false } as const;
  await vite({ ...quiet, base: './', build: { outDir: 'web/vite', emptyOutDir: true, target: 'es2022' } });
  await vite({ ...quiet, ssr: { noExternal: true }, build: { ssr: 'main.js', outDir: 'out/vite-ssr', emptyOutDir: true, target: 'node20' } });
  const viteScript = readFileSync(join(project, 'web', 'vite', 'index.html'), 'utf8').match(/src="\.\/(assets\/[^"]+\.js)"/)![1]!;
  return {
    node: {
      'esbuild, platform node': esbuildNode,
      'esbuild, platform browser (Web Crypto in Node)': esbuildBrowser,
      'Vite SSR build': join(project, 'out', 'vite-ssr', 'main.js'),
    },
    browser: {
      'esbuild, platform browser': { page: 'web/esbuild/index.html', script: esbuildBrowser },
      'Vite build': { page: 'web/vite/index.html', script: join(project, 'web', 'vite', viteScript) },
    },
  };
}

describe('the packed tarballs, installed into a scratch project', () => {
  beforeAll(async () => {
    installed = packAndInstall();
    bundles = await bundleAll(installed.dir);
  }, 120_000);

  afterAll(() => installed?.remove());

  it('are lean: compiled code, types, README, LICENSE; no source maps, no TypeScript sources, no tests', () => {
    for (const p of PUBLISHED) {
      const files = installed.contents[p]!.files.map((f) => f.path);
      expect(files.filter((f) => f.endsWith('.map') || (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.startsWith('src/') || f.includes('test/')), p).toEqual([]);
      expect(files, p).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']));
      const manifest = JSON.parse(readFileSync(join(installed.dir, 'node_modules', installed.contents[p]!.name, 'package.json'), 'utf8'));
      expect(Object.keys(manifest), p).toEqual(expect.arrayContaining(['license', 'repository', 'keywords', 'engines', 'publishConfig', 'description']));
      expect(manifest.publishConfig.access, p).toBe('public');
    }
    const sizes = PUBLISHED.map((p) => `${installed.contents[p]!.name} ${(installed.contents[p]!.size / 1000).toFixed(1)} kB packed, ${(installed.contents[p]!.unpackedSize / 1000).toFixed(1)} kB unpacked, ${installed.contents[p]!.files.length} files`);
    console.log(`npm pack:\n  ${sizes.join('\n  ')}`);
  });

  it('the CLI does not install the vectors package: it is an optional peer, loaded only by `nestoken vectors`', () => {
    const cli = JSON.parse(readFileSync(join(installed.dir, 'node_modules', 'nestoken', 'package.json'), 'utf8'));
    expect(Object.keys(cli.dependencies)).not.toContain('@nestoken/vectors');
    expect(cli.peerDependenciesMeta['@nestoken/vectors']).toEqual({ optional: true });
  });

  it.each(['esbuild, platform node', 'esbuild, platform browser (Web Crypto in Node)', 'Vite SSR build'])('%s: the bundle runs in Node', (name) => {
    const out = execFileSync(process.execPath, [bundles.node[name]!], { cwd: installed.dir, encoding: 'utf8' });
    expect(JSON.parse(out)).toMatchObject(EXPECTED);
  });

  it('the browser bundles have no Node import', () => {
    for (const { script } of Object.values(bundles.browser)) expect(readFileSync(script, 'utf8')).not.toMatch(/from\s*["']node:|import\(["']node:/);
    const sizes = Object.entries(bundles.browser).map(([name, { script }]) => `${name} ${(statSync(script).size / 1000).toFixed(1)} kB`);
    console.log(`browser bundles of @nestoken/core (minified by Vite, not by esbuild here): ${sizes.join(', ')}`);
  });

  describe.runIf(chromiumRuns)('in headless Chromium', () => {
    let served: ServedPage;
    beforeAll(async () => {
      served = await servePage({ root: installed.dir });
    });
    afterAll(async () => served?.close());

    it.each(['esbuild, platform browser', 'Vite build'])('%s: the bundle runs in the page, with Web Crypto', async (name) => {
      await served.page.goto(`${served.origin}/${bundles.browser[name]!.page}`);
      await served.page.waitForFunction('window.result !== undefined', undefined, { timeout: 30_000 });
      expect(await served.page.evaluate('window.result')).toEqual({ ...EXPECTED, webCrypto: true });
      expect(served.errors).toEqual([]);
    });
  });

  it.each(readdirSync(join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.mjs')))('examples/%s runs against the installed packages', (file) => {
    copyFileSync(join(REPO_ROOT, 'examples', file), join(installed.dir, file));
    const r = spawnSync(process.execPath, [file], { cwd: installed.dir, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\w/);
  });

  it('the installed CLI answers --version and explains what `vectors check` needs outside the repository', () => {
    const bin = join(installed.dir, 'node_modules', '.bin', 'nestoken');
    const version = spawnSync(bin, ['--version'], { cwd: installed.dir, encoding: 'utf8' });
    expect(version.stdout.trim()).toBe('0.1.0');
    const check = spawnSync(bin, ['vectors', 'check'], { cwd: installed.dir, encoding: 'utf8' });
    expect(check.status).toBe(2);
    expect(check.stderr).toMatch(/--dir DIR/);
    expect(check.stderr).toMatch(/nestoken vectors generate --seed nestoken-v1 --out DIR/);
  });
});
