import { NestokenError } from '@nestoken/core';
import { CarBufferReader, CarBufferWriter } from '@ipld/car';
import { readBlock, type CrateBlock } from './block.js';
import { cidText, asNodeCid, cidForBytes, nodeCidOf, sameCid, type NodeCid } from './cid.js';
import { sameBytes } from './codec.js';
import { linkCrate, type Crate } from './crate.js';
import { checkBytes, resolveCrateLimits, type CrateLimits } from './limits.js';
import { decodeManifest, encodeManifest } from './manifest.js';
import { countCarSections } from './car-sections.js';

interface RawBlock {
  readonly cid: NodeCid;
  readonly bytes: Uint8Array;
}

/** The CAR's roots and blocks: the crate root, then the trim manifest when anything is trimmed. */
export function carContents(crate: Crate): { roots: NodeCid[]; blocks: RawBlock[] } {
  const blocks: RawBlock[] = [...crate.blocks.values()].map((b) => ({ cid: b.cid, bytes: b.bytes }));
  if (crate.trimmed.length === 0) return { roots: [crate.root], blocks };
  const manifest = encodeManifest(crate.root, crate.trimmed);
  return { roots: [crate.root, manifest.cid], blocks: [...blocks, manifest] };
}

const lengthOf = ({ roots, blocks }: { roots: NodeCid[]; blocks: RawBlock[] }): number =>
  CarBufferWriter.headerLength({ roots }) + blocks.reduce((n, b) => n + CarBufferWriter.blockLength(b), 0);

/** The size in bytes of the crate as a CAR file. */
export const carSize = (crate: Crate): number => lengthOf(carContents(crate));

/** CARv1 bytes (spec §10.7): blocks in canonical order, so one crate always gives the same bytes. */
export function toCar(crate: Crate): Uint8Array {
  const contents = carContents(crate);
  const { roots, blocks } = contents;
  const writer = CarBufferWriter.createWriter(new ArrayBuffer(lengthOf(contents)), { roots });
  for (const b of blocks) writer.write(b);
  return writer.close();
}

function readCar(bytes: Uint8Array): { roots: unknown[]; blocks: ReadonlyArray<{ cid: unknown; bytes: Uint8Array }> } {
  let reader: CarBufferReader;
  try {
    reader = CarBufferReader.fromBytes(bytes);
  } catch (e) {
    throw new NestokenError('ERR_MALFORMED', `not a CAR: ${(e as Error).message}`, { cause: e });
  }
  if (reader.version !== 1) throw new NestokenError('ERR_MALFORMED', 'a crate travels as a CARv1');
  return { roots: reader.getRoots(), blocks: reader.blocks() };
}

/** Reads a crate from CAR bytes; the size is checked before anything is read, the block count from the framing before parsing. */
export function fromCar(bytes: Uint8Array, limits?: Partial<CrateLimits>): Crate {
  const l = resolveCrateLimits(limits);
  if (!(bytes instanceof Uint8Array)) throw new NestokenError('ERR_USAGE', 'a CAR is bytes');
  checkBytes(bytes.length, l.maxTotalBytes, 'the CAR');
  countCarSections(bytes, l.maxNodes + 1);
  const car = readCar(bytes);
  if (car.roots.length < 1 || car.roots.length > 2) throw new NestokenError('ERR_MALFORMED', 'a crate CAR names its root and at most a trim manifest');
  const root = asNodeCid(car.roots[0], 'the CAR root');
  const manifestCid = car.roots[1] === undefined ? undefined : asNodeCid(car.roots[1], 'the trim manifest root');
  let declared: NodeCid[] = [];
  const blocks = new Map<string, CrateBlock>();
  for (const raw of car.blocks) {
    // The reader's CID copied into a slab: its own small buffer, kept for every block, would cost the collector more than the copy.
    const cid = nodeCidOf(asNodeCid(raw.cid, 'a CAR block CID').bytes)!;
    if (manifestCid && sameCid(manifestCid, cid)) {
      if (!sameCid(cidForBytes(raw.bytes), cid)) throw new NestokenError('ERR_CRATE_CID_MISMATCH', 'the trim manifest does not hash to its CID');
      const manifest = decodeManifest(raw.bytes, l);
      if (!sameCid(manifest.root, root)) throw new NestokenError('ERR_CRATE_NODE_INVALID', 'the trim manifest belongs to another root');
      declared = [...manifest.cids];
      continue;
    }
    const key = cidText(cid);
    const seen = blocks.get(key);
    if (!seen) blocks.set(key, readBlock(raw.bytes, l, cid, key).block);
    else if (!sameBytes(seen.bytes, raw.bytes)) throw new NestokenError('ERR_CRATE_CID_MISMATCH', `the CAR holds two different blocks named ${key}`);
  }
  if (manifestCid && !car.blocks.some((b) => sameCid(manifestCid, b.cid as NodeCid))) {
    throw new NestokenError('ERR_MALFORMED', 'the CAR names a trim manifest it does not hold');
  }
  return linkCrate(root, blocks, l, declared);
}
