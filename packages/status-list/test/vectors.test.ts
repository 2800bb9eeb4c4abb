import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isNestokenError, verify } from '@nestoken/core';
import { describe, expect, it } from 'vitest';
import { statusListRevocation, verifyStatusListToken } from '../src/index.node.js';
import { generateStatusListVectors, loadStatusTrust, VECTOR_FILE, type ChainCase, type ListCase } from './vectors.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const path = join(ROOT, VECTOR_FILE);

const outcome = async (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    (v) => v,
    (e: unknown) => {
      if (!isNestokenError(e)) throw e;
      return { code: e.code, ...(e.layer === undefined ? {} : { layer: e.layer }) };
    },
  );

describe('status list vectors (test-vectors/status-lists)', () => {
  it('are reproduced byte for byte by the generator (UPDATE_VECTORS=1 rewrites them)', async () => {
    const text = `${JSON.stringify(await generateStatusListVectors(), null, 2)}\n`;
    if (process.env.UPDATE_VECTORS === '1' || !existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('every case gives the verdict it states', async () => {
    const file = JSON.parse(readFileSync(path, 'utf8')) as { trust: { signers: object; spiffeBundles: Record<string, object> }; lists: ListCase[]; chains: ChainCase[] };
    const trust = loadStatusTrust(file.trust);
    expect(file.lists.length + file.chains.length).toBeGreaterThanOrEqual(30);
    for (const c of file.lists) {
      const token = c.jwt ?? Uint8Array.from(Buffer.from(c.cwtHex!, 'hex'));
      const got = await outcome(verifyStatusListToken(token, { trust, uri: c.uri, now: c.now, ...(c.limits ? { limits: c.limits } : {}) }));
      if ('code' in c.expect) {
        expect(got, `tcId ${c.tcId}: ${c.comment}`).toEqual({ code: c.expect.code });
        continue;
      }
      const list = (got as { list: { get(i: number): number } }).list;
      for (const l of c.expect.lookups) {
        const value = await outcome(Promise.resolve().then(() => list.get(l.idx)));
        expect(value, `tcId ${c.tcId} idx ${l.idx}`).toEqual(l.code === undefined ? l.status : { code: l.code });
      }
    }
    for (const c of file.chains) {
      const isRevoked = statusListRevocation({ trust, now: () => c.now, fetch: async (uri) => c.lists[uri] ?? Promise.reject(new Error(`${uri}: 404`)) });
      const got = await outcome(verify(c.token, { trust, now: c.now, audience: c.audience, isRevoked }));
      if ('code' in c.expect) expect(got, `tcId ${c.tcId}: ${c.comment}`).toEqual(c.expect);
      else expect((got as { hops: unknown[] }).hops, `tcId ${c.tcId}: ${c.comment}`).toHaveLength(3);
    }
  });
});
