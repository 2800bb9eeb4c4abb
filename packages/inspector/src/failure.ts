import { ERROR_CODES, isNestokenError, type ErrorCode } from '@nestoken/core';
import type { Failure } from './model.js';

/** Any error as a Failure: a NestokenError keeps its code and spec section; anything else is a bug, said so. */
export function failureOf(e: unknown): Failure {
  if (isNestokenError(e)) {
    return { code: e.code, section: ERROR_CODES[e.code as ErrorCode] ?? '', message: e.message, ...(e.layer === undefined ? {} : { layer: e.layer }) };
  }
  return { code: 'INTERNAL', section: '', message: `not a nestoken verdict (a bug, please report): ${String(e)}` };
}
