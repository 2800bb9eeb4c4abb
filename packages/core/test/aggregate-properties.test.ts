import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NestokenError, seal, verify, type LayerFormat, type Token } from '../src/index.node.js';
import { codecs } from '../src/encoding/token.js';
import { ORDER, encodeScalar } from '../src/crypto/ristretto.js';
import { NOW, aggregateChain, counterRandom, expectedStructure, identity, keys, transcode, trust, wire } from './fixtures.js';

const format = fc.constantFrom<LayerFormat>('jwt', 'cbor');
const form = fc.constantFrom<'jwt' | 'cbor'>('jwt', 'cbor');
/** A chain shape: per-hop format and whether the hop is identified (hop 0 is always the issuer). */
const shape = (min: number, max: number) =>
  fc.array(fc.tuple(format, fc.boolean()), { minLength: min, maxLength: max }).map((hops) => ({
    formats: hops.map(([f]) => f),
    identified: hops.map(([, id], i) => i > 0 && id),
  }));

async function outcome(t: Token | string | Uint8Array): Promise<[string, string]> {
  const one = async (aggregateVerifier: 'msm' | 'sequential') => {
    try {
      await verify(t, { allowAnyAudience: true, trust, now: NOW, aggregateVerifier });
      return 'VALID';
    } catch (e) {
      if (!(e instanceof NestokenError)) throw e;
      return e.code;
    }
  };
  return [await one('msm'), await one('sequential')];
}

/** Both verifiers must agree, and give the expected answer. */
async function expectOutcome(t: Token | string | Uint8Array, expected: string): Promise<void> {
  const [msm, sequential] = await outcome(t);
  expect(msm).toBe(sequential);
  expect(msm).toBe(expected);
}

/** A changed layer changes its own challenge and, through its implied prv, the next one's: the aggregate fails (spec §7.5). */
const tamperCode = (_index: number, _length: number): string => 'ERR_SIGNATURE_INVALID';

describe('aggregate mode properties (spec §6, §9)', () => {
  it('chains of 1..64 hops, anonymous or hybrid, verify in both encodings; MSM and sequential agree', async () => {
    await fc.assert(
      fc.asyncProperty(shape(1, 64), form, async ({ formats, identified }, f) => {
        const t = await aggregateChain(formats, identified);
        const w = wire(t, f);
        const path = await verify(w, { allowAnyAudience: true, trust, now: NOW });
        const seq = await verify(w, { allowAnyAudience: true, trust, now: NOW, aggregateVerifier: 'sequential' });
        expect(seq).toEqual(path);
        expect(path.mode).toBe(identified.some(Boolean) ? 'hybrid' : 'anon');
        expect(path.hops.map((h) => h.identity)).toEqual(formats.map((_, i) => (i === 0 || identified[i] ? identity(i) : 'anonymous')));
      }),
      { numRuns: 25 },
    );
  });

  it('signature bytes are exactly 32(n+1): one R per hop and one scalar', async () => {
    await fc.assert(
      fc.asyncProperty(shape(1, 20), async ({ formats, identified }) => {
        const t = await aggregateChain(formats, identified);
        const signatureBytes = t.layers.reduce((n, l) => n + l.signature.length, 0) + t.proof!.length;
        expect(signatureBytes).toBe(32 * (formats.length + 1));
      }),
      { numRuns: 20 },
    );
  });

  it('truncation, reorder, duplication and splicing fail the same way in both verifiers', async () => {
    await fc.assert(
      fc.asyncProperty(
        shape(2, 24).chain((s) =>
          fc.tuple(fc.constant(s), fc.shuffledSubarray([...s.formats.keys()], { minLength: 1, maxLength: s.formats.length })),
        ),
        shape(2, 8),
        fc.constantFrom('drop-reorder', 'splice'),
        async ([s, picked], other, kind) => {
          const t = await aggregateChain(s.formats, s.identified, 'a');
          let layers = picked.map((i) => t.layers[i]!);
          if (kind === 'splice') {
            const u = await aggregateChain(other.formats, other.identified, 'b');
            layers = [...t.layers.slice(0, picked[0]! + 1), ...u.layers.slice(1)];
          }
          fc.pre(layers.length !== t.layers.length || layers.some((l, i) => l !== t.layers[i]));
          // The scalar belongs to the original last layer: an exact prefix fails the aggregate,
          // and so does a layer out of place, unless it is a root (which sends alg).
          const structure = expectedStructure(t.layers, layers);
          const [msm, sequential] = await outcome({ layers, proof: t.proof! });
          expect(msm).toBe(sequential);
          if ('code' in structure) expect(msm).toBe(structure.code === 'ERR_AUDIENCE_MISMATCH' ? 'ERR_SIGNATURE_INVALID' : structure.code);
          else expect(msm).toBe(layers.some((l, i) => i > 0 && l === t.layers[0]) ? 'ERR_CHAIN_LINK' : 'ERR_SIGNATURE_INVALID');
        },
      ),
      { numRuns: 40 },
    );
  });

  it('changing a claim, an R, or the scalar fails', async () => {
    await fc.assert(
      fc.asyncProperty(shape(1, 16).chain((s) => fc.tuple(fc.constant(s), fc.nat(s.formats.length - 1))), fc.constantFrom('claim', 'R', 's'), fc.nat(), async ([s, j], what, n) => {
        const t = await aggregateChain(s.formats, s.identified);
        if (what === 's') {
          const other = encodeScalar((BigInt(n) + 1n) % ORDER || 1n);
          fc.pre(other.some((b, i) => b !== t.proof![i]));
          await expectOutcome({ layers: t.layers, proof: other }, 'ERR_SIGNATURE_INVALID');
          return;
        }
        const layer = t.layers[j]!;
        const codec = codecs[layer.format];
        const changed =
          what === 'claim'
            ? codec.encode(layer.header, { ...layer.claims, jti: `changed-${n}` }, layer.signature)
            : codec.encode(layer.header, layer.claims, t.layers[(j + 1) % t.layers.length]!.signature);
        fc.pre(changed.signature.some((b, i) => b !== layer.signature[i]) || what === 'claim');
        const layers = t.layers.map((l, i) => (i === j ? changed : l));
        await expectOutcome({ layers, proof: t.proof! }, tamperCode(j, layers.length));
      }),
      { numRuns: 40 },
    );
  });

  it('an identified hop cannot be attributed to another key, nor made anonymous', async () => {
    await fc.assert(
      fc.asyncProperty(shape(2, 12).chain((s) => fc.tuple(fc.constant(s), fc.integer({ min: 1, max: s.formats.length - 1 }))), fc.integer({ min: 40, max: 69 }), fc.boolean(), async ([s, j], victim, strip) => {
        const identified = s.identified.map((v, i) => (i === j ? true : v));
        const t = await aggregateChain(s.formats, identified);
        const layer = t.layers[j]!;
        const { kid: _kid, ...anonymousHeader } = layer.header;
        const header = strip ? anonymousHeader : { ...layer.header, kid: keys[victim]!.publicKey.kid };
        const claims = strip ? { jti: layer.claims.jti! } : { ...layer.claims, iss: identity(victim) };
        const layers = t.layers.map((l, i) => (i === j ? codecs[l.format].encode(header, claims, l.signature) : l));
        await expectOutcome({ layers, proof: t.proof! }, tamperCode(j, layers.length));
      }),
      { numRuns: 30 },
    );
  });

  it('a hop that signs with its own key but names a victim key is rejected', async () => {
    const { extend, issue } = await import('../src/index.node.js');
    const random = counterRandom('rogue');
    const root = await issue({ mode: 'anon', key: keys[0]!, random, claims: { exp: NOW + 60 } });
    const honest = await extend(root, { key: keys[1]!, random, claims: {} });
    // Forge: sign with keys[2] but claim keys[3]'s identity by rewriting the header before signing.
    const forged = await extend(root, { key: keys[2]!, random, claims: {} });
    const layer = forged.layers[1]!;
    const rewritten = codecs[layer.format].encode({ ...layer.header, kid: keys[3]!.publicKey.kid }, layer.claims, layer.signature);
    await expectOutcome({ layers: [forged.layers[0]!, rewritten], proof: forged.proof! }, 'ERR_SIGNATURE_INVALID');
    await expectOutcome(honest, 'VALID');
  });

  it('re-encoding any layer is ERR_FORMAT_CHANGED at that layer; a sealed chain verifies and cannot be extended', async () => {
    await fc.assert(
      fc.asyncProperty(shape(1, 10).chain((s) => fc.tuple(fc.constant(s), fc.nat(s.formats.length - 1))), async ([{ formats, identified }, j]) => {
        const t = await aggregateChain(formats, identified);
        const layers = t.layers.map((l, i) => (i === j ? transcode(l, t.layers[i - 1]) : l));
        await expectOutcome({ layers, proof: t.proof! }, 'ERR_FORMAT_CHANGED');
        const sealedThenReencoded = seal(t, counterRandom('seal'));
        await expect(verify({ ...sealedThenReencoded, layers }, { allowAnyAudience: true, trust, now: NOW })).rejects.toMatchObject(j === t.layers.length - 1 ? { code: expect.any(String) } : { code: 'ERR_FORMAT_CHANGED', layer: j });
        const sealed = seal(t, counterRandom('seal'));
        await expectOutcome(sealed, 'VALID');
        expect((await verify(sealed, { allowAnyAudience: true, trust, now: NOW, requireSealed: true })).sealed).toBe(true);
        await expect(verify(t, { allowAnyAudience: true, trust, now: NOW, requireSealed: true })).rejects.toMatchObject({ code: 'ERR_NOT_SEALED' });
        // A seal belongs to its chain: moved onto a longer or shorter one it fails.
        if (t.layers.length > 1) await expectOutcome({ layers: t.layers.slice(0, -1), proof: sealed.proof! }, 'ERR_SIGNATURE_INVALID');
      }),
      { numRuns: 15 },
    );
  });

  it('non-canonical scalars and invalid points are rejected before any arithmetic', async () => {
    const t = await aggregateChain(['jwt', 'cbor'], [false, false]);
    const big = encodeScalar(0n);
    const l = ORDER;
    for (let i = 0; i < 32; i++) big[i] = Number((l >> BigInt(8 * i)) & 0xffn);
    await expectOutcome({ layers: t.layers, proof: big }, 'ERR_SCALAR_INVALID');
    await expectOutcome({ layers: t.layers, proof: new Uint8Array(32) }, 'ERR_SCALAR_INVALID');
    const last = t.layers[1]!;
    for (const bad of [new Uint8Array(32), new Uint8Array(32).fill(0xff)]) {
      const layer = codecs[last.format].encode(last.header, last.claims, bad);
      await expectOutcome({ layers: [t.layers[0]!, layer], proof: t.proof! }, 'ERR_POINT_INVALID');
    }
  });
});

describe('aggregate layers bind no audience (spec §3.3)', () => {
  it('a layer that names a cnf key is refused: any holder of the scalar could extend it', async () => {
    const t = await aggregateChain(['jwt', 'cbor'], [false, false]);
    const last = t.layers[1]!;
    const withCnf = codecs[last.format].encode(last.header, { ...last.claims, cnf: { jkt: keys[3]!.publicKey.kid } }, last.signature);
    await expectOutcome({ layers: [t.layers[0]!, withCnf], proof: t.proof! }, 'ERR_CLAIMS_INVALID');
  });
});
