import { NestokenError } from '@nestoken/core';
import type { CrateBlock } from './block.js';
import { sameBytes } from './codec.js';
import { linkCrate, rootChain, type Crate } from './crate.js';
import { resolveCrateLimits, type CrateLimits } from './limits.js';
import { cidKey, sameCid, type NodeCid } from './cid.js';

/** The later of two roots when one extends the other; two histories that split cannot be ordered. */
function laterRoot(a: Crate, b: Crate): NodeCid {
  if (sameCid(a.root, b.root)) return a.root;
  if (rootChain(b).some((c) => sameCid(c, a.root))) return b.root;
  if (rootChain(a).some((c) => sameCid(c, b.root))) return a.root;
  throw new NestokenError(
    'ERR_CRATE_MERGE_CONFLICT',
    `roots ${cidKey(a.root)} and ${cidKey(b.root)} do not extend one another: their histories split`,
  );
}

/**
 * Union by CID (spec §10.4.5): a node present on either side is present in the result, so
 * trimmed nodes come back when the other side has them. The result's root is the later of
 * the two roots. Commutative, associative and idempotent on content.
 */
export function merge(a: Crate, b: Crate, limits?: Partial<CrateLimits>): Crate {
  const root = laterRoot(a, b);
  const blocks = new Map<string, CrateBlock>(a.blocks);
  for (const [key, block] of b.blocks) {
    const mine = blocks.get(key);
    if (!mine) blocks.set(key, block);
    else if (mine !== block && !sameBytes(mine.bytes, block.bytes)) {
      throw new NestokenError('ERR_CRATE_CID_MISMATCH', `the two crates hold different bytes for ${key}`);
    }
  }
  return linkCrate(root, blocks, resolveCrateLimits(limits));
}

/** Merges any number of crates, left to right. */
export function mergeAll(crates: readonly Crate[], limits?: Partial<CrateLimits>): Crate {
  const [first, ...rest] = crates;
  if (!first) throw new NestokenError('ERR_USAGE', 'merge needs at least one crate');
  return rest.reduce((acc, c) => merge(acc, c, limits), first);
}
