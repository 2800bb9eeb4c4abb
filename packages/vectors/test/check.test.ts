import { ERROR_CODES } from '@nestoken/core';
import { describe, expect, it } from 'vitest';
import { checkVectorText } from '../src/index.js';
import { allTests, committed } from './committed.js';

const mutate = (text: string, change: (json: { testGroups: Array<{ tests: Array<Record<string, unknown>> }> }) => void): string => {
  const json = JSON.parse(text) as { testGroups: Array<{ tests: Array<Record<string, unknown>> }> };
  change(json);
  return JSON.stringify(json);
};

describe('vectors check: every committed test gives its recorded result with the project verifier', () => {
  it.each(committed.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const report = await checkVectorText(name, c.text);
    expect(report.failures).toEqual([]);
    expect(report.total).toBe(c.json.numberOfTests);
  });

  it('meets the acceptance counts: at least 300 tests, at least half invalid, each invalid one with a flag and an error code', () => {
    const tests = committed.flatMap((c) => allTests(c).map((t) => t.test));
    const invalid = tests.filter((t) => t.result === 'invalid');
    expect(tests.length).toBeGreaterThanOrEqual(300);
    expect(invalid.length * 2).toBeGreaterThanOrEqual(tests.length);
    for (const t of invalid) {
      expect((t.flags as string[]).length).toBeGreaterThan(0);
      expect(Object.keys(ERROR_CODES)).toContain(t.errorCode);
    }
  });

  it('has teeth: a changed code, layer, verdict or path is reported', async () => {
    const id = committed.find((c) => c.name === 'id.json')!;
    const firstInvalid = (json: Parameters<Parameters<typeof mutate>[1]>[0]) => json.testGroups[0]!.tests.find((t) => t.result === 'invalid' && t.errorLayer !== undefined)!;
    const firstValid = (json: Parameters<Parameters<typeof mutate>[1]>[0]) => json.testGroups[0]!.tests.find((t) => t.result === 'valid')!;
    const cases = [
      mutate(id.text, (j) => void (firstInvalid(j).errorCode = 'ERR_EXPIRED')),
      mutate(id.text, (j) => void (firstInvalid(j).errorLayer = 7)),
      mutate(id.text, (j) => {
        const t = firstInvalid(j);
        t.result = 'valid';
        delete t.errorCode;
      }),
      mutate(id.text, (j) => {
        const path = firstValid(j).path as { hops: Array<{ identity: string }> };
        path.hops[0]!.identity = 'spiffe://example.org/someone-else';
      }),
      mutate(id.text, (j) => void (firstValid(j).jwt = `${String(firstValid(j).jwt)}x`)),
    ];
    for (const text of cases) expect((await checkVectorText('id.json', text)).failures.length).toBeGreaterThan(0);
    const crates = committed.find((c) => c.name === 'crates.json')!;
    const changed = mutate(crates.text, (j) => {
      const report = j.testGroups[0]!.tests[0]!.report as { proven: unknown[] };
      report.proven.reverse();
    });
    expect((await checkVectorText('crates.json', changed)).failures.length).toBeGreaterThan(0);
    expect((await checkVectorText('x.json', '{')).failures).toEqual(['x.json: not JSON']);
    const anon = committed.find((c) => c.name === 'anonymous.json')!;
    const wrongS = mutate(anon.text, (j) => {
      const steps = j.testGroups[0]!.tests[0]!.intermediates as Array<{ S: string }>;
      steps[0]!.S = steps[0]!.S.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    });
    expect((await checkVectorText('anonymous.json', wrongS)).failures).toEqual(['anonymous.json #1: intermediates differ']);
  });
});
