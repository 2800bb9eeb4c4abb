import { NestokenError } from '@nestoken/core';
import { cidKey, cidForBytes, sameCid, type NodeCid } from './cid.js';
import { decodeCanonical, encodeDagCbor } from './codec.js';
import { checkBytes, type CrateLimits } from './limits.js';
import { checkNode, linksOf, type CrateNode, type Link } from './node.js';

/** A present node: its bytes, the CID they hash to, and what they decode to. */
export interface CrateBlock {
  readonly cid: NodeCid;
  readonly bytes: Uint8Array;
  readonly node: CrateNode;
  readonly links: readonly Link[];
}

const block = (cid: NodeCid, bytes: Uint8Array, node: CrateNode): CrateBlock => Object.freeze({ cid, bytes, node, links: linksOf(node) });

/**
 * Received bytes, checked in order of cost: size, hash against the claimed CID (when the
 * transport names one), canonical decoding, schema (spec §10.3).
 */
export function blockFromBytes(bytes: Uint8Array, limits: CrateLimits, claimed?: NodeCid): CrateBlock {
  checkBytes(bytes.length, limits.maxNodeBytes, 'a node');
  const cid = cidForBytes(bytes);
  if (claimed && !sameCid(claimed, cid)) {
    throw new NestokenError('ERR_CRATE_CID_MISMATCH', `the bytes named ${cidKey(claimed)} hash to ${cidKey(cid)}`);
  }
  return block(cid, bytes, checkNode(decodeCanonical(bytes, `node ${cidKey(cid)}`), limits));
}

/** A node made here: checked against the schema first, so only valid nodes ever get a CID. */
export function blockFromNode(node: CrateNode, limits: CrateLimits): CrateBlock {
  const checked = checkNode(node, limits);
  const bytes = encodeDagCbor(checked);
  checkBytes(bytes.length, limits.maxNodeBytes, 'a node');
  return block(cidForBytes(bytes), bytes, checked);
}
