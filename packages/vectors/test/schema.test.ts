import { readFileSync } from 'node:fs';
import { ERROR_CODES } from '@nestoken/core';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { committed, SCHEMA_DIR } from './committed.js';

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
const load = (name: string) => JSON.parse(readFileSync(`${SCHEMA_DIR}/${name}`, 'utf8')) as { $id: string; definitions: { errorCode: { enum: string[] } } };
for (const name of ['common.schema.json', 'token-vectors.schema.json', 'crate-vectors.schema.json']) ajv.addSchema(load(name));

const validate = (doc: unknown) => {
  const v = ajv.getSchema((doc as { schema: string }).schema);
  if (!v) throw new Error(`no schema ${(doc as { schema: string }).schema}`);
  return { ok: v(doc) as boolean, errors: v.errors };
};

describe('JSON Schema (test-vectors/schema)', () => {
  it.each(committed.map((c) => [c.name, c] as const))('%s validates against its schema', (_name, c) => {
    const { ok, errors } = validate(c.json);
    expect(errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('lists exactly the error codes of core', () => {
    expect(load('common.schema.json').definitions.errorCode.enum).toEqual(Object.keys(ERROR_CODES));
  });

  it('has teeth: broken files are refused', () => {
    const id = committed.find((c) => c.name === 'id.json')!;
    const broken = (change: (j: Record<string, any>) => void) => {
      const j = JSON.parse(id.text) as Record<string, any>;
      change(j);
      return validate(j).ok;
    };
    expect(broken(() => undefined)).toBe(true);
    expect(broken((j) => delete j.testGroups[0].tests.find((t: { result: string }) => t.result === 'invalid').errorCode)).toBe(false);
    expect(broken((j) => (j.testGroups[0].tests[0].errorCode = 'ERR_SIGNATURE_INVALID'))).toBe(false);
    expect(broken((j) => (j.testGroups[0].tests[0].flags = []))).toBe(false);
    expect(broken((j) => (j.testGroups[0].tests[0].surprise = 1))).toBe(false);
    expect(broken((j) => (j.notes[Object.keys(j.notes)[0]!].specRef = 'section 4'))).toBe(false);
    expect(broken((j) => (j.testGroups[0].tests[0].errorCode = 'ERR_NOT_A_CODE'))).toBe(false);
    expect(
      broken((j) => {
        delete j.testGroups[0].tests[0].jwt;
        delete j.testGroups[0].tests[0].cborHex;
      }),
    ).toBe(false);
  });
});
