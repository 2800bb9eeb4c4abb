import { NestokenError, resolveBounds } from '@nestoken/core';

/** Bounds applied to every crate before any hashing or decoding (spec §10.6). */
export interface CrateLimits {
  /** Nodes in one crate, present and trimmed together. */
  readonly maxNodes: number;
  /** Longest path of links from the root, counted in nodes (a lone root has depth 1). */
  readonly maxDepth: number;
  /** Links in one node. */
  readonly maxFanout: number;
  /** Bytes of one encoded node. */
  readonly maxNodeBytes: number;
  /** Sum of all present nodes' bytes, and the size of a transport form before it is parsed. */
  readonly maxTotalBytes: number;
  /** Nesting of lists and maps inside `meta` and `claims`. */
  readonly maxDataDepth: number;
}

/** The bounds every crate decoder and operation applies unless options change them (spec §10.7). */
export const DEFAULT_CRATE_LIMITS: CrateLimits = Object.freeze({
  maxNodes: 10_000,
  maxDepth: 256,
  maxFanout: 1024,
  maxNodeBytes: 260 * 1024,
  maxTotalBytes: 4 * 1024 * 1024,
  maxDataDepth: 16,
});

/** The limits to apply: the defaults with `partial` over them, each checked. */
export const resolveCrateLimits = (partial?: Partial<CrateLimits>): CrateLimits => resolveBounds(DEFAULT_CRATE_LIMITS, partial, 'crate limit');

export function checkLimit(value: number, max: number, what: string): void {
  if (value > max) throw new NestokenError('ERR_LIMIT_EXCEEDED', `${what}: ${value}, above the limit of ${max}`);
}

export function checkBytes(length: number, max: number, what: string): void {
  if (length > max) throw new NestokenError('ERR_INPUT_TOO_LARGE', `${what} is ${length} bytes, above the limit of ${max}`);
}

/** For relinking nodes of a crate that already passed its limits, into a crate no larger. */
export const UNBOUNDED: CrateLimits = Object.freeze({
  maxNodes: Number.MAX_SAFE_INTEGER,
  maxDepth: Number.MAX_SAFE_INTEGER,
  maxFanout: Number.MAX_SAFE_INTEGER,
  maxNodeBytes: Number.MAX_SAFE_INTEGER,
  maxTotalBytes: Number.MAX_SAFE_INTEGER,
  maxDataDepth: Number.MAX_SAFE_INTEGER,
});

/** Framing that either transport form adds, at most, per node (present or trimmed) and once (spec §10.6). */
export const FRAMING_PER_NODE = 64;
export const FRAMING_FIXED = 256;

/**
 * A crate's budgeted size: its node bytes plus the most framing a transport form can add. It
 * bounds both the CAR and the compact bytes, so a crate that passes `maxTotalBytes` here can
 * always be written and read back under the same limits.
 */
export function checkCrateBytes(nodeBytes: number, nodes: number, limits: CrateLimits): void {
  checkBytes(nodeBytes + FRAMING_PER_NODE * nodes + FRAMING_FIXED, limits.maxTotalBytes, 'the crate with its transport framing');
}
