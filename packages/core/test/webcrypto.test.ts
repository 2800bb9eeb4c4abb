import { webcrypto } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createTrustBundle, encodeToken, extend, issue, NestokenError, nodeBackend, portableBackend, signingKeyFromSeed, useCryptoBackend, verify, webCryptoBackend } from '../src/index.node.js';

/**
 * The Web Crypto backend against Node's own Web Crypto (Ed25519 and ECDSA are there): the same
 * verdict as the portable backend on every signature, and the portable verdict whenever the
 * platform refuses to help (a key it will not import, a verify that rejects, a failed probe).
 */
const subtle = webcrypto.subtle as unknown as SubtleCrypto;
const NOW = 1_800_000_000;
const keys = Array.from({ length: 5 }, (_, i) => signingKeyFromSeed(new Uint8Array(32).fill(i + 1)));

/** A SubtleCrypto that behaves like the real one except where `refuse` says it throws. */
function flaky(refuse: { importKey?: (raw: Uint8Array) => boolean; verify?: boolean }): SubtleCrypto {
  return new Proxy(subtle, {
    get(target, name) {
      if (name === 'importKey')
        return (format: 'raw', data: Uint8Array, ...rest: unknown[]) =>
          refuse.importKey?.(data) ? Promise.reject(new DOMException('refused', 'DataError')) : (target.importKey as (...a: unknown[]) => unknown)(format, data, ...rest);
      if (name === 'verify' && refuse.verify) return () => Promise.reject(new DOMException('refused', 'OperationError'));
      const value = Reflect.get(target, name) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function chainOf(hops: number): Promise<string> {
  let token = await issue({ key: keys[0]!, audienceKey: keys[1]!.publicKey, claims: { iss: 'spiffe://example.org/hop-0', iat: NOW, exp: NOW + 600 } });
  for (let i = 1; i < hops; i++) token = await extend(token, { key: keys[i]!, audienceKey: keys[i + 1]!.publicKey, claims: { data: { hop: i } }, format: i % 2 ? 'cbor' : 'jwt' });
  return encodeToken(token, 'jwt');
}

const trust = createTrustBundle({ signers: keys.map((key, i) => ({ identity: `spiffe://example.org/hop-${i}`, key: key.publicKey })) });

describe('the Web Crypto backend', () => {
  afterAll(() => useCryptoBackend(nodeBackend));

  it('gives the portable verdict on honest, altered and foreign Ed25519 signatures', async () => {
    const backend = webCryptoBackend(subtle);
    const key = keys[0]!;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.nat({ max: 63 }), fc.integer({ min: 1, max: 255 }), fc.boolean(), async (message, at, flip, alter) => {
        const signature = portableBackend.ed25519Sign(key.seed, message) as Uint8Array;
        const checked = alter ? signature.map((b, i) => (i === at ? b ^ flip : b)) : signature;
        // S ≥ L is refused before any backend sees it (signatures.ts); only canonical ones reach here.
        if (alter && at >= 32) return;
        const expected = portableBackend.ed25519Verify(key.publicKey.bytes, message, checked);
        expect(await backend.ed25519Verify(key.publicKey.bytes, message, checked)).toBe(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('falls back to the portable verdict when a key is refused or a verify rejects, and retries a refused key', async () => {
    const key = keys[1]!;
    const message = new TextEncoder().encode('nestoken');
    const signature = portableBackend.ed25519Sign(key.seed, message) as Uint8Array;
    let refusals = 0;
    const refusing = webCryptoBackend(flaky({ importKey: (raw) => raw.length === 32 && raw[0] === key.publicKey.bytes[0] && ++refusals > 0 }));
    expect(await refusing.ed25519Verify(key.publicKey.bytes, message, signature)).toBe(true);
    expect(await refusing.ed25519Verify(key.publicKey.bytes, message, signature.map((b, i) => (i === 0 ? b ^ 1 : b)))).toBe(false);
    // Not remembered: every call asks the platform again.
    expect(refusals).toBeGreaterThanOrEqual(2);
    const rejecting = webCryptoBackend(flaky({ verify: true }));
    // The probe itself verifies through the platform: it fails, and the portable backend answers.
    expect(await rejecting.ed25519Verify(key.publicKey.bytes, message, signature)).toBe(true);
    expect(await rejecting.ed25519Verify(key.publicKey.bytes, message, new Uint8Array(64))).toBe(false);
  });

  it('gives the portable verdict on a signature or message in a shared or resizable buffer', async () => {
    const backend = webCryptoBackend(subtle);
    const key = keys[2]!;
    const message = new TextEncoder().encode('a message in a buffer Web Crypto may refuse');
    const signature = portableBackend.ed25519Sign(key.seed, message) as Uint8Array;
    const resizable = (n: number) => new (ArrayBuffer as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(n, { maxByteLength: 2 * n });
    const within = (bytes: Uint8Array, make: (n: number) => ArrayBufferLike): Uint8Array => {
      const view = new Uint8Array(make(bytes.length + 1), 1, bytes.length);
      view.set(bytes);
      return view;
    };
    for (const make of [(n: number) => new SharedArrayBuffer(n), resizable]) {
      for (const altered of [false, true]) {
        const checked = altered ? signature.map((b, i) => (i === 0 ? b ^ 1 : b)) : signature;
        expect(await backend.ed25519Verify(key.publicKey.bytes, within(message, make), within(checked, make))).toBe(!altered);
        expect(await backend.ed25519Verify(key.publicKey.bytes, message, within(checked, make))).toBe(!altered);
      }
    }
  });

  it('verifies a chain with the verdicts and codes of the Node backend, including after a verify has been refused', async () => {
    const wire = await chainOf(4);
    const options = { trust, now: NOW, audience: keys[4]!.publicKey };
    const tampered = wire.slice(0, -5) + (wire.at(-5) === 'A' ? 'B' : 'A') + wire.slice(-4);
    for (const backend of [webCryptoBackend(subtle), webCryptoBackend(flaky({ importKey: (raw) => raw[0] === keys[2]!.publicKey.bytes[0] }))]) {
      useCryptoBackend(backend);
      expect((await verify(wire, options)).hops).toHaveLength(4);
      const error = await verify(tampered, options).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(NestokenError);
      useCryptoBackend(nodeBackend);
      const nodeError = await verify(tampered, options).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect([(error as NestokenError).code, (error as NestokenError).layer]).toEqual([(nodeError as NestokenError).code, (nodeError as NestokenError).layer]);
    }
  });
});
