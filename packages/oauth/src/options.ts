import { checkOptions as checkTable, checks, describedCheck, type OptionCheck } from '@nestoken/core';

/** A test of one option's value (core's option table check). */
export type Check = OptionCheck;

export const isText: Check = checks.text;
export const isFunction: Check = checks.function;
export const isBoolean: Check = checks.boolean;
export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isWhole = (min: number, max: number): Check => checks.whole(min, max);
/** A JWKS: an object whose `keys` is an array of at most 64 objects, checked before jose imports any. */
export const isKeySet: Check = describedCheck('a JWK Set of at most 64 keys', (v) => isPlainObject(v) && Array.isArray(v.keys) && v.keys.length <= 64 && v.keys.every(isPlainObject));

/**
 * The boundary of every public function taking options: core's one option-table check (a plain
 * object, no unknown key, with the near miss suggested; each value of its type; the required ones
 * present).
 */
export function checkOptions(value: unknown, what: string, shape: Readonly<Record<string, Check>>, required: readonly string[] = []): void {
  checkTable(value, what, shape, required);
}
