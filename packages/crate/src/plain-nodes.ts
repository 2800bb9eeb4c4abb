import { cidText, nodeCidOf, type NodeCid } from './cid.js';
import { ARRAY, BYTES, bytesAt, headArgument, TEXT } from './heads.js';
import type { CrateLimits } from './limits.js';
import { keyed, TOKEN_FORMATS, type BucketNode, type Link, type TokenNode } from './node.js';

const ascii = (...parts: Array<number | string>): Uint8Array => Uint8Array.from(parts.flatMap((p) => (typeof p === 'number' ? [p] : [...p].map((c) => c.charCodeAt(0)))));
const text = (s: string): Uint8Array => ascii(0x60 + s.length, s);

/** A map of three, then `type: "token"` and the `bytes` key: DAG-CBOR sorts keys by length first. */
const HEAD = ascii(0xa3, 0x64, 'type', 0x65, 'token', 0x65, 'bytes');
const FORMAT_KEY = text('format');
const FORMATS = TOKEN_FORMATS.map((format) => ({ format, encoded: text(format) }));
const NO_LINKS: readonly Link[] = Object.freeze([]);

/**
 * A token node without `meta` read from its bytes in one pass, when they are exactly its
 * canonical encoding: a map of `type`, `bytes` (non-empty, shortest length head) and `format`
 * (a known one), nothing after. The node is what the full decoding and schema check give for
 * those bytes (the token bytes copied out, as the decoder copies them), at a fraction of the
 * cost; nine nodes in ten of a full crate are tokens. Anything else is undefined and takes the
 * full path, which refuses or reads it as before.
 */
export function plainTokenNode(bytes: Uint8Array): { node: TokenNode; links: readonly Link[] } | undefined {
  if (!bytesAt(bytes, 0, HEAD)) return undefined;
  const end = { at: 0 };
  const length = headArgument(bytes, HEAD.length, BYTES, end);
  const stop = end.at + length;
  if (length < 1 || !bytesAt(bytes, stop, FORMAT_KEY)) return undefined;
  const at = stop + FORMAT_KEY.length;
  for (const { format, encoded } of FORMATS) {
    if (at + encoded.length === bytes.length && bytesAt(bytes, at, encoded)) {
      return { node: { type: 'token', format, bytes: new Uint8Array(bytes.subarray(end.at, stop)) }, links: NO_LINKS };
    }
  }
  return undefined;
}

/** A map of three whose first key is `name`: `name`, `type`, `items` in DAG-CBOR's key order. */
const BUCKET_HEAD = ascii(0xa3, 0x64, 'name');
const BUCKET_TYPE = ascii(0x64, 'type', 0x66, 'bucket', 0x65, 'items');
/** A link as DAG-CBOR writes it: tag 42, then a byte string of 37, a zero and the 36 bytes of a node CID. */
const LINK_HEAD = ascii(0xd8, 0x2a, 0x58, 0x25, 0x00);
const LINK_BYTES = LINK_HEAD.length + 36;
const MAX_NAME_BYTES = 256;

/**
 * A bucket node without `claims`, its name printable ASCII, read from its bytes in one pass when
 * they are exactly its canonical encoding: `name`, `type: "bucket"` and `items`, a list of
 * distinct node CIDs within `maxFanout`, nothing after. The node and links are what the full
 * decoding and schema check give; anything else is undefined and takes the full path.
 */
export function plainBucketNode(bytes: Uint8Array, limits: CrateLimits): { node: BucketNode; links: readonly Link[] } | undefined {
  if (!bytesAt(bytes, 0, BUCKET_HEAD)) return undefined;
  const end = { at: 0 };
  const nameLength = headArgument(bytes, BUCKET_HEAD.length, TEXT, end);
  if (nameLength < 1 || nameLength > MAX_NAME_BYTES || end.at + nameLength > bytes.length) return undefined;
  let name = '';
  for (let i = end.at; i < end.at + nameLength; i++) {
    if (bytes[i]! < 0x20 || bytes[i]! > 0x7e) return undefined;
    name += String.fromCharCode(bytes[i]!);
  }
  if (!bytesAt(bytes, end.at + nameLength, BUCKET_TYPE)) return undefined;
  const count = headArgument(bytes, end.at + nameLength + BUCKET_TYPE.length, ARRAY, end);
  if (count < 0 || count > limits.maxFanout || end.at + count * LINK_BYTES !== bytes.length) return undefined;
  const items: NodeCid[] = [];
  const links: Link[] = [];
  const seen = new Set<string>();
  for (let at = end.at; at < bytes.length; at += LINK_BYTES) {
    const cid = bytesAt(bytes, at, LINK_HEAD) ? nodeCidOf(bytes.subarray(at + LINK_HEAD.length, at + LINK_BYTES)) : undefined;
    if (cid === undefined) return undefined;
    const key = cidText(cid);
    if (seen.has(key)) return undefined;
    seen.add(key);
    items.push(cid);
    links.push(keyed('items', cid, key));
  }
  return { node: { type: 'bucket', name, items }, links: Object.freeze(links) };
}
