import { encode, Tagged } from 'cborg';
import type { LayerFormat } from '@nestoken/core';
import { b64u, fromUtf8, hex } from '../bytes.js';

/** The container tag of spec §4.1.2. */
export const TAG_NESTOKEN = 0x7b2d0001;

/** All a container needs of a layer: its format and its exact bytes. */
export interface WireLayer {
  readonly format: LayerFormat;
  readonly bytes: Uint8Array;
}

export interface WireToken {
  readonly layers: readonly WireLayer[];
  readonly proof?: Uint8Array;
}

/** JWT form (spec §4.1.1): JWT layers verbatim, CBOR layers as base64url, then the proof. */
export function jwtForm(t: WireToken): string {
  const parts = t.layers.map((l) => (l.format === 'jwt' ? fromUtf8(l.bytes) : b64u(l.bytes)));
  if (t.proof) parts.push(b64u(t.proof));
  return parts.join('~');
}

/** CBOR form (spec §4.1.2): the tag over [layers, proof?], JWT layers as text. */
export function cborForm(t: WireToken): Uint8Array {
  const layers = t.layers.map((l) => (l.format === 'jwt' ? fromUtf8(l.bytes) : l.bytes));
  return encode(new Tagged(TAG_NESTOKEN, t.proof ? [layers, t.proof] : [layers]));
}

/** Both forms of one token, as a test carries them. */
export const bothForms = (t: WireToken): { jwt: string; cborHex: string } => ({ jwt: jwtForm(t), cborHex: hex(cborForm(t)) });
