import fc from 'fast-check';
import { allRevocationChecks, banList, generateSigningKey, decodeToken, encodeToken, verify, type LayerFormat } from '@nestoken/core';
import { describe, expect, it } from 'vitest';
import { STATUS, statusListRevocation } from '../src/index.node.js';
import { identity, keys, LIST_URI, NOW, referencedChain, signedList, trust, verifierOf } from './fixtures.js';

const codeOf = async (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'VALID',
    (e: { code?: string; layer?: number }) => `${e.code}@${e.layer}`,
  );

const sourceOver = (token: string | Uint8Array) => statusListRevocation({ fetch: async () => token, trust, now: () => NOW });
const format = fc.constantFrom<LayerFormat>('jwt', 'cbor');

describe('referenced layers', () => {
  it('a layer carries status.status_list {idx, uri} in both encodings; in CBOR under claim 65535', async () => {
    for (const f of ['jwt', 'cbor'] as const) {
      const t = await referencedChain([f, f], [3, 4]);
      const path = await verify(encodeToken(t, 'cbor'), verifierOf(2));
      expect(path.hops.map((h) => h.claims.status)).toEqual([
        { status_list: { idx: 3, uri: LIST_URI } },
        { status_list: { idx: 4, uri: LIST_URI } },
      ]);
    }
    const cbor = await referencedChain(['cbor'], [7]);
    expect(Buffer.from(cbor.layers[0]!.bytes).toString('hex')).toContain('19ffffa16b7374617475735f6c697374a263696478076375726978');
  });

  it('a malformed status claim is ERR_CLAIMS_INVALID when issued', async () => {
    for (const status of [{}, { status_list: { idx: -1, uri: LIST_URI } }, { status_list: { idx: 1.5, uri: LIST_URI } }, { status_list: { idx: 1, uri: 'not a uri' } }, { status_list: 'x' }, []]) {
      const claims = { iss: identity(0), exp: NOW + 60, status } as never;
      const { issue } = await import('@nestoken/core');
      await expect(issue({ key: keys[0]!, audienceKey: keys[1]!.publicKey, claims })).rejects.toMatchObject({ code: 'ERR_CLAIMS_INVALID' });
    }
  });
});

describe('a chain is refused when any of its layers is banned in the status list', () => {
  it('middle layer INVALID or SUSPENDED fails with its code; VALID verifies (both list forms, random layer formats)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.tuple(format, format, format), fc.constantFrom(STATUS.VALID, STATUS.INVALID, STATUS.SUSPENDED), fc.constantFrom('jwt', 'cwt' as const), fc.integer({ min: 0, max: 60 }), async (formats, value, listFormat, idx) => {
        const t = await referencedChain(formats, [idx, idx + 1, idx + 2]);
        const list = await signedList({ [idx + 1]: value }, { format: listFormat });
        const got = await codeOf(verify(encodeToken(t, 'jwt'), { ...verifierOf(3), isRevoked: sourceOver(list) }));
        expect(got).toBe(value === STATUS.VALID ? 'VALID' : value === STATUS.INVALID ? 'ERR_STATUS_INVALID@1' : 'ERR_STATUS_SUSPENDED@1');
      }),
      { numRuns: 12 },
    );
  });

  it('a ban on one layer refuses every chain built on it, and only those', async () => {
    const trunk = await referencedChain(['jwt', 'cbor'], [0, 1]);
    const a = await referencedChain(['jwt', 'cbor', 'jwt'], [0, 1, 2], { token: trunk, from: 2 });
    const b = await referencedChain(['jwt', 'cbor', 'cbor'], [0, 1, 3], { token: trunk, from: 2 });
    const banned = sourceOver(await signedList({ 1: STATUS.INVALID }));
    expect(await codeOf(verify(encodeToken(a, 'jwt'), { ...verifierOf(3), isRevoked: banned }))).toBe('ERR_STATUS_INVALID@1');
    expect(await codeOf(verify(encodeToken(b, 'cbor'), { ...verifierOf(3), isRevoked: banned }))).toBe('ERR_STATUS_INVALID@1');
    const leafBan = sourceOver(await signedList({ 2: STATUS.INVALID }));
    expect(await codeOf(verify(encodeToken(a, 'jwt'), { ...verifierOf(3), isRevoked: leafBan }))).toBe('ERR_STATUS_INVALID@2');
    expect(await codeOf(verify(encodeToken(b, 'jwt'), { ...verifierOf(3), isRevoked: leafBan }))).toBe('VALID');
  });

  it('application and reserved values are refused unless the caller accepts them; an index past the list is ERR_STATUS_INDEX', async () => {
    const t = await referencedChain(['jwt', 'jwt'], [5, 70]);
    const list = await signedList({ 5: 3 }, { bits: 2, size: 64 });
    expect(await codeOf(verify(encodeToken(t, 'jwt'), { ...verifierOf(2), isRevoked: sourceOver(list) }))).toBe('ERR_STATUS_REFUSED@0');
    const accepting = statusListRevocation({ fetch: async () => list, trust, now: () => NOW, acceptStatus: (v) => v === 3 });
    expect(await codeOf(verify(encodeToken(t, 'jwt'), { ...verifierOf(2), isRevoked: accepting }))).toBe('ERR_STATUS_INDEX@1');
  });

  it('layers without a reference pass, unless references are required', async () => {
    const t = await referencedChain(['jwt', 'cbor'], [undefined, 1]);
    const list = await signedList({});
    expect(await codeOf(verify(encodeToken(t, 'jwt'), { ...verifierOf(2), isRevoked: sourceOver(list) }))).toBe('VALID');
    const strict = statusListRevocation({ fetch: async () => list, trust, now: () => NOW, requireReference: true });
    expect(await codeOf(verify(encodeToken(t, 'jwt'), { ...verifierOf(2), isRevoked: strict }))).toBe('ERR_STATUS_UNAVAILABLE@0');
  });

  it('a replayed older list cannot lift a ban: ERR_STATUS_TOKEN', async () => {
    const t = encodeToken(await referencedChain(['jwt', 'cbor'], [0, 1]), 'jwt');
    const older = await signedList({}, { iat: NOW - 100, ttl: 60 });
    const newer = await signedList({ 1: STATUS.INVALID }, { iat: NOW, ttl: 60 });
    let serving = newer;
    let clock = NOW;
    const source = statusListRevocation({ fetch: async () => serving, trust, now: () => clock });
    expect(await codeOf(verify(t, { ...verifierOf(2), isRevoked: source }))).toBe('ERR_STATUS_INVALID@1');
    serving = older;
    clock = NOW + 61;
    expect(await codeOf(verify(t, { ...verifierOf(2), now: clock, isRevoked: source }))).toBe('ERR_STATUS_TOKEN@0');
  });

  it('a list above the token bound is ERR_STATUS_TOKEN at the layer that names it', async () => {
    const t = encodeToken(await referencedChain(['jwt', 'cbor'], [undefined, 1]), 'jwt');
    const small = statusListRevocation({ fetch: async () => signedList({}), trust, now: () => NOW, limits: { maxTokenBytes: 64 } });
    expect(await codeOf(verify(t, { ...verifierOf(2), isRevoked: small }))).toBe('ERR_STATUS_TOKEN@1');
  });

  it('a list signed by a key outside the trust bundle is refused: ERR_STATUS_TOKEN', async () => {
    const t = await referencedChain(['jwt', 'jwt'], [0, 1]);
    const { signStatusListJwt, StatusList } = await import('../src/index.node.js');
    const forged = await signStatusListJwt({ list: StatusList.create(1, 8), uri: LIST_URI, key: generateSigningKey(new Uint8Array(32).fill(99)), iat: NOW });
    expect(await codeOf(verify(encodeToken(t, 'jwt'), { ...verifierOf(2), isRevoked: sourceOver(forged) }))).toBe('ERR_STATUS_TOKEN@0');
  });
});

describe('bans on a workload identity or a root issuer (spec §13.5)', () => {
  it('each cause has its code, and composes with the status list source', async () => {
    const t = await referencedChain(['jwt', 'cbor', 'jwt'], [0, 1, 2]);
    const wire = encodeToken(t, 'cbor');
    const list = sourceOver(await signedList({}));
    const run = (bans: Parameters<typeof banList>[0]) => codeOf(verify(wire, { ...verifierOf(3), isRevoked: allRevocationChecks(list, banList(bans)) }));
    expect(await run({})).toBe('VALID');
    expect(await run({ issuers: [identity(0)] })).toBe('ERR_ISSUER_BANNED@0');
    expect(await run({ identities: [identity(2)] })).toBe('ERR_IDENTITY_BANNED@2');
    expect(await run({ identities: [identity(0)], issuers: [identity(0)] })).toBe('ERR_ISSUER_BANNED@0');
    const path = await verify(wire, verifierOf(3));
    expect(await run({ layers: [path.hops[1]!.digest] })).toBe('ERR_REVOKED@1');
    expect(await run({ keys: [keys[2]!.publicKey.kid] })).toBe('ERR_REVOKED@2');
    // A banned workload refuses every chain it signed a layer of, whoever started it.
    const other = decodeToken(encodeToken(await referencedChain(['cbor', 'cbor', 'cbor'], [undefined, undefined, undefined]), 'jwt')).token;
    expect(await codeOf(verify(encodeToken(other, 'jwt'), { ...verifierOf(3), isRevoked: banList({ identities: [identity(1)] }) }))).toBe('ERR_IDENTITY_BANNED@1');
  });

  it('property: banning any workload of a chain refuses it at that workload; banning its issuer refuses it at the root', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(format, { minLength: 1, maxLength: 5 }), fc.nat(), async (formats, pick) => {
        const wire = encodeToken(await referencedChain(formats, []), 'cbor');
        const banned = pick % formats.length;
        const options = verifierOf(formats.length);
        expect(await codeOf(verify(wire, { ...options, isRevoked: banList({ identities: [identity(banned)] }) }))).toBe(`ERR_IDENTITY_BANNED@${banned}`);
        expect(await codeOf(verify(wire, { ...options, isRevoked: banList({ issuers: [identity(0)], identities: [identity(banned)] }) }))).toBe('ERR_ISSUER_BANNED@0');
        expect(await codeOf(verify(wire, { ...options, isRevoked: banList({ issuers: [identity(7)], identities: [identity(7)] }) }))).toBe('VALID');
      }),
      { numRuns: 15 },
    );
  });

  it('a hook that answers neither true nor false, or throws a foreign error, fails closed as ERR_REVOKED', async () => {
    const wire = encodeToken(await referencedChain(['jwt', 'jwt'], [0, 1]), 'jwt');
    expect(await codeOf(verify(wire, { ...verifierOf(2), isRevoked: (() => 'no') as never }))).toBe('ERR_REVOKED@0');
    expect(await codeOf(verify(wire, { ...verifierOf(2), isRevoked: allRevocationChecks(() => undefined as never) }))).toBe('ERR_REVOKED@0');
    expect(await codeOf(verify(wire, { ...verifierOf(2), isRevoked: () => { throw new TypeError('x'); } }))).toBe('ERR_REVOKED@0');
  });
});
