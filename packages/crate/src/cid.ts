import { NestokenError, sha256 } from '@nestoken/core';
import { CID } from 'multiformats/cid';
import * as Digest from 'multiformats/hashes/digest';

/** Multicodec of DAG-CBOR and multihash code of SHA2-256 (spec §10.3.2). */
export const DAG_CBOR = 0x71;
/** The multihash code of SHA2-256, the only hash crate CIDs use. */
export const SHA2_256 = 0x12;

/** The CID of a crate node: CIDv1, DAG-CBOR, SHA2-256. */
export type NodeCid = CID<unknown, typeof DAG_CBOR, typeof SHA2_256, 1>;

/** The four bytes every node CID starts with: CIDv1, dag-cbor, sha2-256, 32 bytes. */
const NODE_CID_PREFIX = [0x01, DAG_CBOR, SHA2_256, 0x20] as const;
const NODE_CID_BYTES = NODE_CID_PREFIX.length + 32;

/** SHA-256 through core's crypto seam, so the node:crypto fast path serves crates too. */
export { sha256 };

/** The CID of a node from its DAG-CBOR bytes. */
export function cidForBytes(bytes: Uint8Array): NodeCid {
  return cidForDigest(sha256(bytes));
}

/** How many node CIDs share one slab of their bytes. */
const SLAB_CIDS = 128;
let slab = new Uint8Array(0);
let used = 0;

/**
 * The node CID of bytes whose SHA-256 is `digest` (32 bytes): the CID that `CID.createV1` or
 * `CID.decode` gives, its 36 bytes kept in a slab shared with other CIDs. multiformats' own
 * constructors give each CID a small array that V8 keeps on its heap until the CID asks for the
 * array's buffer, which then moves it off the heap: per CID, an allocation and a buffer for the
 * garbage collector to track, and the largest part of the collector's work in reading a
 * 10,000-node crate. A slab is already off the heap; a CID kept alone keeps at most its slab.
 */
export function cidForDigest(digest: Uint8Array): NodeCid {
  if (used + NODE_CID_BYTES > slab.length) {
    slab = new Uint8Array(SLAB_CIDS * NODE_CID_BYTES);
    used = 0;
  }
  const bytes = slab.subarray(used, (used += NODE_CID_BYTES));
  bytes.set(NODE_CID_PREFIX);
  bytes.set(digest, NODE_CID_PREFIX.length);
  return new CID(1, DAG_CBOR, new Digest.Digest(SHA2_256, 32, bytes.subarray(NODE_CID_PREFIX.length), bytes.subarray(2)), bytes) as NodeCid;
}

/**
 * The node CID that `CID.decode` would give for `bytes`, made by {@link cidForDigest}, when
 * `bytes` are exactly a node CID's 36; anything else is undefined.
 */
export function nodeCidOf(bytes: Uint8Array): NodeCid | undefined {
  return bytes.length === NODE_CID_BYTES && hasNodePrefix(bytes) ? cidForDigest(bytes.subarray(NODE_CID_PREFIX.length)) : undefined;
}

/** Only CIDv1, dag-cbor, sha2-256 with a 32-byte digest can name a crate node. */
export function asNodeCid(value: unknown, what: string): NodeCid {
  const cid = CID.asCID(value);
  if (!cid) throw new NestokenError('ERR_CRATE_NODE_INVALID', `${what} is not a CID link`);
  if (!isNodeCid(cid)) throw new NestokenError('ERR_CRATE_NODE_INVALID', `${what} must be a CIDv1 of dag-cbor with sha2-256`);
  return cid as NodeCid;
}

const isNodeCid = (cid: CID): boolean => cid.version === 1 && cid.code === DAG_CBOR && cid.multihash.code === SHA2_256 && cid.multihash.size === 32;

const keys = new WeakMap<CID, string>();

/** Lower-case RFC 4648 base32, as character codes. */
const BASE32 = Uint8Array.from('abcdefghijklmnopqrstuvwxyz234567', (c) => c.charCodeAt(0));
const latin1 = new TextDecoder('latin1');
let chars = new Uint8Array(64);

/**
 * The CID's string form (multibase `b`, lower-case base32 without padding, spec §10.3.2), the text
 * multiformats gives (a test pins the two together), written as character codes and decoded in
 * one step. The CID's own `toString` was measured 40x slower, and multiformats' encoder builds
 * the text a character at a time: about 2 KB of short-lived strings per CID, a third of all the
 * garbage of reading a 10,000-node crate. Readers call it once per CID and keep the text beside
 * it (a block's key, a link's `key`): remembering it per instance in a WeakMap cost more, in the
 * map and in the garbage collector, than the encoding it saved.
 */
export function cidText(cid: CID): string {
  const bytes = cid.bytes;
  const length = 1 + Math.ceil((bytes.length * 8) / 5);
  if (chars.length < length) chars = new Uint8Array(length);
  chars[0] = 0x62;
  let n = 1;
  let bits = 0;
  let buffer = 0;
  for (let i = 0; i < bytes.length; i++) {
    buffer = ((buffer << 8) | bytes[i]!) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      chars[n++] = BASE32[(buffer >>> bits) & 31]!;
    }
  }
  if (bits > 0) chars[n++] = BASE32[(buffer << (5 - bits)) & 31]!;
  return latin1.decode(chars.subarray(0, n));
}

/** The same text as `cidText`, remembered per instance: for the CIDs that the API is handed again and again. */
export function cidKey(cid: CID): string {
  let known = keys.get(cid);
  if (known === undefined) {
    known = cidText(cid);
    keys.set(cid, known);
  }
  return known;
}

function hasNodePrefix(b: Uint8Array): boolean {
  for (let i = 0; i < NODE_CID_PREFIX.length; i++) if (b[i] !== NODE_CID_PREFIX[i]) return false;
  return true;
}

/** Whether `cid` is the node CID of bytes whose SHA-256 is `digest`, without building that CID. */
export function namesDigest(cid: CID, digest: Uint8Array): boolean {
  const b = cid.bytes;
  if (b.length !== NODE_CID_PREFIX.length + digest.length || !hasNodePrefix(b)) return false;
  for (let i = 0; i < digest.length; i++) if (b[NODE_CID_PREFIX.length + i] !== digest[i]) return false;
  return true;
}

/**
 * A CID handed to the API (a kept, disclosed or linked node), as an object or its string form in
 * any multibase that multiformats knows. Anything that is not a node CID (a string that does not
 * parse, another version, codec or hash, a value that is no CID at all) is the caller's mistake:
 * `ERR_USAGE` (spec §10.3.2), never the wire code `ERR_CRATE_NODE_INVALID`.
 */
export function toNodeCid(value: CID | string, what = 'CID'): NodeCid {
  let parsed: CID | null;
  if (typeof value === 'string') {
    try {
      parsed = CID.parse(value);
    } catch {
      parsed = null;
    }
    if (!parsed) throw new NestokenError('ERR_USAGE', `${what} ${JSON.stringify(value.slice(0, 80))} is not a CID`);
  } else {
    parsed = CID.asCID(value);
    if (!parsed) throw new NestokenError('ERR_USAGE', `${what} is neither a CID nor its text form`);
  }
  if (!isNodeCid(parsed)) throw new NestokenError('ERR_USAGE', `${what} ${parsed.toString().slice(0, 80)} is not a crate node CID (CIDv1, dag-cbor, sha2-256)`);
  return parsed as NodeCid;
}

export const sameCid = (a: CID, b: CID): boolean => compareCids(a, b) === 0;

/** Unsigned bytewise order of the binary CIDs: the order of every sorted CID list. */
export function compareCids(a: CID, b: CID): number {
  const x = a.bytes;
  const y = b.bytes;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
