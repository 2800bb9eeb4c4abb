import * as dagCbor from '@ipld/dag-cbor';
import type { CID } from 'multiformats/cid';
import { concat } from '../bytes.js';

/** Unsigned LEB128, as CAR frames its sections. */
function uvarint(n: number): Uint8Array {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Uint8Array.from(out);
}

/**
 * A CARv1 written section by section, with whatever roots and blocks the case needs: a block
 * whose bytes do not match its CID, a missing manifest, three roots. Honest crates come from
 * the crate package's own writer.
 */
export function rawCar(roots: readonly CID[], blocks: ReadonlyArray<{ readonly cid: CID; readonly bytes: Uint8Array }>, version = 1): Uint8Array {
  const header = dagCbor.encode({ roots: [...roots], version });
  return concat(uvarint(header.length), header, ...blocks.flatMap((b) => [uvarint(b.cid.bytes.length + b.bytes.length), b.cid.bytes, b.bytes]));
}
