import type { CrateLimits } from '@nestoken/crate';
import type { ErrorCode, PublicJwk } from '@nestoken/core';
import type { VectorFile, VerifierOptionsJson } from './model.js';

/** Options of verifyCrate in JSON terms (spec §10.9); limits apply to reading the transport form too. */
export interface CrateOptionsJson {
  readonly limits?: Partial<CrateLimits>;
  readonly attesters?: readonly string[];
  /** Options for the nestoken tokens inside (audience, issuers, ...), as in token vectors. */
  readonly tokens?: Omit<VerifierOptionsJson, 'limits' | 'clockSkew'>;
}

/** What a verified crate proves, as vectors pin it: CIDs in their text form (base32 CIDv1). */
export interface CrateReportJson {
  readonly root: string;
  /** Present nodes in canonical order. */
  readonly proven: ReadonlyArray<{ readonly cid: string; readonly type: string }>;
  readonly trimmed: readonly string[];
  readonly tokens: ReadonlyArray<{ readonly cid: string; readonly format: string; readonly buckets: readonly string[]; readonly issuer?: string }>;
  readonly attestations: ReadonlyArray<{ readonly cid: string; readonly attester: string; readonly subjects: readonly string[] }>;
  /** Nodes on the longest path from the head, an absent target counting as one (spec §10.5.1). */
  readonly depth: number;
}

/** The result of merging two crates: the head, the present nodes in canonical order, the trimmed list. */
export interface MergedJson {
  readonly root: string;
  readonly present: readonly string[];
  readonly trimmed: readonly string[];
}

export interface CrateInputs {
  /** The compact form (spec §10.8). */
  readonly compact?: string;
  /** The CAR form (spec §10.7), hex. */
  readonly carHex?: string;
  /** Two crates in compact form, to be merged (spec §10.4.5) rather than verified. */
  readonly merge?: { readonly a: string; readonly b: string };
}

/** One crate test: its inputs, the expected result, and the report, merge or error code. */
export interface CrateTest extends CrateInputs {
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly now: number;
  readonly options?: CrateOptionsJson;
  readonly result: 'valid' | 'invalid';
  readonly errorCode?: ErrorCode;
  readonly report?: CrateReportJson;
  readonly merged?: MergedJson;
}

/** A group of crate tests sharing a trust bundle. */
export interface CrateGroup {
  readonly type: 'CrateVerify' | 'CrateMerge';
  readonly comment: string;
  readonly keys: Readonly<Record<string, PublicJwk>>;
  readonly trust: unknown;
  readonly tests: readonly CrateTest[];
}

/** A crate vector file (crates.json). */
export type CrateVectorFile = VectorFile<CrateGroup>;
