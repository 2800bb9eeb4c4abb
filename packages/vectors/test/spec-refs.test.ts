import { readdirSync, readFileSync } from 'node:fs';
import { ERROR_CODES } from '@nestoken/core';
import { describe, expect, it } from 'vitest';
import { FLAGS, VECTOR_FILES } from '../src/index.js';
import { committed, ROOT } from './committed.js';

const SPEC = `${ROOT}spec`;
const specFiles = readdirSync(SPEC).filter((n) => n.endsWith('.md'));
/** Section numbers that open a heading: `## 4.5 Format changes` gives 4.5, `# A Test vectors` gives A. */
const sections = new Set(
  specFiles.flatMap((n) =>
    readFileSync(`${SPEC}/${n}`, 'utf8')
      .split('\n')
      .flatMap((line) => {
        const m = /^#{1,6}\s+([0-9A-Z]+(?:\.[0-9]+)*)\s/.exec(line);
        return m ? [m[1]!] : [];
      }),
  ),
);
const cited = (ref: string): string => {
  const m = /§\s*([0-9A-Z]+(?:\.[0-9]+)*)/.exec(ref);
  if (!m) throw new Error(`not a section reference: ${ref}`);
  return m[1]!;
};

describe('every cited section exists in spec/', () => {
  it('reads headings', () => {
    expect(sections.has('4.5')).toBe(true);
    expect(sections.has('4.55')).toBe(false);
  });
  it.each(committed.map((c) => [c.name, c] as const))('every specRef in %s', (_name, c) => {
    for (const [flag, note] of Object.entries(c.json.notes)) expect(sections.has(cited(note.specRef)), `${flag}: ${note.specRef}`).toBe(true);
  });
  it('every flag the generator knows', () => {
    for (const [flag, note] of Object.entries(FLAGS)) expect(sections.has(cited(note.specRef)), `${flag}: ${note.specRef}`).toBe(true);
  });
  it('every section an error code cites (packages/core/src/errors.ts)', () => {
    for (const [code, ref] of Object.entries(ERROR_CODES)) expect(sections.has(cited(ref)), `${code}: ${ref}`).toBe(true);
  });
});

describe('spec appendix A lists every vector file and every flag', () => {
  const appendix = readFileSync(`${SPEC}/appendix-vectors.md`, 'utf8');
  it('files', () => {
    for (const { name } of VECTOR_FILES) expect(appendix).toContain(`\`${name}\``);
  });
  it('flags, each with its section', () => {
    for (const [flag, note] of Object.entries(FLAGS)) {
      const row = appendix.split('\n').find((l) => l.startsWith(`| \`${flag}\` |`));
      expect(row, flag).toBeDefined();
      expect(row).toContain(note.specRef);
    }
  });
});
