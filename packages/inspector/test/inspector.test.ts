import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTrustBundle, encodeToken, exportPublicJwk, extend, issue, signingKeyFromSeed } from '@nestoken/core';
import { buildCrate, CrateBuilder, present, toCompact } from '@nestoken/crate';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumRuns, servePage, type ServedPage } from '../../../scripts/headless-chromium.js';

/**
 * The inspector page, built with Vite as `npm run inspector` builds it, driven in Debian's
 * Chromium: a valid chain, a tampered one with its failing layer highlighted, a crate graph with
 * trimmed nodes. Each leaves a screenshot in test-output/inspector/ (gitignored).
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const PACKAGE = join(here, '..');
const SHOTS = join(here, '..', '..', '..', 'test-output', 'inspector');
const NOW = 1_800_000_000;
const identity = (i: number) => `spiffe://example.org/${['idp', 'gateway', 'orders', 'ledger'][i]}`;

async function fixtures() {
  const keys = [1, 2, 3, 4].map((i) => signingKeyFromSeed(new Uint8Array(32).fill(i)));
  const trustJson = JSON.stringify({ keys: keys.map((k, i) => exportPublicJwk(k, { sub: identity(i) })) });
  let token = await issue({ key: keys[0]!, audienceKey: keys[1]!.publicKey, claims: { iss: identity(0), sub: 'alice', iat: NOW, exp: NOW + 600, jti: 'order-7' } });
  token = await extend(token, { key: keys[1]!, audienceKey: keys[2]!.publicKey, claims: { data: { route: '/orders' } }, format: 'cbor' });
  token = await extend(token, { key: keys[2]!, audienceKey: keys[3]!.publicKey, claims: { data: { amount: 42 } }, format: 'jwt' });
  const valid = encodeToken(token, 'jwt');
  // One character in the middle of the last layer's signature. (Damage to an earlier layer shows at
  // the layer after it: its `prv` no longer matches, spec §7.3.)
  const parts = valid.split('~');
  const at = parts[2]!.length - 20;
  parts[2] = parts[2]!.slice(0, at) + (parts[2]![at] === 'A' ? 'B' : 'A') + parts[2]!.slice(at + 1);
  const tampered = parts.join('~');
  const full = buildCrate({
    buckets: [
      { name: 'orders', tokens: [{ format: 'nestoken', bytes: valid }, { format: 'jwt', bytes: 'eyJhbGciOiJub25lIn0.e30.' }] },
      { name: 'audit', tokens: [{ format: 'other', bytes: 'audit record 1' }, { format: 'other', bytes: 'audit record 2' }] },
    ],
  });
  const b = new CrateBuilder(full);
  await b.attest({ key: keys[1]!, subjects: [full.root], issuedAt: NOW, expiresAt: NOW + 600, issuer: identity(1) });
  const attested = b.build();
  const orders = [...attested.blocks.entries()].find(([, blk]) => blk.node.type === 'bucket' && blk.node.name === 'orders')![0];
  const crate = toCompact(present(attested, [orders]));
  return { trustJson, valid, tampered, crate, trust: createTrustBundle({ signers: keys.map((key, i) => ({ identity: identity(i), key: key.publicKey })) }) };
}

describe.runIf(chromiumRuns)('the inspector page in headless Chromium', () => {
  let served: ServedPage;
  let outDir: string;
  let fx: Awaited<ReturnType<typeof fixtures>>;
  const requests: string[] = [];

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'nestoken-inspector-'));
    await build({ root: PACKAGE, configFile: join(PACKAGE, 'vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const js = readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.js'));
    console.log(`inspector bundle: ${js.map((f) => `${f} ${(statSync(join(outDir, 'assets', f)).size / 1000).toFixed(1)} kB`).join(', ')} (minified)`);
    fx = await fixtures();
    mkdirSync(SHOTS, { recursive: true });
    served = await servePage({ root: outDir });
    served.page.on('request', (r) => requests.push(r.url()));
    await served.page.goto(`${served.origin}/index.html`);
    await served.page.waitForSelector('body[data-state="ready"]');
  });

  afterAll(async () => {
    await served?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  async function inspect(inputs: { token?: string; crate?: string; trust?: string }): Promise<void> {
    const page = served.page;
    await page.fill('#token', inputs.token ?? '');
    await page.fill('#crate', inputs.crate ?? '');
    await page.fill('#trust', inputs.trust ?? '');
    await page.fill('#now', String(NOW));
    await page.click('#inspect');
    await page.waitForSelector('body[data-state="done"]');
  }

  it('a valid chain: one card per hop with identity, key, format, times and claims; the chain verifies', async () => {
    await inspect({ token: fx.valid, trust: fx.trustJson });
    const page = served.page;
    expect(await page.locator('#chain .banner').getAttribute('data-status')).toBe('valid');
    expect(await page.locator('.layer').count()).toBe(3);
    expect(await page.locator('.layer .identity').allInnerTexts()).toEqual([0, 1, 2].map((i) => `${identity(i)}\nproven`));
    expect(await page.locator('.layer .format').allInnerTexts()).toEqual(['JWT · Ed25519', 'CBOR · Ed25519', 'JWT · Ed25519']);
    expect(await page.locator('.layer').first().innerText()).toContain('2027-01-15T08:00:00Z (1800000000)');
    expect(await page.locator('.layer.failing').count()).toBe(0);
    expect(await page.locator('.sizes').first().innerText()).toMatch(/JWT form [\d.]+ k?B · CBOR form/);
    await page.screenshot({ path: join(SHOTS, 'valid-chain.png'), fullPage: true });
  });

  it('a tampered chain: the failing layer is highlighted with its code and spec section', async () => {
    await inspect({ token: fx.tampered, trust: fx.trustJson });
    const page = served.page;
    expect(await page.locator('#chain .banner').getAttribute('data-status')).toBe('invalid');
    const failing = page.locator('.layer.failing');
    expect(await failing.count()).toBe(1);
    expect(await failing.getAttribute('data-layer')).toBe('2');
    expect(await failing.locator('.failure .code').innerText()).toBe('ERR_SIGNATURE_INVALID');
    expect(await failing.locator('.failure .section').innerText()).toBe('spec §7.5');
    expect(await page.locator('.layer').count()).toBe(3);
    await page.screenshot({ path: join(SHOTS, 'tampered-chain.png'), fullPage: true });
  });

  it('a crate: the graph shows every node, trimmed ones as trimmed, with sizes and the verdict', async () => {
    await inspect({ crate: fx.crate, trust: fx.trustJson });
    const page = served.page;
    expect(await page.locator('.crate .banner').getAttribute('data-status')).toBe('valid');
    const trimmed = await page.locator('.crate-graph .node.trimmed').count();
    expect(trimmed).toBeGreaterThan(0);
    expect(await page.locator('.crate-graph .node.token').count()).toBe(2);
    expect(await page.locator('.crate-graph .node.attestation').count()).toBe(1);
    expect(await page.locator('.crate .sizes').innerText()).toMatch(new RegExp(`${trimmed} trimmed`));
    expect(await page.locator('.crate-tokens').innerText()).toContain(`${identity(0)} → ${identity(1)} → ${identity(2)}`);
    await page.screenshot({ path: join(SHOTS, 'crate-graph.png'), fullPage: true });
  });

  it('input that is not a token is reported with its code, not thrown', async () => {
    await inspect({ token: fx.trustJson });
    expect(await served.page.locator('#verdict .failure .code').innerText()).toMatch(/^ERR_/);
    expect(served.errors).toEqual([]);
  });

  it('nothing is sent anywhere: the page loads its own files and makes no request while inspecting', () => {
    const origin = served.origin;
    expect(requests.filter((u) => !u.startsWith(`${origin}/`))).toEqual([]);
    // Only the page and its assets, all fetched on load.
    expect(requests.every((u) => u === `${origin}/index.html` || u.startsWith(`${origin}/assets/`))).toBe(true);
  });
});
