import { fail } from '../errors.js';
import { documentDigest, type IdentityDocument } from './documents.js';
import type { Layer } from './layer.js';

/** Digests the layers name, each once, in the order of their first layer (spec §4.6). */
function referencedDigests(layers: ReadonlyArray<{ readonly header?: Pick<Layer['header'], 'doc'> }>): string[] {
  const seen = new Set<string>();
  for (const l of layers) if (l.header?.doc !== undefined) seen.add(l.header.doc);
  return [...seen];
}

/**
 * The documents a token sends: every document a layer names that the token holds and the
 * receiver does not, once each, in the order of the first layer naming it (spec §4.6).
 */
export function documentSection(
  token: { readonly layers: ReadonlyArray<{ readonly header?: Pick<Layer['header'], 'doc'> }>; readonly documents?: ReadonlyMap<string, IdentityDocument> },
  omit?: Iterable<string>,
): IdentityDocument[] {
  const held = token.documents;
  if (!held || held.size === 0) return [];
  const omitted = new Set(omit ?? []);
  return referencedDigests(token.layers)
    .filter((d) => !omitted.has(d))
    .map((d) => held.get(d))
    .filter((d): d is IdentityDocument => d !== undefined);
}

/**
 * Checks a received documents section against the layers (spec §4.6): each document named by
 * a layer (else it was substituted or is stray: `ERR_DOCUMENT_MISMATCH`, naming its digest),
 * each once and in the order of first reference (`ERR_NONCANONICAL`). A document a layer names
 * and the section lacks is not an error here: the verifier may hold it (§7.4).
 */
export function readDocumentSection(layers: readonly Layer[], documents: readonly IdentityDocument[]): ReadonlyMap<string, IdentityDocument> {
  const out = new Map<string, IdentityDocument>();
  if (documents.length === 0) return out;
  const order = referencedDigests(layers);
  const position = new Map(order.map((d, i) => [d, i]));
  let last = -1;
  for (const doc of documents) {
    const digest = documentDigest(doc);
    const at = position.get(digest);
    if (at === undefined) fail('ERR_DOCUMENT_MISMATCH', `identity document ${digest} is named by no layer: substituted or stray`);
    if (out.has(digest)) fail('ERR_NONCANONICAL', `identity document ${digest} is sent twice`);
    if (at < last) fail('ERR_NONCANONICAL', 'identity documents are sent in the order of the first layer naming each');
    last = at;
    out.set(digest, doc);
  }
  return out;
}
