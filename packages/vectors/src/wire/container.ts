import { encode, Tagged } from 'cborg';
import type { IdentityDocument, LayerFormat, LayerHeader } from '@nestoken/core';
import { b64u, fromUtf8, hex } from '../bytes.js';

/** The container tag of spec §4.1.2, format version 2. */
export const TAG_NESTOKEN = 0x7b2d0002;
/** The container tag of format version 1, which a verifier refuses by name. */
export const TAG_NESTOKEN_V1 = 0x7b2d0001;

/** All a container needs of a layer: its format, the document it names and its exact bytes. */
export interface WireLayer {
  readonly format: LayerFormat;
  readonly header?: Pick<LayerHeader, 'doc'>;
  readonly bytes: Uint8Array;
}

export interface WireToken {
  readonly layers: readonly WireLayer[];
  readonly proof?: Uint8Array;
  /** Identity documents by digest; each named one travels once, in the order of first reference (spec §4.6). */
  readonly documents?: ReadonlyMap<string, IdentityDocument>;
}

const base64 = (s: string): Uint8Array => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** The documents a token sends, in the order of the first layer naming each. */
function section(t: WireToken): IdentityDocument[] {
  const seen: string[] = [];
  for (const l of t.layers) if (l.header?.doc !== undefined && !seen.includes(l.header.doc)) seen.push(l.header.doc);
  return seen.flatMap((d) => (t.documents?.has(d) ? [t.documents.get(d)!] : []));
}

/** A chain document: the CBOR array of its DER certificates. */
const chainItem = (doc: { x5c: readonly string[] }): Uint8Array[] => doc.x5c.map(base64);

/** JWT form (spec §4.1.1): JWT layers verbatim, CBOR layers as base64url, then the proof, then `!` and each document. */
export function jwtForm(t: WireToken): string {
  const parts = t.layers.map((l) => (l.format === 'jwt' ? fromUtf8(l.bytes) : b64u(l.bytes)));
  if (t.proof) parts.push(b64u(t.proof));
  const docs = section(t).map((d) => ('wit' in d ? d.wit : b64u(encode(chainItem(d)))));
  return [parts.join('~'), ...docs].join('!');
}

/** CBOR form (spec §4.1.2): the tag over [documents, layers, proof?], JWT layers as text. */
export function cborForm(t: WireToken): Uint8Array {
  const layers = t.layers.map((l) => (l.format === 'jwt' ? fromUtf8(l.bytes) : l.bytes));
  const docs = section(t).map((d) => ('wit' in d ? d.wit : chainItem(d)));
  return encode(new Tagged(TAG_NESTOKEN, t.proof ? [docs, layers, t.proof] : [docs, layers]));
}

/** Both forms of one token, as a test carries them. */
export const bothForms = (t: WireToken): { jwt: string; cborHex: string } => ({ jwt: jwtForm(t), cborHex: hex(cborForm(t)) });
