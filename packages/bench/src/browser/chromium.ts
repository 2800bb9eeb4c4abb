import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core, for the bench's browser scenario and every
 * browser test of the repository (they import it through scripts/headless-chromium.ts): the
 * core page, the vector set in the page, the packed-tarball bundles, the inspector.
 * Outside CI a machine without Chromium skips those tests; in CI (CI set and not false/0) a
 * missing browser fails them, so a green run always means they ran. `.ci/run` installs it.
 */
export const CHROMIUM = '/usr/bin/chromium';
const ci = process.env.CI;
export const inCi = ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
/** For `describe.runIf`: true when Chromium is here, and always in CI. */
export const chromiumRuns = existsSync(CHROMIUM) || inCi;

/** What a route serves: a content type and the body. */
export type Route = readonly [contentType: string, body: string | Uint8Array];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

export interface ServedPage {
  readonly page: Page;
  readonly origin: string;
  /** Uncaught errors of the page, as text. */
  readonly errors: string[];
  close(): Promise<void>;
}

function staticFile(root: string, path: string): Route | undefined {
  const file = normalize(join(root, path === '/' ? 'index.html' : decodeURIComponent(path)));
  if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) return undefined;
  return [TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file)];
}

/**
 * What makes a page cross-origin isolated (`crossOriginIsolated`): there `performance.now()`
 * ticks in microseconds rather than a tenth of a millisecond, fine enough to time one call.
 */
const ISOLATION_HEADERS = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } as const;

/**
 * Serves `routes` (exact paths) and, behind them, the files of `root` on 127.0.0.1, starts
 * Chromium with a throw-away profile and opens a page. `close` stops all of it. `isolated`
 * serves every response with the headers of cross-origin isolation (a bench's fine timer).
 */
export async function servePage(options: { routes?: Readonly<Record<string, Route>>; root?: string; isolated?: boolean }): Promise<ServedPage> {
  if (!existsSync(CHROMIUM)) throw new Error(`CI=${ci} but ${CHROMIUM} is missing: .ci/run installs Debian's chromium package`);
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push(path);
    const route = options.routes?.[path] ?? (options.root ? staticFile(normalize(options.root), path) : undefined);
    res.writeHead(route ? 200 : 404, { 'content-type': route ? route[0] : 'text/plain', ...(options.isolated ? ISOLATION_HEADERS : {}) });
    res.end(route ? route[1] : 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const profile = mkdtempSync(join(tmpdir(), 'nestoken-chromium-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (e) {
    server.close();
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const { port } = server.address() as AddressInfo;
  return {
    page,
    origin: `http://127.0.0.1:${port}`,
    errors,
    async close() {
      await context?.close();
      await new Promise((resolve) => server.close(resolve));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
