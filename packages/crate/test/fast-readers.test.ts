import * as dagCbor from '@ipld/dag-cbor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CID } from 'multiformats/cid';
import * as Digest from 'multiformats/hashes/digest';
import { base32 } from 'multiformats/bases/base32';
import { cidForDigest, cidText, nodeCidOf } from '../src/cid.js';
import { decodeCanonical } from '../src/codec.js';
import { plainForm } from '../src/compact.js';
import { DEFAULT_CRATE_LIMITS, toCompactBytes, trim } from '../src/index.js';
import { readNode, TOKEN_FORMATS } from '../src/node.js';
import { plainBucketNode, plainTokenNode } from '../src/plain-nodes.js';
import { buildPlan, cratePlan, mask, pick } from './fixtures.js';

/** What the full path makes of bytes: the decoded, schema-checked node, or the refusal's code. */
function fullPath(bytes: Uint8Array, limits = DEFAULT_CRATE_LIMITS): unknown {
  try {
    return readNode(decodeCanonical(bytes, 'node'), limits);
  } catch (e) {
    return (e as { code?: string }).code ?? e;
  }
}

/** Variants a fast reader must either read exactly as the full path or leave to it. */
const mutation = fc.oneof(
  fc.record({ flip: fc.nat(), by: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ cut: fc.nat() }),
  fc.record({ append: fc.uint8Array({ minLength: 1, maxLength: 3 }) }),
);

function mutate(bytes: Uint8Array, m: { flip?: number; by?: number; cut?: number; append?: Uint8Array }): Uint8Array {
  if (m.flip !== undefined) {
    const b = Uint8Array.from(bytes);
    b[m.flip % b.length]! ^= m.by!;
    return b;
  }
  if (m.cut !== undefined) return bytes.subarray(0, m.cut % bytes.length);
  return Uint8Array.from([...bytes, ...m.append!]);
}

/** The bytes of a token node whose byte string has a longer length head than DAG-CBOR allows. */
function longHead(format: string, payload: Uint8Array): Uint8Array {
  const canonical = dagCbor.encode({ type: 'token', format, bytes: payload });
  const at = 1 + 5 + 6 + 6;
  const short = payload.length < 24 ? 1 : 2;
  return Uint8Array.from([...canonical.subarray(0, at), 0x59, payload.length >> 8, payload.length & 0xff, ...canonical.subarray(at + short)]);
}

describe('fast readers agree with the full decoding', () => {
  const payloadLengths = fc.oneof(fc.constantFrom(0, 1, 23, 24, 255, 256, 65_535, 65_536), fc.integer({ min: 0, max: 600 }));

  it('a token node is read as the full path reads it, or left to it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TOKEN_FORMATS, 'nestokens', 'jw'), payloadLengths, fc.boolean(), fc.option(mutation), (format, length, meta, m) => {
        const payload = Uint8Array.from({ length }, (_, i) => (i * 37) & 0xff);
        const value = { type: 'token', format, bytes: payload, ...(meta ? { meta: { a: 1 } } : {}) };
        const bytes = m ? mutate(dagCbor.encode(value), m) : dagCbor.encode(value);
        const fast = plainTokenNode(bytes);
        if (fast !== undefined) expect(fast).toEqual(fullPath(bytes));
        else if (!m && !meta && length > 0 && (TOKEN_FORMATS as readonly string[]).includes(format)) expect.unreachable('a plain token node takes the fast path');
      }),
      { numRuns: 400 },
    );
  });

  it('a token node copies its bytes out, as the decoder does', () => {
    const payload = Uint8Array.of(1, 2, 3);
    const bytes = Buffer.from(dagCbor.encode({ type: 'token', format: 'other', bytes: payload }));
    const read = plainTokenNode(bytes)!.node.bytes;
    expect(read).toEqual(payload);
    expect(read.buffer).not.toBe(bytes.buffer);
    expect(Buffer.isBuffer(read)).toBe(false);
  });

  it('a longer length head than needed is left to the full path, which refuses it', () => {
    for (const length of [1, 30]) {
      const bytes = longHead('other', new Uint8Array(length).fill(7));
      expect(plainTokenNode(bytes)).toBeUndefined();
      expect(fullPath(bytes)).toBe('ERR_NONCANONICAL');
    }
  });

  it('a compact form is framed as the full decoding reads it, or left to it', async () => {
    await fc.assert(
      fc.asyncProperty(cratePlan, mask, fc.option(mutation), async (plan, m, change) => {
        const c = await buildPlan(plan);
        const encoded = toCompactBytes(trim(c, pick(c, m)));
        const bytes = change ? mutate(encoded, change) : encoded;
        const fast = plainForm(Uint8Array.from(bytes));
        if (fast !== undefined) expect(fast).toEqual(decodeCanonical(bytes, 'the compact crate'));
        else if (!change) expect.unreachable('a canonical compact form takes the fast path');
      }),
      { numRuns: 150 },
    );
  });

  it('a node CID made in a slab is the CID multiformats makes of the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 40 }), (digest, other) => {
        const made = cidForDigest(digest);
        const reference = CID.createV1(0x71, Digest.create(0x12, digest));
        expect(made).toEqual(CID.decode(reference.bytes));
        expect(made.toString()).toBe(reference.toString());
        expect(nodeCidOf(reference.bytes)).toEqual(made);
        expect(nodeCidOf(other)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('every node reads with the links dag-cbor decodes', async () => {
    await fc.assert(
      fc.asyncProperty(cratePlan, async (plan) => {
        const c = await buildPlan(plan);
        for (const b of c.blocks.values()) expect(decodeCanonical(b.bytes, 'node')).toEqual(dagCbor.decode(b.bytes));
      }),
      { numRuns: 40 },
    );
  });

  it('a CID is written as the text multiformats writes for its bytes, whatever their length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        expect(cidText({ bytes } as CID)).toBe(base32.encode(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('a bucket node is read as the full path reads it, or left to it', () => {
    const names = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('a'.repeat(256), 'a'.repeat(257), '\u{feff}x', 'tab\there'));
    const link = fc.oneof(
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((d) => cidForDigest(d) as CID),
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((d) => CID.createV1(0x55, Digest.create(0x12, d))),
    );
    fc.assert(
      fc.property(names, fc.array(link, { maxLength: 12 }), fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 12 }), fc.option(mutation), (name, items, repeat, claims, fanout, m) => {
        const listed = repeat && items.length > 0 ? [...items, items[0]!] : items;
        const value = { type: 'bucket', name, items: listed, ...(claims ? { claims: { a: 1 } } : {}) };
        let bytes: Uint8Array;
        try {
          bytes = dagCbor.encode(value);
        } catch {
          return;
        }
        if (m) bytes = mutate(bytes, m);
        const limits = { ...DEFAULT_CRATE_LIMITS, maxFanout: fanout };
        const fast = plainBucketNode(bytes, limits);
        if (fast !== undefined) expect(fast).toEqual(fullPath(bytes, limits));
      }),
      { numRuns: 500 },
    );
  });

  it('the buckets of a built crate take the fast path', async () => {
    await fc.assert(
      fc.asyncProperty(cratePlan, async (plan) => {
        const c = await buildPlan(plan);
        for (const b of c.blocks.values()) {
          if (b.node.type !== 'bucket' || b.node.claims || !/^[\x20-\x7e]+$/.test(b.node.name)) continue;
          expect(plainBucketNode(b.bytes, DEFAULT_CRATE_LIMITS)).toEqual(fullPath(b.bytes));
        }
      }),
      { numRuns: 30 },
    );
  });
});
