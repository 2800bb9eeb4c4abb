import { b64u, fromB64u, isBytes } from '../bytes.js';
import { fail } from '../errors.js';
import { decodeCbor, ENVELOPE_DEPTH } from './cbor.js';
import { decodeSign1 } from './cose.js';
import { documentDigest, type IdentityDocument } from './documents.js';
import type { Layer } from './layer.js';

type LayerRef = { readonly format?: Layer['format']; readonly bytes?: Uint8Array; readonly header?: Pick<Layer['header'], 'doc'> };

/**
 * The document a layer names: from its decoded header, or, for a layer known only by its
 * format and bytes (a hand-made Token object), from the header it sends — `doc` always
 * travels (spec §4.6.1). Only chooses what a sender writes; the receiver checks everything.
 */
function docOf(l: LayerRef): string | undefined {
  if (l.header !== undefined) return l.header.doc;
  if (l.bytes === undefined) return undefined;
  try {
    if (l.format === 'jwt') {
      const text = new TextDecoder().decode(l.bytes);
      const part = text.slice(0, text.indexOf('.'));
      if (part === '') return undefined;
      const doc = (JSON.parse(new TextDecoder().decode(fromB64u(part, 'JWS header'))) as { doc?: unknown }).doc;
      return typeof doc === 'string' ? doc : undefined;
    }
    const { protectedBytes } = decodeSign1(l.bytes, ENVELOPE_DEPTH);
    if (protectedBytes.length === 0) return undefined;
    const sent = decodeCbor(protectedBytes, 'protected header', ENVELOPE_DEPTH);
    const doc = sent instanceof Map ? sent.get('doc') : undefined;
    return isBytes(doc) ? b64u(doc) : undefined;
  } catch {
    return undefined;
  }
}

/** Digests the layers name, each once, in the order of their first layer (spec §4.6). */
function referencedDigests(layers: ReadonlyArray<LayerRef>): string[] {
  const seen = new Set<string>();
  for (const l of layers) {
    const doc = docOf(l);
    if (doc !== undefined) seen.add(doc);
  }
  return [...seen];
}

/**
 * The documents a token sends: every document a layer names that the token holds and the
 * receiver does not, once each, in the order of the first layer naming it (spec §4.6).
 */
export function documentSection(
  token: { readonly layers: ReadonlyArray<LayerRef>; readonly documents?: ReadonlyMap<string, IdentityDocument> },
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
