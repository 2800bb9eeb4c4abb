import fc from 'fast-check';
import { createTrustBundle, NestokenError } from '@nestoken/core';
import { describe, expect, it } from 'vitest';
import { StatusList, signStatusListCwt, signStatusListJwt, verifyStatusListToken } from '../src/index.node.js';
import { LIST_URI, LISTER_IDENTITY, lister, NOW, signedList, trust } from './fixtures.js';

const codeOf = async (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'OK',
    (e: unknown) => {
      expect(e).toBeInstanceOf(NestokenError);
      return (e as NestokenError).code;
    },
  );

describe('Status List Tokens', () => {
  it('sign and verify in both forms: sub, iat, exp, ttl, the list and its signer', async () => {
    const list = StatusList.create(2, 1000);
    list.set(999, 2);
    for (const sign of [signStatusListJwt, signStatusListCwt]) {
      const token = await sign({ list, uri: LIST_URI, key: lister, iat: NOW, exp: NOW + 86400, ttl: 300, issuer: LISTER_IDENTITY });
      const v = await verifyStatusListToken(token, { trust, now: NOW + 10, uri: LIST_URI });
      expect(v).toMatchObject({ uri: LIST_URI, iat: NOW, exp: NOW + 86400, ttl: 300, issuer: LISTER_IDENTITY, signer: LISTER_IDENTITY });
      expect(v.list.get(999)).toBe(2);
      expect(v.list.bytes).toEqual(list.bytes);
    }
    const jwt = (await signStatusListJwt({ list, uri: LIST_URI, key: lister, iat: NOW })) as string;
    expect(JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString())).toMatchObject({ typ: 'statuslist+jwt', alg: 'EdDSA' });
  });

  it('a P-256 (ES256) publisher key signs and verifies in both forms', async () => {
    const { generateSigningKey } = await import('@nestoken/core');
    const p256 = generateSigningKey({ alg: 'ES256' });
    const bundle = createTrustBundle({ signers: [{ identity: 'https://es256.example', key: p256.publicKey }] });
    const list = StatusList.create(4, 32);
    list.set(31, 9);
    for (const sign of [signStatusListJwt, signStatusListCwt]) {
      const v = await verifyStatusListToken(await sign({ list, uri: LIST_URI, key: p256, iat: NOW }), { trust: bundle, now: NOW });
      expect([v.signer, v.list.get(31)]).toEqual(['https://es256.example', 9]);
    }
  });

  it('a changed byte of a signed list fails (both forms), always with a typed code', async () => {
    const jwt = (await signedList({ 3: 1 }, { format: 'jwt' })) as string;
    const cwt = (await signedList({ 3: 1 }, { format: 'cwt' })) as Uint8Array;
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), async (at, flip, useCwt) => {
        const bytes = useCwt ? Uint8Array.from(cwt) : new TextEncoder().encode(jwt);
        bytes[at % bytes.length] ^= flip;
        const code = await codeOf(verifyStatusListToken(useCwt ? bytes : new TextDecoder().decode(bytes), { trust, now: NOW }));
        expect(code).not.toBe('OK');
      }),
      { numRuns: 150 },
    );
  });

  it('refuses the wrong list, an expired list, a future list, an untrusted key, and oversize tokens', async () => {
    for (const format of ['jwt', 'cwt'] as const) {
      const token = await signedList({}, { format, exp: NOW + 100 });
      expect(await codeOf(verifyStatusListToken(token, { trust, now: NOW, uri: 'https://status.example/lists/2' }))).toBe('ERR_STATUS_TOKEN');
      expect(await codeOf(verifyStatusListToken(token, { trust, now: NOW + 100 + 60 }))).toBe('ERR_STATUS_TOKEN');
      expect(await codeOf(verifyStatusListToken(token, { trust, now: NOW - 61 }))).toBe('ERR_STATUS_TOKEN');
      expect(await codeOf(verifyStatusListToken(token, { trust: createTrustBundle({}), now: NOW }))).toBe('ERR_STATUS_TOKEN');
      expect(await codeOf(verifyStatusListToken(token, { trust, now: NOW, limits: { maxTokenBytes: 100 } }))).toBe('ERR_INPUT_TOO_LARGE');
    }
    expect(await codeOf(verifyStatusListToken(42 as never, { trust }))).toBe('ERR_USAGE');
    for (const bad of [{ trust, nw: NOW }, { trust, now: -1 }, { trust, clockSkew: 0.5 }, { trust: {} }, null]) {
      expect(await codeOf(verifyStatusListToken('a.b.c', bad as never))).toBe('ERR_USAGE');
    }
    expect(await codeOf(verifyStatusListToken('a.b.c', { trust }))).toBe('ERR_STATUS_TOKEN');
    expect(await codeOf(verifyStatusListToken(Uint8Array.of(0xd2, 0x84), { trust }))).toBe('ERR_STATUS_TOKEN');
  });

  it('refuses a JWT of another type and a JWT whose payload repeats a member', async () => {
    const { SignJWT, importJWK } = await import('jose');
    const { exportPrivateJwk } = await import('@nestoken/core');
    const key = await importJWK(exportPrivateJwk(lister) as never, 'EdDSA');
    const lst = StatusList.create(1, 8).toJson();
    const other = await new SignJWT({ sub: LIST_URI, iat: NOW, status_list: lst }).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: lister.publicKey.kid }).sign(key);
    expect(await codeOf(verifyStatusListToken(other, { trust, now: NOW }))).toBe('ERR_STATUS_TOKEN');
    const { CompactSign } = await import('jose');
    const dup = new TextEncoder().encode(`{"sub":"${LIST_URI}","iat":${NOW},"sub":"${LIST_URI}","status_list":${JSON.stringify(lst)}}`);
    const dupJwt = await new CompactSign(dup).setProtectedHeader({ alg: 'EdDSA', typ: 'statuslist+jwt', kid: lister.publicKey.kid }).sign(key);
    expect(await codeOf(verifyStatusListToken(dupJwt, { trust, now: NOW }))).toBe('ERR_DUPLICATE_KEY');
    // Read as core reads JSON another issuer wrote: within the claim data model, while lst may be long.
    const deep = new TextEncoder().encode(`{"sub":"${LIST_URI}","iat":${NOW},"x":${'['.repeat(40)}${']'.repeat(40)},"status_list":${JSON.stringify(lst)}}`);
    const deepJwt = await new CompactSign(deep).setProtectedHeader({ alg: 'EdDSA', typ: 'statuslist+jwt', kid: lister.publicKey.kid }).sign(key);
    expect(await codeOf(verifyStatusListToken(deepJwt, { trust, now: NOW }))).toBe('ERR_LIMIT_EXCEEDED');
    const notObject = await new CompactSign(new TextEncoder().encode('[1]')).setProtectedHeader({ alg: 'EdDSA', typ: 'statuslist+jwt', kid: lister.publicKey.kid }).sign(key);
    expect(await codeOf(verifyStatusListToken(notObject, { trust, now: NOW }))).toBe('ERR_STATUS_TOKEN');
    const crit = await new CompactSign(new TextEncoder().encode(JSON.stringify({ sub: LIST_URI, iat: NOW, status_list: lst }))).setProtectedHeader({ alg: 'EdDSA', typ: 'statuslist+jwt', kid: lister.publicKey.kid, crit: ['x'], x: 1 } as never).sign(key, { crit: { x: true } });
    expect(await codeOf(verifyStatusListToken(crit, { trust, now: NOW }))).toBe('ERR_STATUS_TOKEN');
  });

  it('refuses bad init at signing time with ERR_USAGE', async () => {
    const list = StatusList.create(1, 8);
    for (const bad of [{ uri: 'no scheme' }, { ttl: 0 }, { iat: -1 }, { list: {} }]) {
      expect(await codeOf(signStatusListJwt({ list, uri: LIST_URI, key: lister, ...bad } as never))).toBe('ERR_USAGE');
    }
  });
});
