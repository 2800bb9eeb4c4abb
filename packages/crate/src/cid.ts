import { NestokenError, sha256 } from '@nestoken/core';
import { CID } from 'multiformats/cid';
import * as Digest from 'multiformats/hashes/digest';

/** Multicodec of DAG-CBOR and multihash code of SHA2-256 (spec §10.3.2). */
export const DAG_CBOR = 0x71;
/** The multihash code of SHA2-256, the only hash crate CIDs use. */
export const SHA2_256 = 0x12;

/** The CID of a crate node: CIDv1, DAG-CBOR, SHA2-256. */
export type NodeCid = CID<unknown, typeof DAG_CBOR, typeof SHA2_256, 1>;

/** SHA-256 through core's crypto seam, so the node:crypto fast path serves crates too. */
export { sha256 };

/** The CID of a node from its DAG-CBOR bytes. */
export function cidForBytes(bytes: Uint8Array): NodeCid {
  return CID.createV1(DAG_CBOR, Digest.create(SHA2_256, sha256(bytes))) as NodeCid;
}

/** Only CIDv1, dag-cbor, sha2-256 with a 32-byte digest can name a crate node. */
export function asNodeCid(value: unknown, what: string): NodeCid {
  const cid = CID.asCID(value);
  if (!cid) throw new NestokenError('ERR_CRATE_NODE_INVALID', `${what} is not a CID link`);
  if (cid.version !== 1 || cid.code !== DAG_CBOR || cid.multihash.code !== SHA2_256 || cid.multihash.size !== 32) {
    throw new NestokenError('ERR_CRATE_NODE_INVALID', `${what} must be a CIDv1 of dag-cbor with sha2-256`);
  }
  return cid as NodeCid;
}

const keys = new WeakMap<CID, string>();

/** The CID's string form (multibase base32), remembered per instance: CID strings key every map here. */
export function cidKey(cid: CID): string {
  let known = keys.get(cid);
  if (known === undefined) {
    known = cid.toString();
    keys.set(cid, known);
  }
  return known;
}

/** Accepts a CID or its string form (any multibase that multiformats knows). */
export function toNodeCid(value: CID | string, what = 'CID'): NodeCid {
  if (typeof value !== 'string') return asNodeCid(value, what);
  let parsed: CID;
  try {
    parsed = CID.parse(value);
  } catch {
    throw new NestokenError('ERR_USAGE', `${what} ${JSON.stringify(value.slice(0, 80))} is not a CID`);
  }
  return asNodeCid(parsed, what);
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
