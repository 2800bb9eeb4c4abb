import { isNestokenError, signingKeyFromSeed, type KeyAlg, type SigningKey } from '@nestoken/core';
import { hex, sha256, concat, utf8 } from './bytes.js';

const DOMAIN = 'nestoken-vectors/v1';

/** 32 bytes that depend only on the seed and a label: keys and nonces never come from a clock or a CSPRNG. */
export function derive(seed: string, label: string, counter = 0): Uint8Array {
  return sha256(concat(utf8(DOMAIN), [0], utf8(seed), [0], utf8(label), [0], utf8(String(counter))));
}

/** A nonce source for core's `random` option that also remembers what it handed out, so vectors can list it. */
export interface RecordingRandom {
  (length: number): Uint8Array;
  readonly drawn: readonly string[];
}

export class Seeded {
  private readonly keys = new Map<string, SigningKey>();
  constructor(readonly seed: string) {}

  /** An ES256 key takes the first derived 32 bytes that are a valid scalar (1 ≤ d < n): counter 0 but with probability 2^-32. */
  key(label: string, alg: KeyAlg = 'Ed25519'): SigningKey {
    let k = this.keys.get(label);
    if (!k) {
      for (let counter = 0; !k; counter++) {
        try {
          k = signingKeyFromSeed(derive(this.seed, `key/${label}`, counter), alg);
        } catch (e) {
          if (!isNestokenError(e, 'ERR_KEY_INVALID') || counter > 8) throw e;
        }
      }
      this.keys.set(label, k);
    }
    if (k.publicKey.alg !== alg) throw new RangeError(`key ${label} is ${k.publicKey.alg}, not ${alg}`);
    return k;
  }

  /** A key made here earlier, found by its thumbprint. */
  byKid(kid: string): SigningKey | undefined {
    for (const k of this.keys.values()) if (k.publicKey.kid === kid) return k;
    return undefined;
  }

  /** Each label is its own stream, so adding a case never shifts the bytes of another. */
  random(label: string): RecordingRandom {
    let counter = 0;
    const drawn: string[] = [];
    const next = (length: number): Uint8Array => {
      const out = new Uint8Array(length);
      for (let o = 0; o < length; o += 32) out.set(derive(this.seed, `random/${label}`, counter++).subarray(0, length - o), o);
      drawn.push(hex(out));
      return out;
    };
    return Object.assign(next, { drawn });
  }
}
