import { checkDocument, documentDigest, type IdentityDocument } from '../encoding/documents.js';
import type { Token } from '../encoding/token.js';
import { fail } from '../errors.js';
import type { Limits } from '../limits.js';

/**
 * The last layer's identity document when it travels beside the token rather than in it
 * (spec §4.6.3): over HTTP, the caller's WIT in `Workload-Identity-Token` (§11.1), which the
 * proof needs there anyway, so the token leaves it out. It then counts as a document of the
 * token's section, checked as one: it must be the document the last layer names
 * (`ERR_DOCUMENT_MISMATCH`, naming its digest) and the section must not carry it too
 * (`ERR_NONCANONICAL`). A last layer that names no document (its key is a signer of the
 * bundle, or it is anonymous) takes none: the document is then no part of the token, and
 * whoever sent it beside (the HTTP proof) judges it alone.
 */
export function withDocumentBeside(token: Token, beside: IdentityDocument | undefined, limits: Limits): Token {
  if (beside === undefined) return token;
  const last = token.layers.length - 1;
  const named = token.layers[last]!.header.doc;
  if (named === undefined) return token;
  const digest = documentDigest(beside);
  if (digest !== named) fail('ERR_DOCUMENT_MISMATCH', `identity document ${digest} came beside the token, and its last layer names ${named}: substituted`, last);
  if (token.documents?.has(digest)) fail('ERR_NONCANONICAL', `identity document ${digest} is sent twice: beside the token and in it`, last);
  const documents = new Map(token.documents);
  documents.set(digest, checkDocument(beside, limits));
  return { ...token, documents };
}
