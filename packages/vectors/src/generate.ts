import { anonymousVectors } from './topics/anonymous.js';
import { crateVectors } from './topics/crates.js';
import { encodingsVectors } from './topics/encodings.js';
import { es256Vectors } from './topics/es256.js';
import { hybridVectors } from './topics/hybrid.js';
import { idVectors } from './topics/id.js';
import { limitsVectors } from './topics/limits.js';
import { trustVectors } from './topics/trust.js';
import { txnTokenVectors } from './topics/txn-tokens.js';
import { x509SvidVectors } from './topics/x509-svid.js';

/** The vector files in the order they are written and checked. */
export const VECTOR_FILES: ReadonlyArray<{ readonly name: string; readonly build: (seed: string) => Promise<unknown> }> = [
  { name: 'id.json', build: idVectors },
  { name: 'anonymous.json', build: anonymousVectors },
  { name: 'hybrid.json', build: hybridVectors },
  { name: 'es256.json', build: es256Vectors },
  { name: 'encodings.json', build: encodingsVectors },
  { name: 'trust.json', build: trustVectors },
  { name: 'x509-svid.json', build: x509SvidVectors },
  { name: 'limits.json', build: limitsVectors },
  { name: 'crates.json', build: crateVectors },
  { name: 'txn-tokens.json', build: txnTokenVectors },
];

/** Two-space JSON with a final newline; member order is fixed by construction, so the text is a function of the seed. */
export const stableJson = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

export async function generateVectors(seed: string): Promise<Array<{ name: string; text: string }>> {
  if (typeof seed !== 'string' || seed === '') throw new RangeError('the seed is a non-empty string');
  const out: Array<{ name: string; text: string }> = [];
  for (const f of VECTOR_FILES) out.push({ name: f.name, text: stableJson(await f.build(seed)) });
  return out;
}
