import * as dagCbor from '@ipld/dag-cbor';
import { decodeCborExactText } from '@nestoken/core';
import { CID } from 'multiformats/cid';

type Node = Record<string, unknown>;

/** dag-cbor's options with text read exactly (core's reader): a leading U+FEFF is text (spec §10.3.1). */
const decodeNode = (bytes: Uint8Array): Node => decodeCborExactText(bytes, dagCbor.decodeOptions) as Node;

/** A node's links in the order spec §10.5.1 visits them. */
function linksOf(node: Node): CID[] {
  const list = (v: unknown): CID[] => (Array.isArray(v) ? (v as CID[]) : []);
  switch (node.type) {
    case 'crate':
      return [...list(node.buckets), ...list(node.attestations), ...(node.prev ? [node.prev as CID] : [])];
    case 'bucket':
      return list(node.items);
    case 'attestation':
      return list(node.subjects);
    default:
      return [];
  }
}

export interface Walk {
  /** Present nodes in canonical (pre-)order. */
  readonly order: readonly string[];
  /** Absent link targets, sorted by CID bytes. */
  readonly trimmed: readonly string[];
  /** The first path from the head to each present node, as CID strings. */
  readonly paths: ReadonlyMap<string, readonly string[]>;
  readonly nodes: ReadonlyMap<string, Node>;
  /** Nodes on the longest path from the head, an absent target counting as one. */
  readonly depth: number;
}

/**
 * The canonical walk of spec §10.5.1, written from the spec over blocks decoded by
 * @ipld/dag-cbor: the generator's prediction of what the crate package reports.
 */
export function canonicalWalk(head: string, blocks: Iterable<{ readonly cid: { toString(): string }; readonly bytes: Uint8Array }>): Walk {
  const nodes = new Map<string, Node>();
  for (const b of blocks) nodes.set(b.cid.toString(), decodeNode(b.bytes));
  const order: string[] = [];
  const absent = new Map<string, CID>();
  const paths = new Map<string, string[]>();
  const visit = (key: string, path: string[]): void => {
    if (paths.has(key)) return;
    paths.set(key, [...path, key]);
    order.push(key);
    for (const link of linksOf(nodes.get(key)!)) {
      const k = link.toString();
      if (nodes.has(k)) visit(k, [...path, key]);
      else absent.set(k, link);
    }
  };
  visit(head, []);
  // The longest path, from each node's own height: a node reached again adds its height, not 1.
  const height = new Map<string, number>();
  const heightOf = (key: string): number => {
    const node = nodes.get(key);
    if (!node) return 1;
    let h = height.get(key);
    if (h === undefined) {
      h = 1 + Math.max(0, ...linksOf(node).map((l) => heightOf(l.toString())));
      height.set(key, h);
    }
    return h;
  };
  const trimmed = [...absent.values()].sort((a, b) => Buffer.compare(Buffer.from(a.bytes), Buffer.from(b.bytes))).map(String);
  return { order, trimmed, paths, nodes, depth: heightOf(head) };
}
