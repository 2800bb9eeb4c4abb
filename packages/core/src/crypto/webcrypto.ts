import { createSHA256 } from 'hash-wasm';
import type { CryptoBackend } from './backend.js';
import { fail } from '../errors.js';
import { portableBackend } from './portable.js';

/**
 * Ed25519 (sign and verify) and ES256 (verify) through the platform's Web Crypto
 * (`crypto.subtle`); base64url through the platform's `Uint8Array.fromBase64` / `toBase64`
 * where it has them; SHA-256 through hash-wasm's WebAssembly once it has compiled; SHA-512
 * and ES256 signing through the portable backend (Web Crypto hashing is asynchronous, and the
 * seam's hashing is not: measured in Chromium, sixteen `subtle.digest` calls over layer-sized
 * inputs take no less time than noble's sixteen synchronous ones; Web Crypto's ECDSA
 * signatures are randomised, and spec §5.2 wants RFC 6979's deterministic ones).
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
/** The longest typed array V8 allocates in its own heap rather than with a backing store. */
const IN_HEAP_BYTES = 64;

/**
 * Importing a key costs about as much as a verify: keys seen again are reused, a bounded
 * number of them. A key already imported is handed out as it is, not as a promise, so that a
 * verify with a known key starts without waiting a turn.
 */
class KeyCache {
  private readonly byArray = new WeakMap<Uint8Array, Promise<CryptoKey>>();
  private readonly byValue = new Map<string, Promise<CryptoKey>>();
  private readonly imported = new WeakMap<Promise<CryptoKey>, CryptoKey>();
  constructor(private readonly capacity: number) {}
  get(raw: Uint8Array, make: () => Promise<CryptoKey>): CryptoKey | Promise<CryptoKey> {
    const known = this.byArray.get(raw);
    if (known) return this.imported.get(known) ?? known;
    const id = String.fromCharCode(...raw);
    let key = this.byValue.get(id);
    if (!key) {
      const pending = make();
      key = pending;
      if (this.byValue.size >= this.capacity) this.byValue.delete(this.byValue.keys().next().value as string);
      this.byValue.set(id, key);
      // A refused import is not cached: the next call retries (and falls back again).
      key.then(
        (imported) => this.imported.set(pending, imported),
        () => {
          this.byValue.delete(id);
          this.byArray.delete(raw);
        },
      );
    }
    this.byArray.set(raw, key);
    return key;
  }
}

/**
 * Web Crypto takes a BufferSource and copies it at the call; a view into a shared or
 * resizable buffer is refused, so such a view is copied first. Not one of up to 64 bytes (a
 * signature): V8 may keep it in its own heap, and reading its `buffer` would move it out (a
 * backing store per layer, which in Chromium costs more than the check saves); if Web Crypto
 * refuses one, the portable backend answers instead, with the same verdict.
 */
function plainView(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (bytes.length <= IN_HEAP_BYTES) return bytes as Uint8Array<ArrayBuffer>;
  const buffer = bytes.buffer as ArrayBuffer & { readonly resizable?: boolean };
  return buffer instanceof ArrayBuffer && buffer.resizable !== true ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
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
  const publicKey = (raw: Uint8Array) => publicKeys.get(raw, () => subtle.importKey('raw', raw.slice(), ED25519, false, ['verify']));
  const privateKey = (seed: Uint8Array) =>
    privateKeys.get(seed, () => subtle.importKey('pkcs8', concatBytes(PKCS8_PREFIX, seed), ED25519, false, ['sign']));
  const verifyWith = (algorithm: AlgorithmIdentifier | EcdsaParams, key: CryptoKey | Promise<CryptoKey>, message: Uint8Array, signature: Uint8Array): Promise<boolean> =>
    key instanceof Promise
      ? key.then((k) => subtle.verify(algorithm, k, plainView(signature), plainView(message)))
      : subtle.verify(algorithm, key, plainView(signature), plainView(message));
  return {
    async sign(seed: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
      return new Uint8Array(await subtle.sign(ED25519, await privateKey(seed), plainView(message)));
    },
    verify(key: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
      return verifyWith(ED25519, publicKey(key), message, signature);
    },
    /** ECDSA P-256 over SHA-256; Web Crypto takes r ‖ s as it is (IEEE P1363). */
    es256Verify(key: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
      return verifyWith(ES256, p256Keys.get(key, () => subtle.importKey('raw', key.slice(), P256, false, ['verify'])), message, signature);
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
 * Runs `platform` once `probe` has passed, `portable` if it failed or the platform refuses the
 * call (a key it will not import). Once the probe is answered no turn is spent on it: a chain
 * of n layers makes n of these calls.
 */
function guarded<T>(probe: () => boolean | Promise<boolean>, platform: () => Promise<T>, portable: () => T | Promise<T>): Promise<T> {
  const fallBack = (): Promise<T> => Promise.resolve().then(portable);
  const run = (passed: boolean): Promise<T> => {
    if (!passed) return fallBack();
    try {
      return platform().catch(portable);
    } catch {
      return fallBack();
    }
  };
  const passed = probe();
  return typeof passed === 'boolean' ? run(passed) : passed.then(run);
}

const ALPHABET = { alphabet: 'base64url' } as const;
const ENCODING = { alphabet: 'base64url', omitPadding: true } as const;

/**
 * The platform's base64url (`Uint8Array.fromBase64` / `setFromBase64` / `toBase64`, ES2026),
 * several times faster than JavaScript's in Chromium, when it has them and they give the known
 * answer; the caller has already checked that decoded text is canonical (bytes.ts). A JWS part
 * read as text goes through `atob` instead: it makes no byte array.
 */
function platformBase64url(): Pick<CryptoBackend, 'base64urlEncode' | 'base64urlDecode' | 'base64urlDecodeBinary'> | undefined {
  type Native = { fromBase64?: (text: string, options: typeof ALPHABET) => Uint8Array };
  type NativeView = Uint8Array & {
    toBase64?: (options: typeof ENCODING) => string;
    setFromBase64?: (text: string, options: typeof ALPHABET) => unknown;
  };
  const fromBase64 = (Uint8Array as unknown as Native).fromBase64;
  const proto = Uint8Array.prototype as NativeView;
  if (typeof fromBase64 !== 'function' || typeof proto.toBase64 !== 'function' || typeof proto.setFromBase64 !== 'function') return undefined;
  const ops = {
    base64urlEncode: (data: Uint8Array) => (data as NativeView).toBase64!(ENCODING),
    base64urlDecode: (text: string): Uint8Array => {
      const length = (text.length * 3) >> 2;
      if (length > IN_HEAP_BYTES) return fromBase64.call(Uint8Array, text, ALPHABET);
      // A signature, a key, a digest: decoded into an array V8 keeps in its own heap, where
      // fromBase64 would allocate a backing store (in Chromium more than the decoding costs).
      const out: NativeView = new Uint8Array(length);
      out.setFromBase64!(text, ALPHABET);
      return out;
    },
    // atob reads the standard alphabet; it makes no array, which in Chromium costs more than the decoding.
    base64urlDecodeBinary: (text: string) => atob(text.replaceAll('-', '+').replaceAll('_', '/')),
  };
  try {
    const probe = Uint8Array.from([0xfb, 0xff, 0xbf, 0x00]);
    const long = Uint8Array.from({ length: IN_HEAP_BYTES + 2 }, (_, i) => (i * 37) & 0xff);
    const known =
      ops.base64urlEncode(probe) === '-_-_AA' &&
      equal(ops.base64urlDecode('-_-_AA'), probe) &&
      equal(ops.base64urlDecode(portableBackend.base64urlEncode(long)), long) &&
      ops.base64urlDecodeBinary('-_-_AA') === '\xfb\xff\xbf\x00';
    return known ? ops : undefined;
  } catch {
    return undefined;
  }
}

/**
 * SHA-256 through hash-wasm's WebAssembly build once it has compiled and given noble's answer
 * on a few lengths, noble's until then, and for ever where the platform will not compile
 * WebAssembly (a Content-Security-Policy without 'wasm-unsafe-eval', a runtime that bars
 * generating code). Synchronous either way, as the seam's hashing is. Measured in Chromium:
 * four times noble's speed on layer-sized inputs (noble's cost there is mostly per call), and
 * the digests of every layer are 6-9% of a fresh 16-hop chain's verify time with noble.
 */
function platformSha256(): Pick<CryptoBackend, 'sha256'> {
  let sha256 = portableBackend.sha256;
  const answers = (candidate: (data: Uint8Array) => Uint8Array): boolean =>
    [0, 55, 56, 64, 300].every((length) => {
      const data = Uint8Array.from({ length }, (_, i) => (i * 7 + length) & 0xff);
      return equal(candidate(data), portableBackend.sha256(data));
    });
  try {
    createSHA256().then(
      (hasher) => {
        const portable = portableBackend.sha256;
        // Input hash-wasm will not take (a detached buffer) gets noble's own answer, not another error.
        const wasm = (data: Uint8Array): Uint8Array => {
          try {
            return hasher.init().update(data).digest('binary');
          } catch {
            return portable(data);
          }
        };
        if (answers(wasm)) sha256 = wasm;
      },
      () => undefined,
    );
  } catch {
    // No WebAssembly here at all: noble it stays.
  }
  return { sha256: (data) => sha256(data) };
}

/** A SubtleCrypto (or none): anything else is the caller's mistake, refused before a probe starts work that nobody awaits. */
function checkSubtle(subtle: unknown): void {
  if (subtle === undefined) return;
  let ok = false;
  try {
    const s = subtle as Record<string, unknown>;
    ok = typeof s.importKey === 'function' && typeof s.verify === 'function' && typeof s.sign === 'function';
  } catch {
    ok = false;
  }
  if (!ok) fail('ERR_USAGE', 'webCryptoBackend takes a SubtleCrypto (crypto.subtle)');
}

/**
 * A backend that verifies and signs Ed25519 with the given Web Crypto (default: the global
 * `crypto.subtle`) once it has passed the probe, and with the portable backend otherwise.
 * The browser entry of `@nestoken/core` makes this its default.
 */
export function webCryptoBackend(subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle): CryptoBackend {
  checkSubtle(subtle);
  const ops = subtle ? subtleOps(subtle) : undefined;
  const ed25519 = once(async () => (ops ? passesEd25519Probe(ops) : false));
  const es256 = once(async () => (ops ? passesEs256Probe(ops) : false));
  return {
    ...portableBackend,
    ...platformBase64url(),
    ...platformSha256(),
    name: 'webcrypto',
    ed25519Sign: (seed, message) =>
      guarded(ed25519, () => ops!.sign(seed, message), () => portableBackend.ed25519Sign(seed, message)),
    ed25519Verify: (key, message, signature) =>
      guarded(ed25519, () => ops!.verify(key, message, signature), () => portableBackend.ed25519Verify(key, message, signature)),
    es256Verify: (key, message, signature) =>
      guarded(es256, () => ops!.es256Verify(key, message, signature), () => portableBackend.es256Verify(key, message, signature)),
  };
}

/** Whether a backend from `webCryptoBackend` uses Web Crypto here (runs the probe once per call). */
export async function webCryptoEd25519Available(subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle): Promise<boolean> {
  checkSubtle(subtle);
  return subtle ? passesEd25519Probe(subtleOps(subtle)) : false;
}

/** Whether a backend from `webCryptoBackend` verifies ES256 with Web Crypto here (runs the probe once per call). */
export async function webCryptoEs256Available(subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle): Promise<boolean> {
  checkSubtle(subtle);
  return subtle ? passesEs256Probe(subtleOps(subtle)) : false;
}
