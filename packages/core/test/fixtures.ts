import {
  createTrustBundle,
  encodeToken,
  extend,
  issue,
  signingKeyFromSeed,
  type KeyAlg,
  type LayerFormat,
  type SigningKey,
  type Token,
  type TokenForm,
} from '../src/index.node.js';
import { codecs } from '../src/encoding/token.js';
import type { Layer } from '../src/encoding/layer.js';

export const NOW = 1_800_000_000;

const seed = (i: number): Uint8Array => {
  const s = new Uint8Array(32);
  new DataView(s.buffer).setUint32(0, i + 1);
  s[31] = 0x5a;
  return s;
};

/** Keys 0..69: key 0 is the issuer, key i signs hop i. Deterministic so failures reproduce. */
export const keys: SigningKey[] = Array.from({ length: 70 }, (_, i) => signingKeyFromSeed(seed(i)));
/** The same workloads with P-256 keys (the seed is a valid scalar d): hop i may sign with either. */
export const ecKeys: SigningKey[] = Array.from({ length: 70 }, (_, i) => signingKeyFromSeed(seed(i), 'ES256'));
export const keyOf = (i: number, alg: KeyAlg = 'Ed25519'): SigningKey => (alg === 'ES256' ? ecKeys : keys)[i]!;
export const identity = (i: number): string => (i === 0 ? 'https://idp.example' : `spiffe://example.org/w${i}`);
export const trust = createTrustBundle({
  signers: [...keys, ...ecKeys].map((key, i) => ({ identity: identity(i % keys.length), key: key.publicKey })),
});

/** The key that receives the token after hop `hops - 1`; `algs[hops]` picks its type. */
export const receiverOf = (hops: number, algs: readonly KeyAlg[] = []): SigningKey => keyOf(hops, algs[hops]);

/** An ID-mode chain of `formats.length` layers: layer i signed by key i of type algs[i] (default Ed25519), handed to key i+1. */
export async function idChain(formats: readonly LayerFormat[], tag = 'a', algs: readonly KeyAlg[] = []): Promise<Token> {
  const k = (i: number) => keyOf(i, algs[i]);
  let t = await issue({ key: k(0), audienceKey: k(1).publicKey, format: formats[0]!, claims: { iss: identity(0), sub: 'alice', exp: NOW + 3600, jti: `${tag}-0` } });
  for (let i = 1; i < formats.length; i++) {
    t = await extend(t, { key: k(i), audienceKey: k(i + 1).publicKey, format: formats[i]!, claims: { iss: identity(i), jti: `${tag}-${i}`, data: { hop: i } } });
  }
  return t;
}

/** Deterministic nonces so that a failing case reproduces from its seed. */
export function counterRandom(label: string): (n: number) => Uint8Array {
  let i = 0;
  return (n) => {
    const out = new Uint8Array(n);
    const text = new TextEncoder().encode(`${label}:${i++}`);
    out.set(text.subarray(0, n));
    return out;
  };
}

/** An aggregate chain; `identified[i]` makes hop i (i >= 1) sign with keys[i] as well. */
export async function aggregateChain(formats: readonly LayerFormat[], identified: readonly boolean[], tag = 'a'): Promise<Token> {
  const random = counterRandom(tag);
  let t = await issue({ mode: 'anon', key: keys[0]!, format: formats[0]!, random, claims: { iss: identity(0), exp: NOW + 3600, jti: `${tag}-0` } });
  for (let i = 1; i < formats.length; i++) {
    const key = identified[i] ? keys[i]! : undefined;
    t = await extend(t, { ...(key ? { key } : {}), format: formats[i]!, random, claims: { jti: `${tag}-${i}`, ...(key ? { iss: identity(i) } : {}) } });
  }
  return t;
}

export const wire = (t: Token, form: TokenForm): string | Uint8Array => encodeToken(t, form);

/** The same layer in the other format with the same signature bytes: a silent re-encoding. `previous` decides which members it implies (spec §4.6). */
export function transcode(layer: Layer, previous?: Layer): Layer {
  return codecs[layer.format === 'jwt' ? 'cbor' : 'jwt'].encode(layer.header, layer.claims, layer.signature, previous?.header.alg);
}

/**
 * What a verifier must say of a list of layers taken from valid chains (spec §7.3): a first
 * layer that is not a root is truncation (a non-root sends neither its alg nor, in ID mode,
 * its kid); an exact prefix of the original is a valid chain for someone else. Otherwise some
 * layer is out of place, and since a layer implies alg, kid and prv from the one before it,
 * it fails at or after the first layer out of place, with one of `OUT_OF_PLACE_CODES`.
 */
export function expectedStructure(original: readonly Layer[], altered: readonly Layer[]): { readonly code: string } | { readonly from: number } {
  if (altered.length === 0 || altered[0] !== original[0]) return { code: 'ERR_CHAIN_TRUNCATED' };
  for (let i = 0; i < altered.length; i++) if (altered[i] !== original[i]) return { from: i };
  return { code: 'ERR_AUDIENCE_MISMATCH' };
}

/** The checks a layer out of place can fail first: a root inside the chain, or a signer or signature that does not fit its implied header. */
export const OUT_OF_PLACE_CODES: readonly string[] = ['ERR_CHAIN_LINK', 'ERR_SIGNATURE_INVALID', 'ERR_ISSUER_MISMATCH', 'ERR_ALG_KEY_MISMATCH', 'ERR_IDENTITY_DOCUMENT'];

/** Whether a failure matches `expectedStructure`. */
export function matchesStructure(error: { readonly code: string; readonly layer?: number | undefined }, expected: ReturnType<typeof expectedStructure>): boolean {
  if ('code' in expected) return error.code === expected.code;
  return OUT_OF_PLACE_CODES.includes(error.code) && (error.layer === undefined || error.layer >= expected.from);
}
