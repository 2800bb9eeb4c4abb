import type { CryptoBackend } from './backend.js';
import { portableBackend } from './portable.js';

/**
 * Ed25519 (sign and verify) and ES256 (verify) through the platform's Web Crypto
 * (`crypto.subtle`); hashing, base64url and ES256 signing through the portable backend (Web
 * Crypto hashing is asynchronous, and the seam's hashing is not; Web Crypto's ECDSA signatures
 * are randomised, and spec §5.2 wants RFC 6979's deterministic ones).
 *
 * Not every runtime that has `crypto.subtle` has Ed25519 in it, and one that has it must check
 * the same equation as every other backend (spec §5.2: cofactorless, compared as encodings).
 * So the first operation of each algorithm runs a known-answer probe; until it has passed, and
 * for ever if it fails, the portable backend does the work. A key the platform refuses to
 * import is verified by the portable backend too: the verdict never depends on the runtime.
 */

// Deterministic probe data: seed 0x07 x 32, its public key, a message, the signature of the
// message, and a signature that holds under the cofactored equation only (its R carries a
// point of order 8), which a conforming backend rejects.
const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!, (b) => parseInt(b, 16));
const PROBE_SEED = new Uint8Array(32).fill(7);
const PROBE_KEY = hex('ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c');
const PROBE_MESSAGE = hex('6e6573746f6b656e207765622063727970746f2070726f6265');
const PROBE_SIGNATURE = hex(
  'e4227a9271fef5a08f4ac1748738dc996e3f63254355fcb7a1c6dbd9932c13146e09bf8b8744a599535038e6ee3cae0cbce945c7541876d168ffb2442a050304',
);
const PROBE_COFACTORED_ONLY = hex(
  '6a84d583f06569edb3f5ed77df65544b27d6948b4f0b2cb76f33dd8413b2071906b2e13a299a3363fc28efa1ff147e75542f4122f2c46565874ceecd3f34180f',
);
// P-256: d = 0x07 x 32, its uncompressed point, and the RFC 6979 low-S signature of the same message.
const PROBE_P256_KEY = hex(
  '041e18532fd4754c02f3041d9c75ceb33b83ffd81ac7ce4fe882ccb1c98bc5896ea46c311c4e2ff40dd96a3653e6e45445d32dfe486eced75c7a90c6a18881c0a3',
);
const PROBE_P256_SIGNATURE = hex(
  'a09bd553cee211a84ab953d61fa27998f9e552b4d7e7dd16cf203e66786c551f57304949f388044aa09e5c0a1fa519da372db7ed767996c0df4bc8dcf201f98f',
);
const PKCS8_PREFIX = hex('302e020100300506032b657004220420');
const ED25519 = { name: 'Ed25519' } as const;
const P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ES256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** Importing a key costs about as much as a verify: keys seen again are reused, a bounded number of them. */
class KeyCache {
  private readonly byArray = new WeakMap<Uint8Array, Promise<CryptoKey>>();
  private readonly byValue = new Map<string, Promise<CryptoKey>>();
  constructor(private readonly capacity: number) {}
  get(raw: Uint8Array, make: () => Promise<CryptoKey>): Promise<CryptoKey> {
    const known = this.byArray.get(raw);
    if (known) return known;
    const id = String.fromCharCode(...raw);
    let key = this.byValue.get(id);
    if (!key) {
      key = make();
      if (this.byValue.size >= this.capacity) this.byValue.delete(this.byValue.keys().next().value as string);
      this.byValue.set(id, key);
      // A refused import is not cached: the next call retries (and falls back again).
      key.catch(() => this.byValue.delete(id));
    }
    this.byArray.set(raw, key);
    return key;
  }
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

const equal = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** The Ed25519 and ES256 operations of one SubtleCrypto, without the probes. */
function subtleOps(subtle: SubtleCrypto) {
  const publicKeys = new KeyCache(4096);
  const p256Keys = new KeyCache(4096);
  const privateKeys = new KeyCache(256);
  // Copies: Web Crypto takes BufferSource, and a view into a shared or resizable buffer is refused.
  const publicKey = (raw: Uint8Array) => publicKeys.get(raw, () => subtle.importKey('raw', raw.slice(), ED25519, false, ['verify']));
  const privateKey = (seed: Uint8Array) =>
    privateKeys.get(seed, () => subtle.importKey('pkcs8', concatBytes(PKCS8_PREFIX, seed), ED25519, false, ['sign']));
  return {
    async sign(seed: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
      return new Uint8Array(await subtle.sign(ED25519, await privateKey(seed), message.slice()));
    },
    async verify(key: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
      return subtle.verify(ED25519, await publicKey(key), signature.slice(), message.slice());
    },
    /** ECDSA P-256 over SHA-256; Web Crypto takes r ‖ s as it is (IEEE P1363). */
    async es256Verify(key: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
      const imported = await p256Keys.get(key, () => subtle.importKey('raw', key.slice(), P256, false, ['verify']));
      return subtle.verify(ES256, imported, signature.slice(), message.slice());
    },
  };
}

type SubtleOps = ReturnType<typeof subtleOps>;

/** True when this SubtleCrypto signs and verifies Ed25519 exactly as spec §5.2 says. */
async function passesEd25519Probe(ops: SubtleOps): Promise<boolean> {
  try {
    const [signature, good, cofactoredOnly] = await Promise.all([
      ops.sign(PROBE_SEED, PROBE_MESSAGE),
      ops.verify(PROBE_KEY, PROBE_MESSAGE, PROBE_SIGNATURE),
      ops.verify(PROBE_KEY, PROBE_MESSAGE, PROBE_COFACTORED_ONLY),
    ]);
    return equal(signature, PROBE_SIGNATURE) && good && !cofactoredOnly;
  } catch {
    return false;
  }
}

/** True when this SubtleCrypto verifies ES256: a known signature holds, the same with one bit changed does not. */
async function passesEs256Probe(ops: SubtleOps): Promise<boolean> {
  try {
    const bad = PROBE_P256_SIGNATURE.slice();
    bad[63]! ^= 1;
    const [good, changed] = await Promise.all([ops.es256Verify(PROBE_P256_KEY, PROBE_MESSAGE, PROBE_P256_SIGNATURE), ops.es256Verify(PROBE_P256_KEY, PROBE_MESSAGE, bad)]);
    return good && !changed;
  } catch {
    return false;
  }
}

/** A probe run once, on first need; once answered, its verdict is read without another await. */
function once(probe: () => Promise<boolean>): () => boolean | Promise<boolean> {
  let pending: Promise<boolean> | undefined;
  let passed: boolean | undefined;
  return () => passed ?? (pending ??= probe().then((ok) => (passed = ok)));
}

/**
 * A backend that verifies and signs Ed25519 with the given Web Crypto (default: the global
 * `crypto.subtle`) once it has passed the probe, and with the portable backend otherwise.
 * The browser entry of `@nestoken/core` makes this its default.
 */
export function webCryptoBackend(subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle): CryptoBackend {
  const ops = subtle ? subtleOps(subtle) : undefined;
  const ed25519 = once(async () => (ops ? passesEd25519Probe(ops) : false));
  const es256 = once(async () => (ops ? passesEs256Probe(ops) : false));
  return {
    ...portableBackend,
    name: 'webcrypto',
    async ed25519Sign(seed, message) {
      if (!(await ed25519())) return portableBackend.ed25519Sign(seed, message);
      try {
        return await ops!.sign(seed, message);
      } catch {
        return portableBackend.ed25519Sign(seed, message);
      }
    },
    async ed25519Verify(key, message, signature) {
      if (!(await ed25519())) return portableBackend.ed25519Verify(key, message, signature);
      try {
        return await ops!.verify(key, message, signature);
      } catch {
        return portableBackend.ed25519Verify(key, message, signature);
      }
    },
    async es256Verify(key, message, signature) {
      if (!(await es256())) return portableBackend.es256Verify(key, message, signature);
      try {
        return await ops!.es256Verify(key, message, signature);
      } catch {
        return portableBackend.es256Verify(key, message, signature);
      }
    },
  };
}

/** Whether a backend from {@link webCryptoBackend} uses Web Crypto here (runs the probe once per call). */
export async function webCryptoEd25519Available(subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle): Promise<boolean> {
  return subtle ? passesEd25519Probe(subtleOps(subtle)) : false;
}

/** Whether a backend from {@link webCryptoBackend} verifies ES256 with Web Crypto here (runs the probe once per call). */
export async function webCryptoEs256Available(subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle): Promise<boolean> {
  return subtle ? passesEs256Probe(subtleOps(subtle)) : false;
}
