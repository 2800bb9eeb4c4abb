import { NestokenError } from '@nestoken/core';
import type { CrateBlock } from './block.js';
import { cidKey, toNodeCid, type NodeCid } from './cid.js';
import { linkCrate, rootChain, type Crate } from './crate.js';
import { UNBOUNDED } from './limits.js';
import type { CidInput } from './builder.js';

function presentKeys(crate: Crate, cids: Iterable<CidInput>, what: string): string[] {
  return [...cids].map((c) => {
    const key = cidKey(toNodeCid(c, what));
    if (!crate.blocks.has(key)) throw new NestokenError('ERR_USAGE', `${what} ${key} is not a present node of this crate`);
    return key;
  });
}

/**
 * Every node on a path of containment from the root to one of `keys`: the paths that prove
 * membership. An attestation names its subjects without containing them, so its links count
 * only for a node that nothing else holds.
 */
function withAncestors(crate: Crate, keys: Iterable<string>): Set<string> {
  const holders = new Map<string, string[]>();
  const attesters = new Map<string, string[]>();
  for (const [key, block] of crate.blocks) {
    for (const link of block.links) {
      const index = link.field === 'subjects' ? attesters : holders;
      const child = cidKey(link.cid);
      const list = index.get(child);
      if (list) list.push(key);
      else index.set(child, [key]);
    }
  }
  const parents = (key: string): string[] => holders.get(key) ?? attesters.get(key) ?? [];
  const out = new Set<string>();
  const queue = [...keys];
  while (queue.length > 0) {
    const key = queue.pop()!;
    if (out.has(key)) continue;
    out.add(key);
    for (const p of parents(key)) queue.push(p);
  }
  return out;
}

function keepOnly(crate: Crate, keep: ReadonlySet<string>): Crate {
  const blocks = new Map<string, CrateBlock>();
  for (const [key, block] of crate.blocks) if (keep.has(key)) blocks.set(key, block);
  // The blocks come from a checked crate and the result is no larger: only the graph is relinked.
  return linkCrate(crate.root, blocks, UNBOUNDED);
}

/**
 * Drops the bytes of every node not in `keep`, keeping its CID as a trimmed link (spec §10.4.3).
 * Kept as well: the roots (never trimmed) and every node on a path from the root to a kept
 * node. No node's bytes change, so the root CID and every attestation stay valid.
 */
export function trim(crate: Crate, keep: Iterable<CidInput>): Crate {
  const keys = [...presentKeys(crate, keep, 'kept node'), ...rootChain(crate).map(cidKey)];
  return keepOnly(crate, withAncestors(crate, keys));
}

function descendants(crate: Crate, keys: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const queue = [...keys];
  while (queue.length > 0) {
    const key = queue.pop()!;
    const block = crate.blocks.get(key);
    if (!block || out.has(key)) continue;
    out.add(key);
    for (const link of block.links) queue.push(cidKey(link.cid));
  }
  return out;
}

/**
 * Selective disclosure (spec §10.4.4): the chosen nodes with everything below them, the paths
 * from the root to them, and the attestations that vouch for any of those nodes; all else
 * is trimmed.
 */
export function present(crate: Crate, subset: Iterable<CidInput>): Crate {
  // Roots are kept regardless, but only those that lead to a disclosed node make their attestations relevant.
  const disclosed = withAncestors(crate, descendants(crate, presentKeys(crate, subset, 'disclosed node')));
  const keep = new Set([...disclosed, ...rootChain(crate).map(cidKey)]);
  for (const root of rootChain(crate)) {
    const node = crate.blocks.get(cidKey(root))!.node;
    if (node.type !== 'crate') continue;
    for (const a of node.attestations) {
      const att = crate.blocks.get(cidKey(a))?.node;
      if (att?.type === 'attestation' && att.subjects.some((s: NodeCid) => disclosed.has(cidKey(s)))) keep.add(cidKey(a));
    }
  }
  return keepOnly(crate, keep);
}
