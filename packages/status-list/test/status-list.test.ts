import fc from 'fast-check';
import { deflateSync } from 'node:zlib';
import { b64u, NestokenError } from '@nestoken/core';
import { describe, expect, it } from 'vitest';
import { fflateZlib, nodeZlib, StatusList, statusName, useZlibBackend, zlibBackend } from '../src/index.node.js';

const bits = fc.constantFrom(1, 2, 4, 8);
const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'OK';
  } catch (e) {
    expect(e).toBeInstanceOf(NestokenError);
    return (e as NestokenError).code;
  }
};

describe('set then get', () => {
  it('returns the value, leaves every other entry alone, and survives compression (both backends)', () => {
    fc.assert(
      fc.property(bits, fc.integer({ min: 1, max: 300 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 40 }), (b, size, writes) => {
        const list = StatusList.create(b, size);
        const model = new Map<number, number>();
        for (const [i, v] of writes) {
          const idx = i % list.size;
          const value = v % (1 << b);
          list.set(idx, value);
          model.set(idx, value);
          expect(list.get(idx)).toBe(value);
        }
        for (const backend of [fflateZlib, nodeZlib]) {
          const again = StatusList.decompress(b, backend.compress(list.bytes, 9));
          for (let i = 0; i < list.size; i++) expect(again.get(i)).toBe(model.get(i) ?? 0);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('names the status values of the draft', () => {
    expect([0, 1, 2, 3, 4, 11, 12, 15, 16, 255].map(statusName)).toEqual(['VALID', 'INVALID', 'SUSPENDED', 'APPLICATION', 'RESERVED', 'RESERVED', 'APPLICATION', 'APPLICATION', 'RESERVED', 'RESERVED']);
  });
});

describe('bounds before work', () => {
  it('bits other than 1, 2, 4, 8 and malformed forms are ERR_STATUS_LIST', () => {
    for (const b of [0, 3, 5, 16, '1', null, 1.5]) expect(codeOf(() => StatusList.create(b as number, 8))).toBe('ERR_STATUS_LIST');
    expect(codeOf(() => StatusList.fromJson({ bits: 3, lst: 'eNrbuRgAAhcBXQ' }))).toBe('ERR_STATUS_LIST');
    expect(codeOf(() => StatusList.fromJson({ bits: 1 }))).toBe('ERR_STATUS_LIST');
    expect(codeOf(() => StatusList.fromJson({ bits: 1, lst: 'eNrbuRgAAhcBXQ==' }))).toBe('ERR_STATUS_LIST');
    expect(codeOf(() => StatusList.fromJson([1]))).toBe('ERR_STATUS_LIST');
    expect(codeOf(() => StatusList.fromCbor(new Map([['bits', 1], ['lst', 'text']])))).toBe('ERR_STATUS_LIST');
  });

  it('indexes outside the list are ERR_STATUS_INDEX; values wider than bits are ERR_USAGE', () => {
    const list = StatusList.create(2, 12);
    for (const i of [-1, 12, 1.5, Number.NaN, 2 ** 53, '0']) expect(codeOf(() => list.get(i as number))).toBe('ERR_STATUS_INDEX');
    for (const v of [4, -1, 0.5]) expect(codeOf(() => list.set(0, v))).toBe('ERR_USAGE');
  });

  it('a zlib bomb stops at the decompressed bound, a large compressed list at the compressed bound, sizes at creation', () => {
    const bomb = new Uint8Array(deflateSync(new Uint8Array(2 * 1024 * 1024), { level: 9 }));
    expect(bomb.length).toBeLessThan(4 * 1024);
    for (const backend of [fflateZlib, nodeZlib]) {
      const original = zlibBackend();
      useZlibBackend(backend);
      try {
        expect(codeOf(() => StatusList.decompress(1, bomb, { maxListBytes: 256 * 1024 }))).toBe('ERR_STATUS_LIST');
        expect(StatusList.decompress(1, bomb).size).toBe(16 * 1024 * 1024);
      } finally {
        useZlibBackend(original);
      }
    }
    expect(codeOf(() => StatusList.decompress(1, new Uint8Array(2000), { maxCompressedBytes: 1000 }))).toBe('ERR_INPUT_TOO_LARGE');
    expect(codeOf(() => StatusList.fromJson({ bits: 1, lst: 'A'.repeat(2000) }, { maxCompressedBytes: 1000 }))).toBe('ERR_INPUT_TOO_LARGE');
    expect(codeOf(() => StatusList.create(8, 17 * 1024 * 1024))).toBe('ERR_LIMIT_EXCEEDED');
    expect(codeOf(() => StatusList.create(1, 0))).toBe('ERR_USAGE');
  });

  it('any bytes that are not ZLIB, or a truncated stream, are ERR_STATUS_LIST, never a raw error (both backends)', () => {
    const good = new Uint8Array(deflateSync(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), { level: 9 }));
    for (const backend of [fflateZlib, nodeZlib]) {
      const original = zlibBackend();
      useZlibBackend(backend);
      try {
        fc.assert(
          fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
            expect(['OK', 'ERR_STATUS_LIST']).toContain(codeOf(() => StatusList.decompress(1, bytes)));
          }),
          { numRuns: 200 },
        );
        expect(codeOf(() => StatusList.decompress(1, good.subarray(0, good.length - 6)))).toBe('ERR_STATUS_LIST');
        expect(b64u(StatusList.decompress(8, good).bytes)).toBe(b64u(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)));
      } finally {
        useZlibBackend(original);
      }
    }
  });
});
