import { encodeToken, type LayerFormat } from '@nestoken/core';
import { encode } from 'cborg';
import { describe, expect, it } from 'vitest';
import { Cast } from '../src/cast.js';
import { aggregateChain, idChain } from '../src/chains.js';
import { Seeded } from '../src/seeded.js';
import { sortedEntries } from '../src/topics/encodings-cbor.js';
import { cborForm, jwtForm } from '../src/wire/container.js';
import { coseProtectedMap, cwtClaimsMap, encodeLayer, transcode } from '../src/wire/layer.js';
import { rawMap } from '../src/wire/raw.js';

/** The generator's own encoders, written from the spec, give core's bytes for honest tokens: each checks the other. */
describe('the generator encodes as core does', () => {
  const cast = new Cast(new Seeded('wire-test'));
  const formats: LayerFormat[] = ['jwt', 'cbor', 'cbor', 'jwt'];
  it('layers and containers, ID and aggregate', async () => {
    const id = await idChain(cast, { roles: ['idp', 'gateway', 'foo', 'bar', 'baz'], formats, tag: 'w', rootClaims: { aud: ['a', 'b'], nbf: 1, data: { x: [1, { y: null }] } } as never });
    const anon = await aggregateChain(cast, { root: 'idp', rootFormat: 'cbor', hops: [{ format: 'jwt' }, { format: 'cbor', identified: 'gateway' }], tag: 'w', sealed: true });
    for (const t of [id.token, anon.token]) {
      for (const l of t.layers) {
        expect(encodeLayer(l.format, l.header, l.claims, l.signature).bytes).toEqual(l.bytes);
        expect(transcode(transcode(l)).bytes).toEqual(l.bytes);
        expect(transcode(l).format).not.toBe(l.format);
      }
      expect(jwtForm(t)).toBe(encodeToken(t, 'jwt'));
      expect(cborForm(t)).toEqual(encodeToken(t, 'cbor'));
    }
  });
  it('writes map entries in the order deterministic CBOR sorts them', () => {
    const m = coseProtectedMap({ alg: 'nst-r255', kid: cast.kid('idp'), prv: cast.kid('foo'), wit: 'a.b.c' });
    expect(rawMap(sortedEntries(m))).toEqual(encode(m));
    const c = cwtClaimsMap({ iss: 'i', sub: 's', aud: 'a', exp: 2, nbf: 1, iat: 1, jti: 'j', cnf: { jkt: cast.kid('bar') }, data: { z: 1, a: [2] } });
    expect(rawMap(sortedEntries(c))).toEqual(encode(c));
  });
  it('the seeded streams are reproducible and separate', () => {
    const a = new Seeded('s').random('x');
    const b = new Seeded('s').random('x');
    const c = new Seeded('s').random('y');
    expect(a(32)).toEqual(b(32));
    expect(a(48)).toEqual(b(48));
    expect(c(32)).not.toEqual(new Seeded('s').random('x')(32));
    expect(a.drawn).toHaveLength(2);
    expect(new Seeded('s').key('idp').publicKey.kid).toBe(new Seeded('s').key('idp').publicKey.kid);
    expect(new Seeded('t').key('idp').publicKey.kid).not.toBe(new Seeded('s').key('idp').publicKey.kid);
  });
});
