import { fail } from '@nestoken/core';

/** Options are a plain object of known keys: a misspelt key would silently keep a default. */
export function checkOptionKeys(o: unknown, allowed: ReadonlySet<string>, what: string): void {
  if (typeof o !== 'object' || o === null) fail('ERR_USAGE', `${what} takes an options object`);
  for (const k of Object.keys(o)) if (!allowed.has(k)) fail('ERR_USAGE', `${what}: unknown option ${k}`);
}

/** A whole number of seconds or milliseconds: `positive` excludes zero. */
export function checkWhole(v: unknown, what: string, positive: boolean): void {
  if (v !== undefined && (!Number.isSafeInteger(v) || (v as number) < (positive ? 1 : 0))) fail('ERR_USAGE', `${what} must be a ${positive ? 'positive' : 'non-negative'} whole number`);
}
