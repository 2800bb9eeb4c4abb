import { NestokenError } from '@nestoken/core';
import { LINK_TARGETS, linkKey, type Link, type NodeType } from './node.js';

/** A node reached by `walkDag`, with its depth. */
export interface WalkNode {
  readonly type: NodeType;
  readonly links: readonly Link[];
}

/** What `walkDag` found: the nodes reached and the CIDs it could not find. */
export interface WalkResult {
  /** Present nodes in pre-order, children in link order, each once: the canonical order. */
  readonly order: readonly string[];
  /** Link targets that are absent, by key, in first-seen order. */
  readonly absent: ReadonlyMap<string, Link>;
  /** Nodes on the longest path from the start, absent targets counting as one node. */
  readonly depth: number;
}

/**
 * One iterative depth-first pass (spec §10.5.1): canonical order, link kinds, cycles (a link back
 * to a node still on the path), depth and the frontier of absent nodes. The path stack never
 * grows beyond maxDepth, so hostile input cannot exhaust memory or the call stack.
 */
export function walkDag(start: string, lookup: (key: string) => WalkNode | undefined, maxDepth: number): WalkResult {
  const first = lookup(start);
  if (!first) throw new NestokenError('ERR_CRATE_DANGLING_LINK', `the root ${start} is not present`);
  const onPath = new Set<string>([start]);
  const height = new Map<string, number>();
  const order: string[] = [start];
  const absent = new Map<string, Link>();
  const stack: Array<{ key: string; node: WalkNode; next: number; height: number }> = [{ key: start, node: first, next: 0, height: 1 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const link = top.node.links[top.next++];
    if (link === undefined) {
      stack.pop();
      onPath.delete(top.key);
      height.set(top.key, top.height);
      const parent = stack[stack.length - 1];
      if (parent) parent.height = Math.max(parent.height, top.height + 1);
      continue;
    }
    const key = linkKey(link);
    const target = lookup(key);
    if (!target) {
      if (link.field === 'prev') throw new NestokenError('ERR_CRATE_DANGLING_LINK', `the earlier root ${key} is missing: roots are never trimmed`);
      if (stack.length + 1 > maxDepth) throw new NestokenError('ERR_LIMIT_EXCEEDED', `the crate is deeper than ${maxDepth} nodes`);
      if (!absent.has(key)) absent.set(key, link);
      top.height = Math.max(top.height, 2);
      continue;
    }
    if (!LINK_TARGETS[link.field].includes(target.type)) {
      throw new NestokenError('ERR_CRATE_NODE_INVALID', `${top.key}: ${link.field} may not link to a ${target.type}`);
    }
    if (onPath.has(key)) throw new NestokenError('ERR_CRATE_CYCLE', `${key} links back to itself through ${top.key}`);
    const known = height.get(key);
    if (known !== undefined) {
      top.height = Math.max(top.height, known + 1);
      if (stack.length + known > maxDepth) throw new NestokenError('ERR_LIMIT_EXCEEDED', `the crate is deeper than ${maxDepth} nodes`);
      continue;
    }
    if (stack.length + 1 > maxDepth) throw new NestokenError('ERR_LIMIT_EXCEEDED', `the crate is deeper than ${maxDepth} nodes`);
    onPath.add(key);
    order.push(key);
    stack.push({ key, node: target, next: 0, height: 1 });
  }
  return { order, absent, depth: height.get(start)! };
}
