import { b64u, fromB64u, isBytes, utf8 } from '../bytes.js';
import { sha256 } from '../crypto/hash.js';
import { fail } from '../errors.js';
import { checkSize, type Limits } from '../limits.js';
import { decodeCbor, encodeCbor } from './cbor.js';
import { checkX5c, decodeX5c, encodeX5c } from './x5c.js';

/**
 * An identity document that vouches for a layer's key (spec §4.6): a WIT / WIT-SVID (compact
 * JWS text) or an X.509-SVID chain (leaf first, each DER certificate in padded base64, as a
 * JOSE `x5c`). A token carries each document once, in its documents section; layers name it by
 * its digest.
 */
export type IdentityDocument = { readonly wit: string } | { readonly x5c: readonly string[] };

/**
 * What the container asks of a WIT: printable ASCII that holds a dot and neither separator of
 * the JWT form. Everything else about it (its parts, their base64url, its signature) is the
 * WIT verifier's to check, with that check's codes (spec §5.3).
 */
const WIT_TEXT = /^[\x21-\x7e]*\.[\x21-\x7e]*$/;
const SEPARATORS = /[~!]/;

/**
 * The bytes a document is named by (spec §4.6): a WIT's ASCII text, or an X.509-SVID chain's
 * deterministic CBOR array of DER certificates (an array even of one). The same bytes ride in
 * the JWT form (a chain as their base64url) and in the CBOR form.
 */
export function documentBytes(doc: IdentityDocument): Uint8Array {
  return 'wit' in doc ? utf8(doc.wit) : encodeCbor(decodeX5c(doc.x5c));
}

/** base64url SHA-256 of the document's bytes: the value of a layer's `doc`. */
export const documentDigest = (doc: IdentityDocument): string => b64u(sha256(documentBytes(doc)));

/** A WIT as the caller or the wire gives it: non-empty compact JWS text within the string bound. */
export function checkWitText(wit: unknown, limits: Limits): string {
  if (typeof wit !== 'string' || wit.length === 0) fail('ERR_MALFORMED', 'a WIT is a compact JWT');
  if (wit.length > limits.maxStringLength) fail('ERR_LIMIT_EXCEEDED', 'the WIT is too long');
  if (!WIT_TEXT.test(wit) || SEPARATORS.test(wit)) fail('ERR_MALFORMED', 'a WIT is printable ASCII with dots, without ~ or !');
  return wit;
}

/**
 * An X.509-SVID chain from its wire bytes: a CBOR array of one to `maxCertificates` byte
 * strings, bounded before any certificate is converted.
 */
export function chainFromBytes(bytes: Uint8Array, limits: Limits): IdentityDocument {
  checkSize(bytes.length, limits.maxCertificateChainBytes + 3 * limits.maxCertificates + 9, 'an X.509-SVID chain');
  return chainFromItem(decodeCbor(bytes, 'X.509-SVID chain', 2), limits);
}

/** An X.509-SVID chain as a decoded CBOR item (the CBOR form's documents section holds it so). */
export function chainFromItem(item: unknown, limits: Limits): IdentityDocument {
  if (!Array.isArray(item) || item.length === 0 || !item.every(isBytes)) fail('ERR_MALFORMED', 'an X.509-SVID chain is a non-empty array of DER certificates');
  if (item.length > limits.maxCertificates) fail('ERR_LIMIT_EXCEEDED', `the chain holds ${item.length} certificates, above the limit of ${limits.maxCertificates}`);
  return { x5c: checkX5c(encodeX5c(item), limits) };
}

/** A document part of the JWT form: a WIT verbatim, a chain as base64url of its CBOR array. */
export function documentFromText(part: string, limits: Limits): IdentityDocument {
  if (part.includes('.')) return { wit: checkWitText(part, limits) };
  return chainFromBytes(fromB64u(part, 'X.509-SVID chain'), limits);
}

/** The JWT form of a document. */
export const documentText = (doc: IdentityDocument): string => ('wit' in doc ? doc.wit : b64u(documentBytes(doc)));

/** The CBOR form of a document: a text string (WIT) or the array of DER certificates. */
export const documentItem = (doc: IdentityDocument): unknown => ('wit' in doc ? doc.wit : decodeX5c(doc.x5c));

/** A document given by a caller: exactly one of `wit` or `x5c`, each checked as on the wire. */
export function checkDocument(doc: unknown, limits: Limits): IdentityDocument {
  if (typeof doc !== 'object' || doc === null) fail('ERR_USAGE', 'an identity document is { wit } or { x5c }');
  const d = doc as Record<string, unknown>;
  if (('wit' in d) === ('x5c' in d)) fail('ERR_USAGE', 'an identity document is { wit } or { x5c }');
  return 'wit' in d ? { wit: checkWitText(d.wit, limits) } : { x5c: checkX5c(d.x5c, limits) };
}
