import { nobleGroup, useCryptoBackend, useGroupBackend, type CryptoBackend, type GroupBackend } from '@nestoken/core';
import type { Operation } from '../measure.js';

export interface Backends {
  readonly crypto: CryptoBackend;
  /** The aggregate modes' group arithmetic; default noble. */
  readonly group?: GroupBackend;
}

/** Makes `backends` the active ones. */
export function selectBackends(backends: Backends): void {
  useCryptoBackend(backends.crypto);
  useGroupBackend(backends.group ?? nobleGroup);
}

/**
 * The crypto and group seams are process-wide. Every nestoken operation selects its backends
 * as it starts, so scenarios on different backends can be timed interleaved, sample by sample.
 */
export const onBackend =
  (backends: Backends, op: Operation): Operation =>
  () => {
    selectBackends(backends);
    return op();
  };
