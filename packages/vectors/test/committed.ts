import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root, and the committed vectors as other implementations get them. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const VECTOR_DIR = `${ROOT}test-vectors/v1`;
export const SCHEMA_DIR = `${ROOT}test-vectors/schema`;

export interface Committed {
  readonly name: string;
  readonly text: string;
  readonly json: { seed: string; schema: string; notes: Record<string, { specRef: string }>; testGroups: Array<{ tests: Array<Record<string, unknown>>; [k: string]: unknown }>; [k: string]: unknown };
}

export const committed: readonly Committed[] = readdirSync(VECTOR_DIR)
  .filter((n) => n.endsWith('.json'))
  .sort()
  .map((name) => {
    const text = readFileSync(`${VECTOR_DIR}/${name}`, 'utf8');
    return { name, text, json: JSON.parse(text) as Committed['json'] };
  });

export const allTests = (c: Committed) => c.json.testGroups.flatMap((g) => g.tests.map((t) => ({ group: g, test: t })));
