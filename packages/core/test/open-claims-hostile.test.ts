import { describe, expect, it } from 'vitest';
import { issue, NestokenError, verify, type Claims } from '../src/index.node.js';
import { keys, identity, NOW, receiverOf, trust, wire } from './fixtures.js';

/** Hostile open claims (spec §3.3, §4.2): each refused with its code when issuing, or carried as a plain name. */
const base = { key: keys[0]!, audienceKey: keys[1]!.publicKey };
const codeOf = (p: Promise<unknown>) => p.then(() => 'VALID', (e: unknown) => (e instanceof NestokenError ? e.code : `RAW ${String(e)}`));
const deep = (n: number): unknown => (n === 0 ? 1 : { a: deep(n - 1) });

describe('hostile open claims', () => {
  it.each([
    ['a reserved nst_ name', { nst_v2: 1 }, 'ERR_CLAIMS_INVALID'],
    ['an integer beyond 2^53', { n: 2 ** 53 + 2 }, 'ERR_CLAIMS_INVALID'],
    ['-0', { n: -0 }, 'ERR_CLAIMS_INVALID'],
    ['NaN', { n: Number.NaN }, 'ERR_CLAIMS_INVALID'],
    ['a lone surrogate in a value', { s: '\ud800' }, 'ERR_CLAIMS_INVALID'],
    ['a lone surrogate in a name', { '\udc00': 1 }, 'ERR_CLAIMS_INVALID'],
    ['nesting 40 deep', { d: deep(40) }, 'ERR_LIMIT_EXCEEDED'],
    ['a BigInt', { b: 1n }, 'ERR_CLAIMS_INVALID'],
    ['a Date', { d: new Date(0) }, 'ERR_CLAIMS_INVALID'],
  ] as const)('%s is %s', async (_, claims, code) => {
    for (const format of ['jwt', 'cbor'] as const) expect(await codeOf(issue({ ...base, format, claims: { exp: NOW + 60, ...claims } as unknown as Claims }))).toBe(code);
  });

  it('__proto__ and constructor are plain names: own members after a round trip in both encodings, no prototype touched', async () => {
    const claims = JSON.parse('{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}') as Claims;
    for (const format of ['jwt', 'cbor'] as const) {
      const t = await issue({ ...base, format, claims: { ...claims, iss: identity(0), exp: NOW + 60 } });
      for (const form of ['jwt', 'cbor'] as const) {
        const path = await verify(wire(t, form), { trust, now: NOW, audience: receiverOf(1).publicKey });
        const got = path.hops[0]!.claims;
        expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
        expect(Object.hasOwn(got, '__proto__') && Object.hasOwn(got, 'constructor')).toBe(true);
        expect(JSON.stringify(got['__proto__'])).toBe('{"admin":true}');
        expect(({} as Record<string, unknown>).admin).toBeUndefined();
      }
    }
  });
});
