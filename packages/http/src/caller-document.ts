import { b64u, decodeToken, documentDigest, encodeToken, type Limits } from '@nestoken/core';
import type { NestokenHop } from './client.js';
import { WORKLOAD_IDENTITY_TOKEN_HEADER } from './headers.js';

/**
 * The token a service extends: the one it received, with the caller's WIT put back into its
 * documents section when the caller's layer names it and it came in `Workload-Identity-Token`
 * only (spec §11.1). The next service sees no header for this caller, so the token it gets must
 * carry the document again. Made only when a handler asks for the token.
 */
export function withCallerDocument(token: string, wit: string, limits: Partial<Limits> | undefined): string {
  const { token: received, form } = decodeToken(token, limits);
  const digest = documentDigest({ wit });
  // Verified with the WIT beside it, the token names it in its last layer and lacks it, or names none.
  if (received.layers[received.layers.length - 1]!.header.doc !== digest) return token;
  const documents = new Map(received.documents);
  documents.set(digest, { wit });
  const whole = { ...received, documents };
  return form === 'jwt' ? encodeToken(whole, 'jwt') : b64u(encodeToken(whole, 'cbor'));
}

/** What the service called with `sent` holds once it accepted it: the token it extends (its `NestokenContext.token`). */
export function receivedToken(sent: NestokenHop): string {
  const wit = sent.headers[WORKLOAD_IDENTITY_TOKEN_HEADER];
  return wit === undefined ? sent.token : withCallerDocument(sent.token, wit, undefined);
}
