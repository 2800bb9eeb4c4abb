import { NestokenError } from './errors.js';

/**
 * The last line of the public boundary (spec §2.7): whatever escapes a public function that is
 * not a NestokenError came from arguments of the wrong shape (a getter that throws, a number
 * where bytes belong), so it leaves as `ERR_USAGE`, the original kept as the cause. Each entry
 * point still checks its own arguments and options first, with a message that names them; this
 * keeps the promise for every export, including the small helpers.
 *
 * @typeParam F - the guarded function's own type, kept exactly (overloads included)
 */
export function usageBoundary<F extends (...args: never[]) => unknown>(name: string, fn: F): F {
  if (typeof name !== 'string' || typeof fn !== 'function') throw new NestokenError('ERR_USAGE', 'usageBoundary takes a name and a function');
  const guarded = function (this: unknown, ...args: Parameters<F>): unknown {
    try {
      const result = fn.apply(this, args);
      return result instanceof Promise ? result.catch((e: unknown) => Promise.reject(asUsage(name, e))) : result;
    } catch (e) {
      throw asUsage(name, e);
    }
  };
  Object.defineProperty(guarded, 'name', { value: fn.name });
  // Markers a framework reads off the function (Fastify's skip-override, display name) stay on it.
  Object.assign(guarded, fn);
  return guarded as unknown as F;
}

function asUsage(name: string, e: unknown): NestokenError {
  if (e instanceof NestokenError) return e;
  const detail = e instanceof Error ? e.message : 'a value that is not an Error was thrown';
  return new NestokenError('ERR_USAGE', `${name}: an argument is not of its documented type (${detail.slice(0, 200)})`, { cause: e });
}
