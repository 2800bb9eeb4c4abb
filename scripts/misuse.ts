/**
 * The misuse property shared by the package tests (spec §2.7): every public function and class
 * of a package, given arbitrary arguments, returns or throws a NestokenError; never a TypeError,
 * never a hang.
 */
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import { isNestokenError } from '@nestoken/core';

/** A proxy that throws on every trap: a getter-shaped trap for any code that reads without guarding. */
export const throwingProxy = (): object =>
  new Proxy(
    {},
    {
      // Symbol lookups are left alone: the property runner itself asks for its clone symbol.
      get: (_t, k) => {
        if (typeof k === 'symbol') return undefined;
        throw new Error('trap: get');
      },
      has: (_t, k) => {
        if (typeof k === 'symbol') return false;
        throw new Error('trap: has');
      },
      ownKeys: () => {
        throw new Error('trap: ownKeys');
      },
      getPrototypeOf: () => {
        throw new Error('trap: getPrototypeOf');
      },
      getOwnPropertyDescriptor: () => {
        throw new Error('trap: getOwnPropertyDescriptor');
      },
    },
  );

/** Arguments a careless or hostile caller passes: anything, wrong types, huge text, throwing proxies, functions. */
export const hostileArgument: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withObjectString: true }) },
  fc.constantFrom(null, undefined, 0, -1, Number.NaN, Infinity, '', 'JWT', 'CBOR', 'id', 'hybrid', true, [], {}, new Uint8Array(0), Symbol('s')),
  fc.constant(null).map(() => 'A'.repeat(300_000)),
  fc.constant(null).map(throwingProxy),
  fc.func(fc.anything()),
  fc.uint8Array({ maxLength: 64 }),
  fc.dictionary(fc.constantFrom('trust', 'key', 'audience', 'limits', 'layers', 'claims', 'format', 'mode', 'modes', 'now', 'blocks', 'root'), fc.anything()),
);

/** How long one call may take before it counts as a hang; generous, so a loaded machine never trips it. */
const HANG_MS = 5_000;

/** What a call did that it must not: `undefined` when it returned or threw a NestokenError. */
export async function misuseOutcome(call: () => unknown): Promise<string | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const result = call();
    if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
      const hang = new Promise<'hang'>((resolve) => {
        timer = setTimeout(() => resolve('hang'), HANG_MS);
      });
      if ((await Promise.race([result as Promise<unknown>, hang])) === 'hang') return 'hangs';
    }
    return undefined;
  } catch (e) {
    return isNestokenError(e) ? undefined : `throws ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  } finally {
    clearTimeout(timer);
  }
}

/** Every function and class a module exports, by name, except the listed ones. */
export function callableExports(module: Record<string, unknown>, except: readonly string[] = []): Array<[string, (...args: unknown[]) => unknown]> {
  return Object.entries(module)
    .filter(([name, value]) => typeof value === 'function' && !except.includes(name))
    .map(([name, value]) => [name, value as (...args: unknown[]) => unknown]);
}

/** Calls a function, or constructs a class (a function whose prototype has its own methods, or a native class). */
function invoke(fn: (...args: unknown[]) => unknown, args: unknown[]): unknown {
  const isClass = /^class\b/.test(Function.prototype.toString.call(fn));
  return isClass ? Reflect.construct(fn, args) : fn(...args);
}

/**
 * The property itself: for each export, `runs` argument lists of zero to three hostile values.
 * Returns the failures found (export name, what it did, and the arguments' types), empty when
 * the module keeps its promise.
 */
export async function misuseFailures(module: Record<string, unknown>, options: { except?: readonly string[]; runs?: number; seed?: number } = {}): Promise<string[]> {
  const failures: string[] = [];
  for (const [name, fn] of callableExports(module, options.except)) {
    const started = Date.now();
    if (process.env.MISUSE_TRACE) appendFileSync(process.env.MISUSE_TRACE, `${name}…\n`);
    await fc.assert(
      fc.asyncProperty(fc.array(hostileArgument, { maxLength: 3 }), async (args) => {
        const outcome = await misuseOutcome(() => invoke(fn, args));
        if (outcome !== undefined) failures.push(`${name}(${args.map(describe).join(', ')}) ${outcome}`);
        return true;
      }),
      { numRuns: options.runs ?? 40, ...(options.seed !== undefined ? { seed: options.seed } : {}) },
    );
    if (process.env.MISUSE_TRACE) appendFileSync(process.env.MISUSE_TRACE, `${name}: ${Date.now() - started} ms ${failures.length} failures\n`);
  }
  return [...new Set(failures)];
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v.length > 16 ? `string(${v.length})` : JSON.stringify(v);
  if (typeof v !== 'object') return typeof v;
  if (Array.isArray(v)) return `array(${v.length})`;
  try {
    return v.constructor?.name ?? 'object';
  } catch {
    return 'proxy';
  }
}
