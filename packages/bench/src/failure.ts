/**
 * A scenario that throws is a result of the run, recorded where its figures would be, never
 * the end of the run. What was thrown may be anything: wasm libraries throw plain objects
 * (Biscuit's authorizer gives `{ "Timeout": ... }`), which `String()` turns into
 * "[object Object]"; the reason keeps what the thrower said.
 */
const MAX_REASON = 300;

export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  if (typeof e === 'string') return e;
  if (typeof e === 'object' && e !== null) {
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && message !== '') return message;
    try {
      const json = JSON.stringify(e);
      if (json !== undefined && json !== '{}') return json;
    } catch {
      // cyclic or otherwise unserialisable: fall through
    }
    const text = String(e);
    return text === '[object Object]' ? `a ${e.constructor?.name ?? 'plain'} object with no message` : text;
  }
  return String(e);
}

/** The reason a row gives for a figure it could not measure. */
export const failureReason = (e: unknown): string => `failed: ${describeError(e)}`.slice(0, MAX_REASON);

/** One failure in a run: which row (or phase), at which hop count or size, and why. */
export interface RunFailure {
  readonly id: string;
  /** Hop count or crate size; absent for a phase-wide failure. */
  readonly at?: number;
  readonly operation: string;
  readonly reason: string;
  /** nestoken and the floor failing is a bug in this repository: the run finishes, then exits non-zero. */
  readonly ours: boolean;
}
