import { ed25519, ristretto255 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { createTrustBundle, documentDigest, exportPublicJwk, extend, issue, issueIdentityDocument, layerDigest, publicKeyFromBytes, seal, signingKeyFromSeed, verify } from '../src/index.node.js';
import { codecs } from '../src/encoding/token.js';
import { challenge, keyChallenge, signAggregateLayer } from '../src/modes/aggregate.js';
import { encodeScalar } from '../src/crypto/ristretto.js';
import { counterRandom } from './fixtures.js';

const RP = ristretto255.Point;
const NOW = 1_700_000_000;

/**
 * The attack found in review (spec §6.6.4): with one challenge for s_(i-1) + x_i, a certified
 * key X = x'G - S_n lets an observer append an identified hop to a chain, sealed or not,
 * without its scalar. With an independent key challenge the same forgery must fail.
 */
describe('rogue-key extension of an observed chain', () => {
  it('is rejected, sealed or not, however the rogue key is chosen', async () => {
    const root = signingKeyFromSeed(new Uint8Array(32).fill(1));
    const authority = signingKeyFromSeed(new Uint8Array(32).fill(9));
    const random = counterRandom('rogue-key');
    const trust = createTrustBundle({
      signers: [{ identity: 'spiffe://example.org/gateway', key: root.publicKey }],
      authorities: [{ use: 'wit-svid', jwk: exportPublicJwk(authority), trustDomain: 'example.org' }],
    });
    let t = await issue({ mode: 'anon', key: root, claims: { exp: NOW + 3600 }, random });
    t = await extend(t, { claims: { data: { hop: 1 } }, random });
    for (const observed of [t, seal(t, random)]) {
      // S_n from public data, as anyone can compute it.
      const X0 = new RP(ed25519.Point.fromBytes(root.publicKey.bytes));
      let S = RP.ZERO;
      observed.layers.forEach((l, i) => {
        const R = RP.fromBytes(l.signature);
        S = i === 0 ? R.add(X0.multiply(keyChallenge(l.signature, l.signingInput))) : R.add(S.multiply(challenge(l.signature, l.signingInput)));
      });
      for (const xPrime of [123456789n, 987654321n]) {
        const Xr = RP.BASE.multiply(xPrime).subtract(S);
        const rogue = publicKeyFromBytes(Xr.ep.clearCofactor().multiply(RP.Fn.inv(8n)).toBytes());
        const wit = await issueIdentityDocument({ authority, subject: 'spiffe://example.org/mallory', key: rogue, expiresAt: NOW + 9999 });
        const last = observed.layers[observed.layers.length - 1]!;
        const doc = documentDigest({ wit });
        const link = signAggregateLayer(codecs.jwt, { alg: 'nst-r255', kid: rogue.kid, prv: layerDigest(last.bytes), doc }, { data: { escalated: true } }, { own: xPrime }, random(32), 'nst-r255');
        const forged = { layers: [...observed.layers, link.layer], proof: encodeScalar(link.scalar), documents: new Map([[doc, { wit }]]) };
        for (const aggregateVerifier of ['msm', 'sequential'] as const) {
          await expect(verify(forged, { allowAnyAudience: true, trust, now: NOW, aggregateVerifier })).rejects.toMatchObject({ code: 'ERR_SIGNATURE_INVALID' });
        }
      }
    }
    // The honest hybrid hop by the same workload, holding the scalar, still verifies.
    const mallory = signingKeyFromSeed(new Uint8Array(32).fill(5));
    const wit = await issueIdentityDocument({ authority, subject: 'spiffe://example.org/mallory', key: mallory.publicKey, expiresAt: NOW + 9999 });
    const honest = await extend(t, { key: mallory, identityDocument: wit, random });
    expect((await verify(honest, { allowAnyAudience: true, trust, now: NOW })).hops.map((h) => h.identity)).toEqual([
      'spiffe://example.org/gateway',
      'anonymous',
      'spiffe://example.org/mallory',
    ]);
  });
});
