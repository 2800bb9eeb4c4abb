import { LAYER_ALGORITHMS, type LayerAlg } from '../crypto/algorithms.js';
import { sha256Base64url } from '../crypto/hash.js';
import { fail } from '../errors.js';
import type { Limits } from '../limits.js';
import { checkAlg, checkHeader, digestText, type Layer, type LayerHeader } from './layer.js';

/** The digest naming a layer: base64url SHA-256 of its exact bytes (the next layer's `prv`). */
export const layerDigest = (bytes: Uint8Array): string => sha256Base64url(bytes);

/** The header members a layer sends (spec §4.6); `use` travels as a `typ` of its own. */
export interface SentHeader {
  readonly alg?: LayerAlg;
  readonly doc?: string;
  readonly kid?: string;
  readonly use?: 'attestation';
}

/** The members a layer signs but does not send, besides its constant `typ`. */
export interface ImpliedHeader {
  readonly alg?: LayerAlg;
  readonly kid?: string;
  readonly prv?: string;
}

const isIdMode = (alg: LayerAlg): boolean => LAYER_ALGORITHMS[alg].mode === 'id';

/**
 * The one rule of what travels (spec §4.6), for a layer after one of `previousAlg` (undefined:
 * the root). `prv` never travels; `alg` only when it differs from the layer before; `kid` not
 * on an ID-mode layer after the root, where it is the `cnf.jkt` of the layer before. `doc` and
 * `use` always travel. Said as two answers, so a verifier building the implied members of
 * every layer it reads allocates nothing for it.
 */
export function travels(h: LayerHeader, previousAlg: LayerAlg | undefined): { readonly alg: boolean; readonly kid: boolean } {
  const root = previousAlg === undefined;
  return { alg: root || previousAlg !== h.alg, kid: h.kid !== undefined && (root || !isIdMode(h.alg)) };
}

/** The header as {@link travels} splits it: the members a layer sends, and those it signs without sending. */
export function splitHeader(h: LayerHeader, previousAlg: LayerAlg | undefined): { sent: SentHeader; implied: ImpliedHeader } {
  const { alg: algSent, kid: kidSent } = travels(h, previousAlg);
  const sent: SentHeader = {
    ...(algSent ? { alg: h.alg } : {}),
    ...(h.doc !== undefined ? { doc: h.doc } : {}),
    ...(kidSent ? { kid: h.kid } : {}),
    ...(h.use !== undefined ? { use: h.use } : {}),
  };
  const implied: ImpliedHeader = {
    ...(algSent ? {} : { alg: h.alg }),
    ...(h.kid !== undefined && !kidSent ? { kid: h.kid } : {}),
    ...(h.prv !== undefined ? { prv: h.prv } : {}),
  };
  return { sent, implied };
}

const SENT_MEMBERS = new Set(['alg', 'doc', 'kid', 'use']);

/**
 * The full header of a layer from what it sent and the layer before it (spec §4.6), in the
 * order that fixes the codes (spec §4.6.1): `crit`, unknown members, a sent alg that is no
 * nestoken algorithm, the root's own members (a first layer without them extends a layer that
 * is missing), an alg sent where it is implied (a root out of place), a mode change, a kid sent
 * where it is implied (a root out of place), then the members' own checks.
 */
export function impliedHeader(sent: Record<string, unknown>, previous: Layer | undefined, limits: Limits): LayerHeader {
  if ('crit' in sent) fail('ERR_CRIT_UNSUPPORTED', 'no critical header parameters are defined in nestoken');
  for (const k of Object.keys(sent)) if (!SENT_MEMBERS.has(k)) fail('ERR_HEADER_INVALID', `unknown header parameter ${k}`);
  if (sent.alg !== undefined) checkAlg(sent.alg);
  if (previous === undefined) {
    if (sent.alg === undefined || sent.kid === undefined) fail('ERR_CHAIN_TRUNCATED', 'the first layer does not name its algorithm and key: it extends a layer that is missing');
    return checkHeader(sent, limits);
  }
  const previousAlg = previous.header.alg;
  const alg = (sent.alg as LayerAlg | undefined) ?? previousAlg;
  // A layer that sends what its position implies was signed as a root: a root out of place.
  if (sent.alg === previousAlg) fail('ERR_CHAIN_LINK', 'a root layer appears inside the chain: alg is implied here');
  if (isIdMode(alg) !== isIdMode(previousAlg)) fail('ERR_MODE_MIXED', 'ID-mode and aggregate layers in one chain');
  if (isIdMode(alg) && sent.kid !== undefined) fail('ERR_CHAIN_LINK', "a root layer appears inside the chain: kid is the previous layer's cnf.jkt here");
  if (sent.use !== undefined) fail('ERR_HEADER_INVALID', 'only a root ID-mode layer can be an attestation statement');
  // The sent members (alg, doc, kid: no other passed above) with the implied ones, checked in
  // checkHeader's order. What the layer before fixes was checked with it: its cnf.jkt with its
  // claims, its digest is ours; only what this layer sent is checked here.
  const idMode = isIdMode(alg);
  const kid = idMode ? previous.claims.cnf?.jkt : sent.kid === undefined ? undefined : digestText(sent.kid, 'kid');
  const header: { -readonly [K in keyof LayerHeader]: LayerHeader[K] } = { alg };
  if (kid !== undefined) header.kid = kid;
  header.prv = layerDigest(previous.bytes);
  if (sent.doc !== undefined) header.doc = digestText(sent.doc, 'doc');
  if (idMode && kid === undefined) fail('ERR_HEADER_INVALID', `an ${alg} layer must name its key`);
  if (header.doc !== undefined && kid === undefined) fail('ERR_HEADER_INVALID', 'doc without kid');
  return header;
}
