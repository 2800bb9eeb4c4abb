import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { world } from './world.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'nestoken.js');
const NOW = 1_800_000_000;
let dir: string;

/** Runs the real CLI with a module hook that lists every module it loads (Node's `module.register`). */
function loadedBy(args: string[]): { status: number | null; modules: string[]; stderr: string } {
  const hooks = pathToFileURL(join(dir, 'hooks.mjs')).href;
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, bin, ...args], { cwd: dir, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NESTOKEN_TEST_HOOKS: hooks } });
  const modules = r.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice(7));
  return { status: r.status, modules, stderr: r.stderr };
}

const pkg = (url: string): string | undefined => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? /packages\/([^/]+)\/dist\//.exec(url)?.[1];

describe('cold start: a command loads only what it needs', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nestoken-cold-'));
    writeFileSync(join(dir, 'hooks.mjs'), 'export async function load(url, context, next) { process.stderr.write(`LOADED ${url}\\n`); return next(url, context); }\n');
    writeFileSync(join(dir, 'register.mjs'), "import { register } from 'node:module';\nregister(process.env.NESTOKEN_TEST_HOOKS);\n");
    const io = await world();
    await io.ok(['issue', '--key', 'idp.jwk', '--aud-key', 'gw.pub', '--claims', '{"iss":"https://idp.example","sub":"alice"}', '--ttl', '600', '--now', String(NOW)], 'token');
    for (const name of ['trust.json', 'gw.pub', 'token']) writeFileSync(join(dir, name), io.files.get(name)!);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verify of a chain whose keys are in the bundle loads no crate stack, status lists, jose or certificate schemas', () => {
    const r = loadedBy(['verify', '--trust', 'trust.json', '--in', 'token', '--audience', 'gw.pub', '--now', String(NOW + 10)]);
    expect(r.status, r.stderr).toBe(0);
    const packages = new Set(r.modules.map(pkg).filter((p) => p !== undefined));
    expect(packages).toContain('core');
    for (const absent of ['crate', 'status-list', 'vectors', 'jose', '@ipld/car', '@ipld/dag-cbor', 'multiformats', 'fflate', '@peculiar/asn1-x509', '@peculiar/asn1-schema']) {
      expect([...packages]).not.toContain(absent);
    }
  });

  it('the crate and status commands still load their stacks', () => {
    const crate = loadedBy(['crate', 'new']);
    expect(crate.status, crate.stderr).toBe(0);
    expect(crate.modules.some((m) => pkg(m) === 'crate')).toBe(true);
    const status = loadedBy(['status', 'new', '--bits', '1', '--size', '8']);
    expect(status.status, status.stderr).toBe(0);
    expect(status.modules.some((m) => pkg(m) === 'status-list')).toBe(true);
  });
});
