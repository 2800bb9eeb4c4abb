import { b64u, fromB64u, NestokenError } from '@nestoken/core';
import { Tokenizer } from 'cborg';
import { readBlock, type CrateBlock } from './block.js';
import { asNodeCid } from './cid.js';
import { decodeCanonical, encodeDagCbor } from './codec.js';
import { linkCrate, type Crate } from './crate.js';
import { ARRAY, BYTES, headArgument } from './heads.js';
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
  return b64u(toCompactBytes(crate));
}

const malformed = (message: string): never => {
  throw new NestokenError('ERR_MALFORMED', `compact crate: ${message}`);
};

/**
 * The node count announced by the heads `[1, [n items...` before any of it is decoded (spec
 * §10.8 step 2): a list of 100,000 tiny byte strings is refused after three CBOR heads. Bytes
 * that do not start that way are left to the full decoding, which reports them.
 */
function announcedNodes(bytes: Uint8Array): number | undefined {
  try {
    const heads = new Tokenizer(bytes, { strict: true });
    const outer = heads.next();
    const version = heads.next();
    const nodes = heads.next();
    const isList = (t: typeof outer) => t.type.name === 'array' && typeof t.value === 'number';
    return isList(outer) && version.value === COMPACT_VERSION && isList(nodes) ? (nodes.value as number) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * [version, nodes, trimmed] read straight from framing that is plainly canonical: version 1, a
 * list of byte strings with shortest heads, then a canonical list, nothing after. The nodes are
 * views into `own` (a copy the reader made), so the whole form is neither decoded into copies
 * nor encoded again to be compared. Anything else is undefined, and the full decoding refuses
 * it with the code it always gave: the two agree on every form this one reads, since an array's
 * encoding is its head and its items' encodings, each canonical on its own.
 */
export function plainForm(own: Uint8Array): [number, Uint8Array[], unknown] | undefined {
  const end = { at: 0 };
  if (headArgument(own, 0, ARRAY, end) !== 3 || own[end.at] !== COMPACT_VERSION) return undefined;
  const count = headArgument(own, end.at + 1, ARRAY, end);
  const nodes: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const length = headArgument(own, end.at, BYTES, end);
    if (length < 0 || end.at + length > own.length) return undefined;
    nodes.push(own.subarray(end.at, end.at + length));
    end.at += length;
  }
  if (count < 0 || end.at >= own.length) return undefined;
  let trimmed: unknown;
  try {
    trimmed = decodeCanonical(own.subarray(end.at), 'the trimmed list');
  } catch {
    return undefined;
  }
  return Array.isArray(trimmed) ? [COMPACT_VERSION, nodes, trimmed] : undefined;
}

/** Reads the compact form from its bytes (after base64url decoding), within limits. */
export function fromCompactBytes(bytes: Uint8Array, limits?: Partial<CrateLimits>): Crate {
  const l = resolveCrateLimits(limits);
  if (!(bytes instanceof Uint8Array)) throw new NestokenError('ERR_USAGE', 'compact crate bytes are a Uint8Array');
  checkBytes(bytes.length, l.maxTotalBytes, 'the compact crate');
  const announced = announcedNodes(bytes);
  if (announced !== undefined) checkLimit(announced, l.maxNodes, 'nodes in the crate');
  const outer = plainForm(bytes.slice()) ?? decodeCanonical(bytes, 'the compact crate');
  if (!Array.isArray(outer) || outer.length !== 3) return malformed('expected [version, nodes, trimmed]');
  const [version, nodes, trimmed] = outer as unknown[];
  if (version !== COMPACT_VERSION) malformed(`unknown version ${String(version)}`);
  if (!Array.isArray(nodes) || nodes.length === 0) return malformed('nodes must be a non-empty list');
  if (!Array.isArray(trimmed)) return malformed('trimmed must be a list');
  checkLimit(nodes.length + trimmed.length, l.maxNodes, 'nodes in the crate');
  const blocks = new Map<string, CrateBlock>();
  for (const raw of nodes) {
    if (!(raw instanceof Uint8Array)) malformed('each node is a byte string');
    const { block, key } = readBlock(raw as Uint8Array, l);
    if (blocks.has(key)) malformed(`node ${key} appears twice`);
    blocks.set(key, block);
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
  // The length is bounded before the text is even trimmed; white space around it counts.
  checkBytes(text.length, Math.ceil((l.maxTotalBytes * 4) / 3), 'the compact crate text');
  const trimmedText = text.trim();
  const bytes = fromB64u(trimmedText, 'a compact crate');
  return fromCompactBytes(bytes, l);
}
