import type { SigningKey } from '@nestoken/core';
import { encode } from 'cborg';
import { b64u, concat, utf8 } from '../bytes.js';
import { coseSign1, rebuiltHeaderText, ROOT_AAD, sigStructure } from './layer.js';
import { signWith } from './sign.js';

/**
 * A JWS compact serialization of arbitrary sent-header and payload bytes, correctly signed
 * over the header a verifier rebuilds (spec §4.2: typ put back), so that only the content is at fault.
 */
export async function signedJwsBytes(header: Uint8Array, payload: Uint8Array, key: SigningKey): Promise<string> {
  const text = new TextDecoder().decode(header);
  const signed = utf8(rebuiltHeaderText(text));
  const input = `${b64u(signed)}.${b64u(payload)}`;
  return `${b64u(header)}.${b64u(payload)}.${b64u(await signWith(key, utf8(input)))}`;
}

export const signedJws = (headerText: string, payloadText: string, key: SigningKey): Promise<string> =>
  signedJwsBytes(utf8(headerText), utf8(payloadText), key);

export const coseSignature = async (protectedBytes: Uint8Array, payload: Uint8Array, key: SigningKey, externalAad: Uint8Array = ROOT_AAD): Promise<Uint8Array> =>
  signWith(key, sigStructure(protectedBytes, payload, externalAad));

/** A COSE_Sign1 over arbitrary protected-header and payload bytes, correctly signed (as a root by default: typ is the external AAD). */
export async function signedCose(protectedBytes: Uint8Array, payload: Uint8Array, key: SigningKey, unprotected = new Map(), externalAad: Uint8Array = ROOT_AAD): Promise<Uint8Array> {
  return coseSign1(protectedBytes, payload, await coseSignature(protectedBytes, payload, key, externalAad), unprotected);
}

/** A definite-length CBOR map written entry by entry in the given order, repeats and all: what a sorting encoder cannot write. */
export function rawMap(entries: ReadonlyArray<readonly [unknown, unknown]>): Uint8Array {
  if (entries.length > 23) throw new RangeError('rawMap writes one-byte heads only');
  return concat([0xa0 + entries.length], ...entries.flatMap(([k, v]) => [encode(k), encode(v)]));
}

/** The same entries in an indefinite-length map. */
export const indefiniteMap = (entries: ReadonlyArray<readonly [unknown, unknown]>): Uint8Array =>
  concat([0xbf], ...entries.flatMap(([k, v]) => [encode(k), encode(v)]), [0xff]);

/** A byte string head of the given width (1, 2, 4 bytes of length) over `content`: wider than needed is non-canonical. */
export function bstrHead(content: Uint8Array, width: 1 | 2 | 4): Uint8Array {
  const n = content.length;
  const head = width === 1 ? [0x58, n] : width === 2 ? [0x59, n >> 8, n & 0xff] : [0x5a, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  return concat(head, content);
}

/** A COSE_Sign1 assembled from already encoded parts, so that any one of them can be hostile. */
export const coseFromParts = (protectedItem: Uint8Array, unprotectedItem: Uint8Array, payloadItem: Uint8Array, signatureItem: Uint8Array): Uint8Array =>
  concat([0xd2, 0x84], protectedItem, unprotectedItem, payloadItem, signatureItem);
