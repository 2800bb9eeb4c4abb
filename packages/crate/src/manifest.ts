import { NestokenError } from '@nestoken/core';
import { asNodeCid, cidForBytes, compareCids, type NodeCid } from './cid.js';
import { decodeCanonical, encodeDagCbor } from './codec.js';
import { checkLimit, type CrateLimits } from './limits.js';

/**
 * The trim manifest (spec §10.7): travels beside a trimmed crate in a CAR and says which
 * absent nodes were left out on purpose. It is not part of the crate and not linked from it,
 * so trimming never changes the root.
 */
export interface TrimManifest {
  readonly type: 'trimmed';
  readonly root: NodeCid;
  readonly cids: readonly NodeCid[];
}

/** The trim manifest of a root: which CIDs were trimmed, as a node and its CID. */
export function encodeManifest(root: NodeCid, cids: readonly NodeCid[]): { cid: NodeCid; bytes: Uint8Array } {
  const bytes = encodeDagCbor({ type: 'trimmed', root, cids: [...cids].sort(compareCids) });
  return { cid: cidForBytes(bytes), bytes };
}

/** Reads a trim manifest, within limits. */
export function decodeManifest(bytes: Uint8Array, limits: CrateLimits): TrimManifest {
  const v = decodeCanonical(bytes, 'the trim manifest') as Record<string, unknown>;
  const keys = typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.keys(v).sort() : [];
  if (keys.join() !== 'cids,root,type' || v.type !== 'trimmed' || !Array.isArray(v.cids)) {
    throw new NestokenError('ERR_CRATE_NODE_INVALID', 'a trim manifest is exactly {type: "trimmed", root, cids}');
  }
  checkLimit(v.cids.length, limits.maxNodes, 'trimmed nodes');
  return { type: 'trimmed', root: asNodeCid(v.root, 'manifest root'), cids: v.cids.map((c, i) => asNodeCid(c, `manifest cids[${i}]`)) };
}
