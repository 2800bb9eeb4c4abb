import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cliDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(cliDir, 'bin', 'nestoken.js');
const NOW = 1_800_000_000;

function newestSource(dir: string): number {
  return Math.max(...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newestSource(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
}

/** `npm test` builds first; a run of this file alone rebuilds dist when src is newer, never tests stale code. */
function ensureBuilt(): void {
  const main = join(cliDir, 'dist', 'main.js');
  let built = 0;
  try {
    built = statSync(main).mtimeMs;
  } catch {
    // not built yet
  }
  if (built >= newestSource(join(cliDir, 'src'))) return;
  const tsc = join(cliDir, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(cliDir, 'tsconfig.json')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the cli failed:\n${r.stdout}${r.stderr}`);
}

let dir: string;

/** The real process: `node packages/cli/bin/nestoken.js ARGS`, in a scratch directory. */
function nestoken(args: string[], input?: string | Uint8Array): SpawnSyncReturns<Buffer> {
  return spawnSync(process.execPath, [bin, ...args], { cwd: dir, input: input ?? '', timeout: 30_000 });
}

function ok(args: string[], input?: string | Uint8Array): Buffer {
  const r = nestoken(args, input);
  if (r.status !== 0) throw new Error(`nestoken ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return r.stdout;
}

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'nestoken-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the nestoken executable', () => {
  it('keygen -> issue -> extend x3 -> verify exits 0; a tampered token exits 1 with its code; bad flags exit 2', () => {
    const parties = ['idp', 'gw', 'a', 'b', 'c'];
    const pubs = parties.map((name, i) => {
      const pub = ok(['keygen', '--sub', `spiffe://example.org/${name}`, '--seed', String(i + 1).padStart(2, '0').repeat(32), '--out', `${name}.jwk`]);
      writeFileSync(join(dir, `${name}.pub`), pub);
      return JSON.parse(pub.toString()) as unknown;
    });
    expect(statSync(join(dir, 'idp.jwk')).mode & 0o777).toBe(0o600);
    writeFileSync(join(dir, 'trust.json'), JSON.stringify({ keys: pubs }));

    writeFileSync(join(dir, 't0'), ok(['issue', '--key', 'idp.jwk', '--aud-key', 'gw.pub', '--claims', '{"sub":"alice"}', '--ttl', '600', '--now', String(NOW)]));
    const formats = ['cbor', 'jwt', 'cbor'];
    for (let i = 0; i < 3; i++) {
      const out = ok(['extend', '--in', `t${i}`, '--key', `${parties[i + 1]}.jwk`, '--aud-key', `${parties[i + 2]}.pub`, '--format', formats[i]!, '--claims', JSON.stringify({ data: { hop: i + 1 } })]);
      writeFileSync(join(dir, `t${i + 1}`), out);
    }

    const verified = nestoken(['verify', '--trust', 'trust.json', '--in', 't3', '--audience', 'c.pub', '--now', String(NOW + 1)]);
    expect(verified.status).toBe(0);
    expect(verified.stderr.toString()).toBe('');
    const text = verified.stdout.toString();
    expect(text).toMatch(/^valid id chain, 4 hops, cbor form/);
    for (const name of parties.slice(0, 4)) expect(text).toContain(`spiffe://example.org/${name}`);

    // The same token through standard input, and the proven path as JSON.
    const json = JSON.parse(ok(['verify', '--any-audience', '--trust', 'trust.json', '--json', '--now', String(NOW + 1)], readFileSync(join(dir, 't3'))).toString());
    expect(json.hops.map((h: { format: string }) => h.format)).toEqual(['jwt', 'cbor', 'jwt', 'cbor']);

    // Tampered: one character of the CBOR-form text changed in the middle of the last layer.
    const token = readFileSync(join(dir, 't3'), 'utf8').trim();
    const at = token.length - 30;
    writeFileSync(join(dir, 'bad'), token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1));
    const tampered = nestoken(['verify', '--any-audience', '--trust', 'trust.json', '--in', 'bad', '--now', String(NOW + 1)]);
    expect(tampered.status).toBe(1);
    expect(tampered.stdout.toString()).toBe('');
    expect(tampered.stderr.toString()).toMatch(/^ERR_[A-Z0-9_]+: /);
    // A layer cut out of a JWT-form chain: the layer after the gap implies the wrong key and prv (spec §4.6), and fails there.
    const t2 = readFileSync(join(dir, 't2'), 'utf8').trim().split('~');
    const spliced = nestoken(['verify', '--any-audience', '--trust', 'trust.json', '--now', String(NOW + 1)], [t2[0], t2[2]].join('~'));
    expect(spliced.status).toBe(1);
    expect(spliced.stderr.toString()).toMatch(/^ERR_(SIGNATURE_INVALID|ISSUER_MISMATCH|CHAIN_LINK): .*\(layer 1\)\n$/);

    for (const bad of [['verify', '--any-audience', '--in', 't3'], ['verify', '--any-audience', '--trust', 'trust.json', '--no-such-flag'], ['frobnicate']]) {
      const r = nestoken(bad);
      expect(r.status, bad.join(' ')).toBe(2);
      expect(r.stdout.toString()).toBe('');
      expect(r.stderr.toString()).toMatch(/usage: nestoken/);
    }
  });

  it('writes raw CBOR with --binary and reads it back from standard input', () => {
    ok(['keygen', '--seed', '11'.repeat(32), '--sub', 'https://idp.example', '--out', 'k.jwk']);
    writeFileSync(join(dir, 'k-trust.json'), JSON.stringify({ keys: [JSON.parse(ok(['keygen', '--public', '--in', 'k.jwk']).toString())] }));
    const raw = ok(['issue', '--key', 'k.jwk', '--aud-key', 'k.jwk', '--format', 'cbor', '--binary', '--ttl', '60', '--now', String(NOW)]);
    expect([...raw.subarray(0, 5)]).toEqual([0xda, 0x7b, 0x2d, 0x00, 0x02]);
    const out = ok(['verify', '--any-audience', '--trust', 'k-trust.json', '--now', String(NOW)], raw).toString();
    expect(out).toMatch(/^valid id chain, 1 hop, cbor form\nissuer https:\/\/idp.example\n/);
    const tree = ok(['inspect'], raw).toString();
    expect(tree).toMatch(/^cbor form, 1 layer, \d+ bytes: decodes/);
  });

  it('prints help with exit 0', () => {
    const r = nestoken(['help']);
    expect(r.status).toBe(0);
    for (const c of ['keygen', 'issue', 'extend', 'verify', 'inspect']) expect(r.stdout.toString()).toContain(`  ${c} `);
    expect(nestoken(['verify', '--help']).stdout.toString()).toMatch(/^nestoken verify: .*\nusage: nestoken verify --trust/);
  });
});
