import { NestokenError } from '@nestoken/core';
import type { CID } from 'multiformats/cid';
import type { CrateBlock } from './block.js';
import { cidKey, compareCids, sameCid, toNodeCid, type NodeCid } from './cid.js';
import { checkCrateBytes, checkLimit, type CrateLimits } from './limits.js';
import type { CrateNode } from './node.js';
import { walkDag } from './walk.js';

/**
 * A crate: the root CID, the present nodes in canonical order, and the CIDs of the nodes whose
 * bytes were deliberately left out. Every value of this type has passed `linkCrate`.
 */
export interface Crate {
  readonly root: NodeCid;
  readonly blocks: ReadonlyMap<string, CrateBlock>;
  /** Sorted by CID bytes: exactly the absent targets of links from present nodes. */
  readonly trimmed: readonly NodeCid[];
  /** Nodes on the longest path from the root. */
  readonly depth: number;
}

/**
 * Checks a set of present nodes as a whole against the root (spec §10.5): every node reachable,
 * links of the right kinds, no cycles, within the limits, and (when the transport declares a
 * trimmed list) every absent link target declared and nothing else.
 */
export function linkCrate(
  root: NodeCid,
  blocks: ReadonlyMap<string, CrateBlock>,
  limits: CrateLimits,
  declaredTrimmed?: readonly NodeCid[],
): Crate {
  checkLimit(blocks.size + (declaredTrimmed?.length ?? 0), limits.maxNodes, 'nodes in the crate');
  let total = 0;
  for (const b of blocks.values()) total += b.bytes.length;
  checkCrateBytes(total, blocks.size + (declaredTrimmed?.length ?? 0), limits);
  const rootBlock = blocks.get(cidKey(root));
  if (rootBlock && rootBlock.node.type !== 'crate') throw new NestokenError('ERR_CRATE_NODE_INVALID', 'the root is not a crate root node');
  const walk = walkDag(
    cidKey(root),
    (key) => {
      const b = blocks.get(key);
      return b && { type: b.node.type, links: b.links };
    },
    limits.maxDepth,
  );
  if (walk.order.length !== blocks.size) {
    const reached = new Set(walk.order);
    const stray = [...blocks.keys()].find((k) => !reached.has(k));
    throw new NestokenError('ERR_CRATE_NODE_INVALID', `node ${stray} is not reachable from the root`);
  }
  const trimmed = [...walk.absent.values()].map((l) => l.cid).sort(compareCids);
  checkLimit(blocks.size + trimmed.length, limits.maxNodes, 'nodes in the crate');
  checkCrateBytes(total, blocks.size + trimmed.length, limits);
  if (declaredTrimmed) checkDeclared(declaredTrimmed, trimmed);
  const ordered = new Map(walk.order.map((k) => [k, blocks.get(k)!] as const));
  return Object.freeze({ root: rootBlock!.cid, blocks: ordered, trimmed: Object.freeze(trimmed), depth: walk.depth });
}

function checkDeclared(declared: readonly NodeCid[], actual: readonly NodeCid[]): void {
  for (let i = 1; i < declared.length; i++) {
    if (compareCids(declared[i - 1]!, declared[i]!) >= 0) throw new NestokenError('ERR_CRATE_NODE_INVALID', 'the trimmed list must be sorted by CID bytes without repeats');
  }
  const want = new Set(declared.map(cidKey));
  for (const cid of actual) {
    if (!want.has(cidKey(cid))) throw new NestokenError('ERR_CRATE_DANGLING_LINK', `${cidKey(cid)} is linked but neither present nor declared trimmed`);
  }
  if (declared.length !== actual.length) {
    const have = new Set(actual.map(cidKey));
    const extra = declared.find((c) => !have.has(cidKey(c)))!;
    throw new NestokenError('ERR_CRATE_NODE_INVALID', `${cidKey(extra)} is declared trimmed but is present or not linked`);
  }
}

/** Looks a node up by CID or CID string; a value that is not a node CID is `ERR_USAGE`. */
export function getNode(crate: Crate, cid: CID | string): CrateNode | undefined {
  return crate.blocks.get(cidKey(toNodeCid(cid, 'the node')))?.node;
}

/** The head and every root it extends, newest first: never trimmed. */
export function rootChain(crate: Crate): NodeCid[] {
  const chain: NodeCid[] = [];
  for (let cid: NodeCid | undefined = crate.root; cid; ) {
    chain.push(cid);
    const node: CrateNode = crate.blocks.get(cidKey(cid))!.node;
    cid = node.type === 'crate' ? node.prev : undefined;
  }
  return chain;
}

/** Same root, same present nodes, same trimmed CIDs: a CID names its bytes, so this is content equality. */
export function crateEquals(a: Crate, b: Crate): boolean {
  if (!sameCid(a.root, b.root) || a.blocks.size !== b.blocks.size || a.trimmed.length !== b.trimmed.length) return false;
  for (const k of a.blocks.keys()) if (!b.blocks.has(k)) return false;
  return a.trimmed.every((c, i) => sameCid(c, b.trimmed[i]!));
}
