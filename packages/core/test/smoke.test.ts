import { describe, expect, it } from 'vitest';
import { createTrustBundle, encodeToken, extend, generateSigningKey, issue, verify } from '../src/index.node.js';

describe('smoke', () => {
  it('issues, extends and verifies', async () => {
    const idp = generateSigningKey();
    const gw = generateSigningKey();
    const foo = generateSigningKey();
    const trust = createTrustBundle({ signers: [
      { identity: 'https://idp.example', key: idp.publicKey },
      { identity: 'spiffe://example.org/gateway', key: gw.publicKey },
      { identity: 'spiffe://example.org/foo', key: foo.publicKey },
    ] });
    const now = 1_800_000_000;
    for (const format of ['jwt', 'cbor'] as const) {
      let t = await issue({ key: idp, audienceKey: gw.publicKey, claims: { iss: 'https://idp.example', sub: 'alice', exp: now + 600 }, format });
      t = await extend(t, { key: gw, audienceKey: foo.publicKey, claims: { iss: 'spiffe://example.org/gateway' }, format });
      const text = encodeToken(t, 'jwt');
      const bin = encodeToken(t, 'cbor');
      console.log(format, text.length, bin.length);
      const path = await verify(text, { trust, now, audience: foo.publicKey });
      expect(path.hops.map((h) => h.identity)).toEqual(['https://idp.example', 'spiffe://example.org/gateway']);
      const path2 = await verify(bin, { trust, now, audience: foo.publicKey });
      expect(path2.hops.length).toBe(2);
    }
  });
});
