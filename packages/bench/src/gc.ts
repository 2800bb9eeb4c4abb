import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options?: { type?: 'minor' | 'major' }) => void;

/**
 * V8's collector, even when node was started without --expose-gc: the flag can still be set
 * at run time, and a fresh context then sees `gc`. Undefined if the runtime refuses.
 */
function findCollector(): Collect | undefined {
  const exposed = (globalThis as { gc?: Collect }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as Collect) : undefined;
  } catch {
    return undefined;
  }
}

const collect = findCollector();

/** Empties the young generation, so a sample does not pay for garbage another operation left. */
export const minorGc = (): void => collect?.({ type: 'minor' });

/** A full collection, for a clean baseline before a memory measurement. */
export const majorGc = (): void => collect?.();
