import { NestokenError } from '@nestoken/core';

/** RFC 6749 §5.2 error codes, plus RFC 8693's `invalid_target`. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope' | 'invalid_target';

/** A refusal of the Txn-Token Service: `error` and `status` are what goes on the wire (spec §12.4). */
export class OAuthError extends NestokenError {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    /** 400, except 401 for client authentication. */
    readonly status: number = error === 'invalid_client' ? 401 : 400,
  ) {
    super('ERR_TOKEN_EXCHANGE', `${error}: ${description}`);
  }
}

/** Deployment hooks answer in time or the request is refused: a hung hook never lets one through. */
export async function withinTime<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
