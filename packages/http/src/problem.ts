import { ERROR_CODES, NestokenError, type ErrorCode } from '@nestoken/core';
import { NESTOKEN_HEADER } from './headers.js';

/** An RFC 9457 problem details object, with the stable code and the layer at fault as extension members. */
export interface NestokenProblem {
  readonly type: 'about:blank';
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  /** The NestokenError code (spec §8): what a client branches on. */
  readonly code: ErrorCode | 'internal';
  readonly layer?: number;
}

/** Maps a refusal's code to its status; return undefined to keep the default. */
export type ProblemStatus = (code: ErrorCode) => number | undefined;

/** Options of `problemFor`: an optional override of the HTTP status chosen for a refusal's code. */
export interface ProblemOptions {
  readonly problemStatus?: ProblemStatus;
}

/** Credentials that are absent: 401, so a client knows to authenticate (RFC 9110 §15.5.2). */
const MISSING: ReadonlySet<ErrorCode> = new Set(['ERR_TOKEN_MISSING', 'ERR_PROOF_MISSING']);
/** A WIT or WPT that is present but wrong: 400, as the WIMSE drafts recommend. */
const BAD_PROOF: ReadonlySet<ErrorCode> = new Set(['ERR_PROOF_INVALID', 'ERR_PROOF_MISMATCH', 'ERR_PROOF_REPLAYED', 'ERR_IDENTITY_DOCUMENT']);

const TITLES: Readonly<Record<number, string>> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 500: 'Internal Server Error', 503: 'Service Unavailable' };

export function defaultStatus(code: ErrorCode): number {
  if (MISSING.has(code)) return 401;
  if (BAD_PROOF.has(code)) return 400;
  // A hook that failed is the service's trouble, not the request's: refuse, and say so.
  if (code === 'ERR_HOOK_FAILED') return 503;
  return 401;
}

/** A refused request's answer from `problemFor`: the status, the headers to send and the RFC 9457 problem body. */
export interface ProblemAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: NestokenProblem;
}

/**
 * The answer to a refused request (spec §11.5): RFC 9457 problem details, the status by
 * kind of failure, and a challenge naming the code. Anything that is not a NestokenError is a
 * fault of the service and is answered 500 with nothing of the failure in it.
 */
export function problemFor(error: unknown, options: ProblemOptions = {}): ProblemAnswer {
  const json = { 'content-type': 'application/problem+json' };
  if (!(error instanceof NestokenError) || !(error.code in ERROR_CODES)) {
    return { status: 500, headers: json, body: { type: 'about:blank', title: TITLES[500]!, status: 500, detail: 'the verifier failed', code: 'internal' } };
  }
  const chosen = options.problemStatus?.(error.code);
  const status = Number.isInteger(chosen) && chosen! >= 400 && chosen! <= 599 ? chosen! : defaultStatus(error.code);
  const body: NestokenProblem = {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail: error.message,
    code: error.code,
    ...(error.layer !== undefined ? { layer: error.layer } : {}),
  };
  const headers = status === 401 ? { ...json, 'www-authenticate': `${NESTOKEN_HEADER} error="${error.code}", WPT` } : json;
  return { status, headers, body };
}
