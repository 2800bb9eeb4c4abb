import * as dagCbor from '@ipld/dag-cbor';
import { CID } from 'multiformats/cid';

type Node = Record<string, unknown>;

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
}

/**
 * The canonical walk of spec §10.5.1, written from the spec over blocks decoded by
 * @ipld/dag-cbor: the generator's prediction of what the crate package reports.
 */
export function canonicalWalk(head: string, blocks: Iterable<{ readonly cid: { toString(): string }; readonly bytes: Uint8Array }>): Walk {
  const nodes = new Map<string, Node>();
  for (const b of blocks) nodes.set(b.cid.toString(), dagCbor.decode(b.bytes) as Node);
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
  const trimmed = [...absent.values()].sort((a, b) => Buffer.compare(Buffer.from(a.bytes), Buffer.from(b.bytes))).map(String);
  return { order, trimmed, paths, nodes };
}
