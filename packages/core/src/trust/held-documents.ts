import type { IdentityDocument } from '../encoding/documents.js';
import { BoundedCache } from './bounded-cache.js';
import type { TrustBundle } from './bundle.js';

/**
 * Identity documents this verifier has verified, by digest, per trust bundle; bounded (spec
 * §4.6, §7.4). A sender may leave out of a token a document its receiver holds: the layer
 * names it by digest and the verifier finds it here. Only a document that verified against the
 * bundle is held, so an entry is as good as the document itself; its times are checked on
 * every use.
 */
const held = new WeakMap<TrustBundle, BoundedCache<string, IdentityDocument>>();
/** At least one document for each hop of the longest chain, with room for several chains. */
export const MAX_HELD_DOCUMENTS = 1024;

/** The document of this digest if this bundle's verifier has verified it. */
export const heldDocument = (trust: TrustBundle, digest: string): IdentityDocument | undefined => held.get(trust)?.get(digest);

/** Remembers a document that verified against this bundle. */
export function holdDocument(trust: TrustBundle, digest: string, document: IdentityDocument): void {
  let cache = held.get(trust);
  if (!cache) held.set(trust, (cache = new BoundedCache(MAX_HELD_DOCUMENTS)));
  cache.set(digest, document);
}

/** Whether the verifier of this bundle holds the document: what a receiver can tell a sender (spec §4.6). */
export const holdsDocument = (trust: TrustBundle, digest: string): boolean => heldDocument(trust, digest) !== undefined;
