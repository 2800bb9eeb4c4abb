import { NestokenError } from '@nestoken/core';

/** Milliseconds a hook (revocation, replay cache) may take before the request is refused. */
export const DEFAULT_HOOK_TIMEOUT_MS = 2000;

/**
 * Runs a hook and fails closed: a hook that throws, rejects or does not settle within `ms`
 * refuses the request (`ERR_HOOK_FAILED`) instead of accepting it or leaving it hanging.
 * A NestokenError the hook throws on purpose keeps its code.
 */
export async function callHook<T>(what: string, ms: number, run: () => T | PromiseLike<T>): Promise<T> {
  // A hook that answers at once (the in-memory replay cache) needs no timer: it cannot hang.
  let answer: T | PromiseLike<T>;
  let pending: boolean;
  try {
    answer = run();
    pending = isThenable(answer);
  } catch (e) {
    if (e instanceof NestokenError) throw e;
    throw new NestokenError('ERR_HOOK_FAILED', `the ${what} failed`, { cause: e });
  }
  return pending ? settled(what, ms, answer as PromiseLike<T>) : (answer as T);
}

const isThenable = <T>(v: T | PromiseLike<T>): v is PromiseLike<T> =>
  (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';

async function settled<T>(what: string, ms: number, pending: PromiseLike<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NestokenError('ERR_HOOK_FAILED', `the ${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve(pending), timeout]);
  } catch (e) {
    if (e instanceof NestokenError) throw e;
    throw new NestokenError('ERR_HOOK_FAILED', `the ${what} failed`, { cause: e });
  } finally {
    clearTimeout(timer);
  }
}
