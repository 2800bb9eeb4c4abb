import { webcrypto } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { portableBackend, webCryptoBackend } from '../src/index.node.js';

/**
 * The Web Crypto backend's SHA-256: hash-wasm's once it has compiled and answered as noble
 * does, noble's before that and whenever hash-wasm is refused or answers otherwise. hash-wasm
 * is stood in for here, so that each of those cases is made to happen and seen.
 */
const mode = vi.hoisted(() => ({ current: 'real' as 'real' | 'wrong' | 'rejects' | 'throws', hashed: 0 }));

vi.mock('hash-wasm', async (importOriginal) => {
  const real = await importOriginal<typeof import('hash-wasm')>();
  return {
    ...real,
    createSHA256: () => {
      if (mode.current === 'throws') throw new Error('WebAssembly is not defined');
      if (mode.current === 'rejects') return Promise.reject(new Error('Wasm code generation disallowed by embedder'));
      return real.createSHA256().then((hasher) => {
        const digest = hasher.digest.bind(hasher) as (type: 'binary') => Uint8Array;
        return Object.assign(hasher, {
          digest: (type: 'binary') => {
            mode.hashed++;
            const out = digest(type);
            if (mode.current === 'wrong') out[0]! ^= 1;
            return out;
          },
        });
      });
    },
  };
});

const subtle = webcrypto.subtle as unknown as SubtleCrypto;
const inputs = Array.from({ length: 301 }, (_, length) => Uint8Array.from({ length }, (_, i) => (length * 131 + i * 197) & 0xff));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const noble = inputs.map((b) => hex(portableBackend.sha256(b)));
/** Until the stand-in has hashed: the probe runs in one go once the module is ready, so it is then over. */
const probed = (): Promise<void> => vi.waitFor(() => expect(mode.hashed).toBeGreaterThan(0), { timeout: 30_000, interval: 10 });
/** Refusals leave nothing to wait for: a few turns, time for a rejection to be reported as unhandled. */
const aWhile = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 100));

describe("the Web Crypto backend's SHA-256", () => {
  afterEach(() => {
    mode.current = 'real';
    mode.hashed = 0;
  });

  it('is hash-wasm once it has compiled, with the bytes of noble for every length to 300', async () => {
    const backend = webCryptoBackend(subtle);
    // Until the module is ready, noble answers: hashing never waits.
    expect(hex(backend.sha256(inputs[100]!))).toBe(noble[100]);
    await probed();
    const atProbe = mode.hashed;
    expect(inputs.map((b) => hex(backend.sha256(b)))).toEqual(noble);
    expect(mode.hashed - atProbe).toBe(inputs.length);
    // A view into a larger buffer hashes its own bytes only.
    const big = Uint8Array.from({ length: 400 }, (_, i) => i & 0xff);
    expect(hex(backend.sha256(big.subarray(50, 350)))).toBe(hex(portableBackend.sha256(big.slice(50, 350))));
  });

  it('stays noble when hash-wasm answers otherwise than noble on the probe', async () => {
    mode.current = 'wrong';
    const backend = webCryptoBackend(subtle);
    await probed();
    const atProbe = mode.hashed;
    expect(inputs.map((b) => hex(backend.sha256(b)))).toEqual(noble);
    expect(mode.hashed).toBe(atProbe);
  });

  it('stays noble, with no unhandled rejection, where WebAssembly is refused or missing', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      for (const refusal of ['rejects', 'throws'] as const) {
        mode.current = refusal;
        const backend = webCryptoBackend(subtle);
        await aWhile();
        expect(inputs.map((b) => hex(backend.sha256(b)))).toEqual(noble);
      }
      expect(mode.hashed).toBe(0);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
