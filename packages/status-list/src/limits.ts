import { resolveBounds } from '@nestoken/core';

/** Bounds checked before a status list or its token is worked on (spec §13.1). */
export interface StatusListLimits {
  /** The compressed list (`lst`), in bytes. */
  readonly maxCompressedBytes: number;
  /** The decompressed byte array; with `bits` this bounds the number of entries. */
  readonly maxListBytes: number;
  /** A whole Status List Token, either form, in bytes. */
  readonly maxTokenBytes: number;
}

/** 16 MiB holds 16 million 8-bit or 128 million 1-bit entries; a 1 MiB compressed list is already huge. */
export const DEFAULT_STATUS_LIST_LIMITS: StatusListLimits = Object.freeze({
  maxCompressedBytes: 1024 * 1024,
  maxListBytes: 16 * 1024 * 1024,
  maxTokenBytes: 2 * 1024 * 1024,
});

export const resolveStatusListLimits = (partial?: Partial<StatusListLimits>): StatusListLimits =>
  resolveBounds(DEFAULT_STATUS_LIST_LIMITS, partial, 'status list limit');
