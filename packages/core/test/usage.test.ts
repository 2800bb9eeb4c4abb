import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeToken, extend, issue, NestokenError, verify, type Layer, type Token } from '../src/index.node.js';
import { NOW, idChain, keys, trust } from './fixtures.js';

const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'VALID',
    (e: unknown) => (e instanceof NestokenError ? e.code : `foreign ${String(e)}`),
  );
const messageOf = (p: Promise<unknown>): Promise<string> => p.then(() => '', (e: unknown) => (e as Error).message);

describe('options are checked before the token (spec §2.7, §7 step 0)', () => {
  it('an unknown option is refused, naming it and the near miss', async () => {
    const t = await idChain(['jwt']);
    const options = { trust, now: NOW, audiance: keys[1]!.publicKey } as never;
    expect(await codeOf(verify(t, options))).toBe('ERR_USAGE');
    expect(await messageOf(verify(t, options))).toMatch(/unknown option "audiance" \(did you mean "audience"\?\)/);
    expect(await messageOf(issue({ key: keys[0]!, audienceKey: keys[1]!, claims: { exp: NOW + 60 }, fromat: 'cbor' } as never))).toMatch(/did you mean "format"/);
  });

  it('a value of the wrong type is refused whole: modes as a string, an unknown verifier, a form in capitals', async () => {
    const t = await idChain(['jwt']);
    const base = { trust, now: NOW, audience: keys[1]!.publicKey };
    // 'hybrid'.includes('id') would accept an ID chain if a string slipped through.
    expect(await codeOf(verify(t, { ...base, modes: 'hybrid' as never }))).toBe('ERR_USAGE');
    expect(await codeOf(verify(t, { ...base, aggregateVerifier: 'fast' as never }))).toBe('ERR_USAGE');
    expect(() => encodeToken(t, 'JWT' as never)).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
    expect(await codeOf(extend(t, { key: keys[1]!, audienceKey: keys[2]!, format: 'CBOR' as never }))).toBe('ERR_USAGE');
    expect(await codeOf(verify(t, { ...base, limits: { maxLayer: 3 } as never }))).toBe('ERR_USAGE');
  });
});

describe('the audience is chosen explicitly (spec §7.8)', () => {
  it('without audience or audienceIdentity verify refuses to run unless allowAnyAudience is given', async () => {
    const t = await idChain(['jwt', 'jwt']);
    // The prefix addressed to hop 1 is what an audience-less verifier would accept.
    const prefix: Token = { layers: t.layers.slice(0, 1) };
    expect(await codeOf(verify(prefix, { trust, now: NOW }))).toBe('ERR_USAGE');
    expect(await codeOf(verify(prefix, { trust, now: NOW, allowAnyAudience: false }))).toBe('ERR_USAGE');
    expect(await codeOf(verify(prefix, { trust, now: NOW, allowAnyAudience: true }))).toBe('VALID');
    expect(await codeOf(verify(prefix, { trust, now: NOW, audience: keys[2]!.publicKey }))).toBe('ERR_AUDIENCE_MISMATCH');
    expect(await codeOf(verify(t, { trust, now: NOW, audience: keys[2]!.publicKey }))).toBe('VALID');
  });

  it('an identity given as audience is refused, pointing at audienceIdentity', async () => {
    const t = await idChain(['jwt']);
    const message = await messageOf(verify(t, { trust, now: NOW, audience: 'spiffe://example.org/bar' }));
    expect(message).toMatch(/not a key thumbprint.*audienceIdentity/);
  });
});

describe('times are seconds (spec §3.3, §7.6)', () => {
  it('now or a claim time above 10^11 is refused as milliseconds; 10^11 itself is accepted', async () => {
    const t = await idChain(['jwt']);
    expect(await messageOf(verify(t, { trust, now: Date.now(), allowAnyAudience: true }))).toMatch(/not milliseconds/);
    expect(await codeOf(verify(t, { trust, now: Date.now(), allowAnyAudience: true }))).toBe('ERR_USAGE');
    for (const claim of ['exp', 'nbf', 'iat'] as const) {
      const claims = { exp: NOW + 60, [claim]: (NOW + 60) * 1000 };
      expect(await codeOf(issue({ key: keys[0]!, audienceKey: keys[1]!, claims }))).toBe('ERR_CLAIMS_INVALID');
    }
    expect(await codeOf(issue({ key: keys[0]!, audienceKey: keys[1]!, claims: { exp: 100_000_000_000 } }))).toBe('VALID');
  });

  it('ERR_EXPIRED and ERR_NOT_YET_VALID name the times and the skew', async () => {
    const t = await idChain(['jwt']);
    const exp = t.layers[0]!.claims.exp!;
    expect(await messageOf(verify(t, { trust, now: exp + 100, allowAnyAudience: true }))).toContain(`exp ${exp}, now ${exp + 100}, clock skew 60 s`);
  });
});

describe('hooks answer in time, with a yes or a no (spec §7.7)', () => {
  it('a revocation hook that never settles fails closed after hookTimeoutMs; a non-boolean answer fails closed', async () => {
    const t = await idChain(['jwt']);
    const base = { trust, now: NOW, allowAnyAudience: true };
    const never = verify(t, { ...base, isRevoked: () => new Promise<boolean>(() => {}), hookTimeoutMs: 20 });
    await expect(never).rejects.toMatchObject({ code: 'ERR_REVOKED', layer: 0, cause: expect.objectContaining({ code: 'ERR_HOOK_FAILED' }) });
    for (const answer of [undefined, 0, 'false', null, {}]) {
      expect(await codeOf(verify(t, { ...base, isRevoked: (() => answer) as never }))).toBe('ERR_REVOKED');
    }
    expect(await codeOf(verify(t, { ...base, hookTimeoutMs: 0 }))).toBe('ERR_USAGE');
  });
});

/** A Token object whose reads are counted: which layers were looked at, and whether any was decoded from its fields. */
function countedToken(count: number, layerOf: (i: number) => Pick<Layer, 'format' | 'bytes'>) {
  const reads = { indexes: 0, fields: 0, decodedFields: 0 };
  const layers = new Proxy([] as unknown[], {
    get(target, key) {
      if (key === 'length') return count;
      if (typeof key === 'string' && /^\d+$/.test(key)) {
        reads.indexes++;
        const layer = layerOf(Number(key));
        return new Proxy(layer, {
          get(l, k) {
            if (k === 'format' || k === 'bytes') reads.fields++;
            else reads.decodedFields++;
            return Reflect.get(l, k);
          },
        });
      }
      return Reflect.get(target, key);
    },
  });
  return { token: { layers } as unknown as Token, reads };
}

describe('bounds before work on object input (spec §2.5, §7.1)', () => {
  it('64 layers sharing one 8 MiB array, or a million one-byte layers, fail from their lengths', async () => {
    const shared = new Uint8Array(8 * 1024 * 1024);
    const big = countedToken(64, () => ({ format: 'cbor', bytes: shared }));
    expect(await codeOf(verify(big.token, { trust, now: NOW, allowAnyAudience: true }))).toBe('ERR_INPUT_TOO_LARGE');
    expect(big.reads.indexes).toBe(1);
    const many = countedToken(1_000_000, () => ({ format: 'cbor', bytes: new Uint8Array(1) }));
    expect(await codeOf(verify(many.token, { trust, now: NOW, allowAnyAudience: true }))).toBe('ERR_INPUT_TOO_LARGE');
    expect(many.reads.indexes).toBe(0);
  });

  it('verify on a Token object gives the code of its encoded form and reads each layer at most once, never its decoded fields', async () => {
    const real = await idChain(['jwt', 'cbor', 'jwt']);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 512, max: 64 * 1024 }),
        async (count, layerBytes, maxLayers, maxTokenBytes) => {
          const layerOf = (i: number) => (i < real.layers.length && layerBytes === 0 ? real.layers[i]! : { format: 'cbor' as const, bytes: new Uint8Array(layerBytes) });
          const limits = { maxLayers, maxTokenBytes };
          const counted = countedToken(count, layerOf);
          const objectCode = await codeOf(verify(counted.token, { trust, now: NOW, allowAnyAudience: true, limits }));
          const plain: Token = { layers: Array.from({ length: count }, (_, i) => layerOf(i) as Layer) };
          const wireCode = await codeOf(verify(encodeToken(plain, 'cbor'), { trust, now: NOW, allowAnyAudience: true, limits }));
          expect(objectCode).toBe(wireCode);
          // Work: at most one read per layer, at most as many layers as the encoded size bound allows, no decoded field.
          expect(counted.reads.indexes).toBeLessThanOrEqual(Math.min(count, maxTokenBytes));
          expect(counted.reads.fields).toBeLessThanOrEqual(2 * counted.reads.indexes);
          expect(counted.reads.decodedFields).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });
});
