import { NestokenError } from '../errors.js';

/** Milliseconds a caller's hook (revocation, replay cache) may take before the operation fails closed. */
export const DEFAULT_HOOK_TIMEOUT_MS = 2000;

/**
 * Runs a caller's hook and fails closed: a hook that throws, rejects or does not settle within
 * `ms` is `ERR_HOOK_FAILED` (the hook's error kept as the cause) instead of an acceptance or a
 * hang. A NestokenError the hook throws on purpose keeps its code.
 */
export async function callHook<T>(what: string, ms: number, run: () => T | PromiseLike<T>): Promise<T> {
  try {
    return await withinTimeout(what, ms, run);
  } catch (e) {
    if (e instanceof NestokenError) throw e;
    throw new NestokenError('ERR_HOOK_FAILED', `the ${what} failed`, { cause: e });
  }
}

/**
 * Only the timeout of `callHook`: what the hook throws passes through unchanged, for a caller with
 * its own rule (spec §7.7). A hook that answers at once (an in-memory list) needs no timer: it
 * cannot hang.
 */
export async function withinTimeout<T>(what: string, ms: number, run: () => T | PromiseLike<T>): Promise<T> {
  const answer = run();
  if (!isThenable(answer)) return answer;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NestokenError('ERR_HOOK_FAILED', `the ${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve(answer), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const isThenable = <T>(v: T | PromiseLike<T>): v is PromiseLike<T> =>
  (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
