import { NestokenError } from '@nestoken/core';

/** Milliseconds a hook (revocation, replay cache) may take before the request is refused. */
export const DEFAULT_HOOK_TIMEOUT_MS = 2000;

/**
 * Runs a hook and fails closed: a hook that throws, rejects or does not settle within `ms`
 * refuses the request (`ERR_HOOK_FAILED`) instead of accepting it or leaving it hanging.
 * A NestokenError the hook throws on purpose keeps its code.
 */
export async function callHook<T>(what: string, ms: number, run: () => T | PromiseLike<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NestokenError('ERR_HOOK_FAILED', `the ${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve().then(run), timeout]);
  } catch (e) {
    if (e instanceof NestokenError) throw e;
    throw new NestokenError('ERR_HOOK_FAILED', `the ${what} failed`, { cause: e });
  } finally {
    clearTimeout(timer);
  }
}
