import { describe, expect, it } from 'vitest';
import { createTrustBundle, encodeToken, extend, generateSigningKey, issue, seal, verify } from '../src/index.node.js';

describe('aggregate smoke', () => {
  it('anon and hybrid chains verify with both verifiers', async () => {
    const idp = generateSigningKey();
    const foo = generateSigningKey();
    const trust = createTrustBundle({ signers: [
      { identity: 'https://idp.example', key: idp.publicKey },
      { identity: 'spiffe://example.org/foo', key: foo.publicKey },
    ] });
    const now = 1_800_000_000;
    for (const format of ['jwt', 'cbor'] as const) {
      let t = await issue({ mode: 'anon', key: idp, claims: { sub: 'alice', exp: now + 600 }, format });
      for (let i = 0; i < 5; i++) t = await extend(t, { claims: { data: { hop: i } }, format });
      t = await extend(t, { key: foo, claims: { iss: 'spiffe://example.org/foo' }, format });
      for (const form of ['jwt', 'cbor'] as const) {
        const wire = encodeToken(t, form);
        for (const v of ['msm', 'sequential'] as const) {
          const p = await verify(wire, { trust, now, aggregateVerifier: v });
          expect(p.mode).toBe('hybrid');
          expect(p.hops.map((h) => h.identity)).toEqual(['https://idp.example', 'anonymous', 'anonymous', 'anonymous', 'anonymous', 'anonymous', 'spiffe://example.org/foo']);
        }
      }
      const sealed = seal(t);
      expect((await verify(sealed, { trust, now, requireSealed: true })).sealed).toBe(true);
      await expect(extend(sealed, { claims: {} })).rejects.toMatchObject({ code: 'ERR_SEALED' });
      const short = { layers: t.layers.slice(0, -1), proof: t.proof! };
      await expect(verify(short, { trust, now })).rejects.toMatchObject({ code: 'ERR_SIGNATURE_INVALID' });
      await expect(verify(short, { trust, now, aggregateVerifier: 'sequential' })).rejects.toMatchObject({ code: 'ERR_SIGNATURE_INVALID' });
    }
  });
});
