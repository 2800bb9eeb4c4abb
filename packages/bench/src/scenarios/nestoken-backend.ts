import { useCryptoBackend, type CryptoBackend } from '@nestoken/core';
import type { Operation } from '../measure.js';

/**
 * The crypto seam is process-wide. Every nestoken operation selects its backend as it
 * starts, so scenarios on different backends can be timed interleaved, sample by sample.
 */
export const onBackend =
  (backend: CryptoBackend, op: Operation): Operation =>
  () => {
    useCryptoBackend(backend);
    return op();
  };
