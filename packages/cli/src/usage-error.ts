import { NestokenError } from '@nestoken/core';

/** A command line the command cannot act on: exit 2. Core reports the same class of mistake as ERR_USAGE. */
export function usageError(message: string): never {
  throw new NestokenError('ERR_USAGE', message);
}
