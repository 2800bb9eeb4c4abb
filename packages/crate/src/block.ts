import { NestokenError } from '@nestoken/core';
import { asNodeCid, cidForDigest, cidKey, cidText, namesDigest, sha256, type NodeCid } from './cid.js';
import { decodeCanonical, encodeDagCbor, sameBytes } from './codec.js';
import { checkBytes, type CrateLimits } from './limits.js';
import { linksOf, readNode, type CrateNode, type Link } from './node.js';
import { privateCopy } from './private-bytes.js';
import { plainBucketNode, plainTokenNode } from './plain-nodes.js';

/** A present node: its bytes, the CID they hash to, and what they decode to. */
export interface CrateBlock {
  readonly cid: NodeCid;
  readonly bytes: Uint8Array;
  readonly node: CrateNode;
  readonly links: readonly Link[];
}

const block = (cid: NodeCid, bytes: Uint8Array, node: CrateNode, links: readonly Link[] = linksOf(node)): CrateBlock => Object.freeze({ cid, bytes, node, links });

/**
 * What a reader found when it checked a block's bytes, kept where only this module can reach it:
 * the SHA-256 of the bytes, the CID's text, the limits the node was checked under, and the node
 * as verification reads it, sharing nothing that the holder of the block could change (frozen,
 * its payload bytes copied; links are read from the block, whose link list is frozen).
 */
interface ReadProof {
  readonly digest: Uint8Array;
  readonly key: string;
  readonly limits: CrateLimits;
  readonly node: CrateNode;
}

/** A block a reader made. Its proof is an ES private field: no other code can read, forge or change it. */
class ReadBlock implements CrateBlock {
  readonly #proof: ReadProof;
  constructor(
    readonly cid: NodeCid,
    readonly bytes: Uint8Array,
    readonly node: CrateNode,
    readonly links: readonly Link[],
    proof: ReadProof,
  ) {
    this.#proof = proof;
    Object.freeze(this);
  }

  static proofOf(b: unknown): ReadProof | undefined {
    return typeof b === 'object' && b !== null && #proof in b ? (b as ReadBlock).#proof : undefined;
  }
}

/** The node as verification reads it, apart from the one the block shows: what it verifies cannot change under it. */
function ownCopy(node: CrateNode): CrateNode {
  switch (node.type) {
    case 'token':
      return Object.freeze({ type: 'token', format: node.format, bytes: privateCopy(node.bytes) });
    case 'bucket':
      return Object.freeze({ type: 'bucket', name: node.name, items: Object.freeze([...node.items]) });
    case 'attestation':
      return Object.freeze({ type: 'attestation', subjects: Object.freeze([...node.subjects]), statement: privateCopy(node.statement) });
    case 'crate':
      return Object.freeze({ ...node, buckets: Object.freeze([...node.buckets]), attestations: Object.freeze([...node.attestations]) });
  }
}

/**
 * Received bytes, checked in order of cost: size, hash against the claimed CID (when the
 * transport names one), canonical decoding, schema (spec §10.3).
 */
export function blockFromBytes(bytes: Uint8Array, limits: CrateLimits, claimed?: NodeCid): CrateBlock {
  return readBlock(bytes, limits, claimed).block;
}

/** {@link blockFromBytes}, with the CID's text (`claimedKey`, when the caller has it, is `claimed`'s). */
export function readBlock(bytes: Uint8Array, limits: CrateLimits, claimed?: NodeCid, claimedKey?: string): { block: CrateBlock; key: string } {
  checkBytes(bytes.length, limits.maxNodeBytes, 'a node');
  const digest = sha256(bytes);
  if (claimed && !namesDigest(claimed, digest)) {
    throw new NestokenError('ERR_CRATE_CID_MISMATCH', `the bytes named ${cidKey(claimed)} hash to ${cidText(cidForDigest(digest))}`);
  }
  const cid = claimed ?? cidForDigest(digest);
  const key = claimedKey ?? cidText(cid);
  const { node, links } = plainTokenNode(bytes) ?? plainBucketNode(bytes, limits) ?? readNode(decodeCanonical(bytes, `node ${key}`), limits);
  return { block: new ReadBlock(cid, bytes, node, links, Object.freeze({ digest: privateCopy(digest), key, limits, node: ownCopy(node) })), key };
}

/**
 * A block checked again (spec §10.9 step 1): hashed, and when a reader made it, its bytes still
 * hash to what that reader decoded, its CID still names them and `limits` are no stricter than
 * the reader's, the node the reader checked is the one these bytes decode to, so decoding them
 * again would only give it back. Any other block (changed, hand-made, read under looser limits)
 * is decoded and checked afresh, failing as a reader would.
 */
export function checkBlockAgain(b: CrateBlock, limits: CrateLimits): { block: CrateBlock; key: string } {
  const proof = ReadBlock.proofOf(b);
  if (
    proof !== undefined &&
    limits.maxNodeBytes >= proof.limits.maxNodeBytes &&
    limits.maxFanout >= proof.limits.maxFanout &&
    limits.maxDataDepth >= proof.limits.maxDataDepth &&
    namesDigest(b.cid, proof.digest) &&
    sameBytes(sha256(b.bytes), proof.digest)
  ) {
    return { block: block(b.cid, b.bytes, proof.node, b.links), key: proof.key };
  }
  return readBlock(b.bytes, limits, asNodeCid(b.cid, 'a node CID'));
}

/** A node made here: checked against the schema first, so only valid nodes ever get a CID. */
export function blockFromNode(node: CrateNode, limits: CrateLimits): CrateBlock {
  const { node: checked, links } = readNode(node, limits);
  const bytes = encodeDagCbor(checked);
  checkBytes(bytes.length, limits.maxNodeBytes, 'a node');
  return block(cidForDigest(sha256(bytes)), bytes, checked, links);
}
