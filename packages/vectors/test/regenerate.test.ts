import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generateVectors, VECTOR_FILES } from '../src/index.js';
import { committed, ROOT } from './committed.js';

const run = promisify(execFile);

/**
 * Two CLI processes: one generates every vector file (seconds of CPU), one checks them all. On the
 * shared 2-core CI machine under full load that has taken over 60 s; the bound is there to catch a
 * hang, not to time the generator (speed is measured in packages/bench).
 */
const REGENERATE_TIMEOUT_MS = 300_000;

describe('regeneration (spec appendix A)', () => {
  it('the committed directory holds exactly the generated files, all from one seed', () => {
    expect(committed.map((c) => c.name)).toEqual(VECTOR_FILES.map((f) => f.name).sort());
    expect(new Set(committed.map((c) => c.json.seed)).size).toBe(1);
  });

  it('`nestoken vectors generate --seed S` reproduces every committed file byte for byte', async () => {
    const seed = committed[0]!.json.seed;
    const out = mkdtempSync(`${tmpdir()}/nestoken-vectors-`);
    try {
      await run(process.execPath, [`${ROOT}packages/cli/bin/nestoken.js`, 'vectors', 'generate', '--seed', seed, '--out', out]);
      expect(readdirSync(out).sort()).toEqual(committed.map((c) => c.name));
      for (const c of committed) {
        const fresh = readFileSync(`${out}/${c.name}`, 'utf8');
        // A mismatch names the first differing line, not a 700 KB diff.
        const line = fresh.split('\n').findIndex((l, i) => l !== c.text.split('\n')[i]);
        expect(line, `${c.name} differs from line ${line + 1}: run nestoken vectors generate --seed ${seed}`).toBe(-1);
        expect(fresh).toBe(c.text);
      }
      // `vectors check` over the fresh copy, one result changed: it must say which, and fail.
      const id = JSON.parse(readFileSync(`${out}/id.json`, 'utf8')) as { testGroups: Array<{ tests: Array<{ tcId: number; result: string; errorCode?: string }> }> };
      const victim = id.testGroups[0]!.tests.find((t) => t.result === 'invalid')!;
      victim.errorCode = 'ERR_REVOKED';
      writeFileSync(`${out}/id.json`, JSON.stringify(id));
      const checked = await run(process.execPath, [`${ROOT}packages/cli/bin/nestoken.js`, 'vectors', 'check', '--dir', out]).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(checked.code).toBe(1);
      expect(checked.stderr).toContain(`id.json #${victim.tcId} (`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, REGENERATE_TIMEOUT_MS);

  it('another seed gives other keys, nonces and bytes', async () => {
    const limits = VECTOR_FILES.find((f) => f.name === 'limits.json')!;
    const [a, b] = await Promise.all([limits.build('seed-a'), limits.build('seed-b')]);
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
    expect(JSON.stringify(await limits.build('seed-a'))).toBe(JSON.stringify(a));
  });

  it('refuses an empty seed', async () => {
    await expect(generateVectors('')).rejects.toThrow(RangeError);
  });
});
