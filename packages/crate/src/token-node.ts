import { BYTES, bytesAt, headArgument } from './heads.js';
import { TOKEN_FORMATS, type Link, type TokenNode } from './node.js';

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
