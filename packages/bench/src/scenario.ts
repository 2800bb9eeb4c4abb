import type { Operation } from './measure.js';
import type { PrepareContext } from './scenarios/first-sight.js';

export type Family = 'nestoken' | 'peer' | 'floor';

/** One way to verify a chain; a scenario with several (MSM vs sequential) shares its tokens between them. */
export interface Verifier {
  readonly id: string;
  /** Appended to the scenario's label; empty for a scenario with a single verifier. */
  readonly label: string;
}

export const SINGLE_VERIFIER: readonly Verifier[] = [{ id: 'verify', label: '' }];

/** Everything needed to time one system at one hop count; built outside the timed region. */
export interface PreparedChain {
  /** Size of the n-hop token on the wire, in bytes; absent where there is no token (the floor). */
  readonly bytes?: number;
  /** Build an n-hop token from nothing: the root plus n-1 extensions, encoded once at the end. */
  readonly issue?: Operation;
  /** Receive the n-hop token as wire bytes, add one hop, encode it again. */
  readonly extend?: Operation;
  /** Per verifier id: check the whole n-hop chain as a relying party would; throws when it does not verify. */
  readonly verify: Readonly<Record<string, Operation>>;
  /** Release non-GC resources (wasm objects). */
  dispose?(): void;
}

export interface ChainScenario {
  readonly id: string;
  readonly label: string;
  /** Label in the size chart when several scenarios make the same bytes (two crypto backends); default `label`. */
  readonly sizeLabel?: string;
  readonly family: Family;
  /** Scenarios of one group share a memory measurement. */
  readonly group: string;
  readonly verifiers: readonly Verifier[];
  /** What a reader must know to read the numbers fairly. */
  readonly note?: string;
  /** Hop counts above this are not measured, for the reason given (a token that would not fit in memory). */
  readonly limit?: { readonly maxHops: number; readonly reason: string };
  /** Process-wide state for this scenario (crypto backend); undone by `teardown`. */
  setup?(): void | Promise<void>;
  teardown?(): void | Promise<void>;
  /** `context` is absent where a caller has none to give (the defaults then hold). */
  prepare(hops: number, context?: PrepareContext): Promise<PreparedChain>;
}
