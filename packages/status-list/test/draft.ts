import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('./fixtures/draft/', import.meta.url));
export const draftFile = (name: string): string => readFileSync(dir + name, 'utf8');

/** The hex of a `*_cbor.md` example: the text after `encoded:` if present, without white space. */
export function draftHex(name: string): Uint8Array {
  const text = draftFile(name);
  const body = text.includes('encoded:') ? text.slice(text.indexOf('encoded:') + 8) : text;
  return Uint8Array.from(Buffer.from(body.replace(/\s/g, ''), 'hex'));
}

/** The JSON object of a `*_json.md` example; long `lst` values are wrapped over lines there. */
export function draftJson(name: string): { bits: number; lst: string } {
  const text = draftFile(name);
  const json = text.slice(text.indexOf('{'));
  return JSON.parse(json.replace(/\n\s*/g, '')) as { bits: number; lst: string };
}

export interface ExpectedList {
  readonly bits: number;
  readonly size: number;
  readonly statuses: Record<string, number>;
}
export const expected = JSON.parse(draftFile('expected-statuses.json')) as Record<string, ExpectedList>;

/** The raw (unwrapped) example tokens. */
export const draftJwt = (): string => draftFile('status_list_jwt_raw.md').replace(/\s/g, '');
export const draftHexToken = (name: string): Uint8Array => Uint8Array.from(Buffer.from(draftFile(name).replace(/\s/g, ''), 'hex'));
