import { NestokenError } from '@nestoken/core';

/** A test of one option's value. */
export type Check = (v: unknown) => boolean;

const usage = (message: string): NestokenError => new NestokenError('ERR_USAGE', message);

export const isText: Check = (v) => typeof v === 'string' && v !== '' && v.length <= 2048;
export const isFunction: Check = (v) => typeof v === 'function';
export const isBoolean: Check = (v) => typeof v === 'boolean';
export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isWhole =
  (min: number, max: number): Check =>
  (v) =>
    Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;
/** A JWKS: an object whose `keys` is an array of at most 64 objects, checked before jose imports any. */
export const isKeySet: Check = (v) => isPlainObject(v) && Array.isArray(v.keys) && v.keys.length <= 64 && v.keys.every(isPlainObject);

/**
 * The boundary of every public function taking options: a plain object, no key it does not know
 * (a misspelt `trustDomian` must not silently fall back to a default), each value of its type,
 * the required ones present. `undefined` counts as absent.
 */
export function checkOptions(value: unknown, what: string, shape: Readonly<Record<string, Check>>, required: readonly string[] = []): void {
  if (!isPlainObject(value)) throw usage(`${what} takes an options object`);
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(shape, key)) throw usage(`${what}: unknown option ${JSON.stringify(key.slice(0, 64))}`);
    if (value[key] !== undefined && !shape[key]!(value[key])) throw usage(`${what}: option ${key} is not of its type`);
  }
  for (const key of required) if (value[key] === undefined) throw usage(`${what}: option ${key} is required`);
}
