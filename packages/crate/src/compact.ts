import { NestokenError } from '@nestoken/core';
import { base64url } from 'multiformats/bases/base64';
import { blockFromBytes, type CrateBlock } from './block.js';
import { cidKey, asNodeCid } from './cid.js';
import { decodeCanonical, encodeDagCbor } from './codec.js';
import { linkCrate, type Crate } from './crate.js';
import { checkBytes, checkLimit, resolveCrateLimits, type CrateLimits } from './limits.js';

/** The version number the compact form starts with. */
export const COMPACT_VERSION = 1;

/**
 * The compact transport form (spec §10.8): base64url without padding of the DAG-CBOR list
 * [1, [node bytes, root first, canonical order], [trimmed CIDs, sorted]]. CIDs of present
 * nodes are not sent: the receiver hashes the bytes. One crate has exactly one compact form.
 */
export function toCompactBytes(crate: Crate): Uint8Array {
  return encodeDagCbor([COMPACT_VERSION, [...crate.blocks.values()].map((b) => b.bytes), crate.trimmed]);
}

/** The compact form as base64url text, for a header. */
export function toCompact(crate: Crate): string {
  return base64url.baseEncode(toCompactBytes(crate));
}

const malformed = (message: string): never => {
  throw new NestokenError('ERR_MALFORMED', `compact crate: ${message}`);
};

/** Reads the compact form from its bytes (after base64url decoding), within limits. */
export function fromCompactBytes(bytes: Uint8Array, limits?: Partial<CrateLimits>): Crate {
  const l = resolveCrateLimits(limits);
  checkBytes(bytes.length, l.maxTotalBytes, 'the compact crate');
  const outer = decodeCanonical(bytes, 'the compact crate');
  if (!Array.isArray(outer) || outer.length !== 3) return malformed('expected [version, nodes, trimmed]');
  const [version, nodes, trimmed] = outer as unknown[];
  if (version !== COMPACT_VERSION) malformed(`unknown version ${String(version)}`);
  if (!Array.isArray(nodes) || nodes.length === 0) return malformed('nodes must be a non-empty list');
  if (!Array.isArray(trimmed)) return malformed('trimmed must be a list');
  checkLimit(nodes.length + trimmed.length, l.maxNodes, 'nodes in the crate');
  const blocks = new Map<string, CrateBlock>();
  for (const raw of nodes) {
    if (!(raw instanceof Uint8Array)) malformed('each node is a byte string');
    const block = blockFromBytes(raw as Uint8Array, l);
    if (blocks.has(cidKey(block.cid))) malformed(`node ${cidKey(block.cid)} appears twice`);
    blocks.set(cidKey(block.cid), block);
  }
  const root = blocks.values().next().value!.cid;
  const crate = linkCrate(root, blocks, l, trimmed.map((c, i) => asNodeCid(c, `trimmed[${i}]`)));
  const order = [...crate.blocks.keys()];
  if ([...blocks.keys()].some((k, i) => k !== order[i])) throw new NestokenError('ERR_NONCANONICAL', 'compact crate: nodes are not in canonical order');
  return crate;
}

/** Reads the header value; anything but unpadded base64url is refused before decoding. */
export function fromCompact(text: string, limits?: Partial<CrateLimits>): Crate {
  const l = resolveCrateLimits(limits);
  if (typeof text !== 'string') throw new NestokenError('ERR_USAGE', 'a compact crate is a string');
  const trimmedText = text.trim();
  checkBytes(trimmedText.length, Math.ceil((l.maxTotalBytes * 4) / 3), 'the compact crate text');
  if (!/^[A-Za-z0-9_-]*$/.test(trimmedText)) throw new NestokenError('ERR_BASE64', 'a compact crate is unpadded base64url');
  let bytes: Uint8Array;
  try {
    bytes = base64url.baseDecode(trimmedText);
  } catch (e) {
    throw new NestokenError('ERR_BASE64', `a compact crate is unpadded base64url: ${(e as Error).message}`, { cause: e });
  }
  return fromCompactBytes(bytes, l);
}
