import { isKeyAlg, keyAlgOfJwk } from '../crypto/algorithms.js';
import { fail, NestokenError } from '../errors.js';
import { fromB64Std } from '../bytes.js';
import { assertPublicKey, importPublicJwk, publicKeyFromBytes, type PublicKey } from '../keys.js';
import { parseSpiffeId } from './spiffe-id.js';
import { certificateFacts } from './x509-certificate.js';
import type { X509Roots } from './x509-svid.js';

/** A key trusted to sign layers for one identity. */
export interface TrustedSigner {
  readonly identity: string;
  readonly key: PublicKey;
}

/** A key trusted to sign identity documents (a SPIFFE JWT authority, a WIT issuer). */
export interface Authority {
  readonly kid?: string;
  readonly alg: 'Ed25519' | 'ES256';
  /** Ed25519: 32 bytes; ES256: 65-byte uncompressed P-256 point. */
  readonly publicKey: Uint8Array;
  /** When set, the authority vouches only for identities under this SPIFFE trust domain. */
  readonly trustDomain?: string;
}

/** The keys a verifier trusts: layer signers by thumbprint, and authorities that vouch for workload keys. */
export interface TrustBundle {
  /** Directly trusted layer signers, by key thumbprint. */
  readonly signers: ReadonlyMap<string, TrustedSigner>;
  readonly authorities: readonly Authority[];
  /** X.509-SVID roots (DER) by trust domain: they vouch for keys in a layer's `x5c` (spec §5.4). */
  readonly x509Roots: X509Roots;
}

/** What `createTrustBundle` builds a bundle from. */
export interface TrustBundleInit {
  readonly signers?: readonly TrustedSigner[];
  readonly authorities?: readonly Authority[];
  /** DER root certificates by SPIFFE trust domain (`example.org`). */
  readonly x509Roots?: Readonly<Record<string, readonly Uint8Array[]>> | X509Roots;
}

/** Keys are checked wherever they enter, including here: a caller-built key is no exception (spec §3.5). */
export function createTrustBundle(init: TrustBundleInit): TrustBundle {
  if (typeof init !== 'object' || init === null) fail('ERR_TRUST_BUNDLE', 'a trust bundle needs signers and/or authorities');
  const signers = new Map<string, TrustedSigner>();
  for (const s of init.signers ?? []) {
    if (typeof s?.identity !== 'string' || s.identity === '') fail('ERR_TRUST_BUNDLE', 'a trusted signer needs an identity');
    const key = inBundle(() => assertPublicKey(s.key));
    signers.set(key.kid, { identity: s.identity, key });
  }
  const authorities = (init.authorities ?? []).map((a) => inBundle(() => checkAuthority(a)));
  const x509Roots = inBundle(() => checkX509Roots(init.x509Roots));
  return Object.freeze({ signers, authorities: Object.freeze(authorities), x509Roots });
}

const MAX_ROOT_BYTES = 16 * 1024;

/** Roots are parsed when the bundle is built, so a broken one is a bundle error, not a surprise at verification. */
function checkX509Roots(init: TrustBundleInit['x509Roots']): X509Roots {
  const out = new Map<string, readonly Uint8Array[]>();
  if (init === undefined) return out;
  if (typeof init !== 'object' || init === null) fail('ERR_TRUST_BUNDLE', 'x509Roots maps trust domains to DER certificates');
  for (const [domain, ders] of init instanceof Map ? init : Object.entries(init)) {
    if (parseSpiffeId(`spiffe://${String(domain)}`).path !== '') fail('ERR_TRUST_BUNDLE', `${String(domain)} is not a trust domain`);
    if (!Array.isArray(ders) || !ders.every((d) => d instanceof Uint8Array && d.length <= MAX_ROOT_BYTES)) {
      fail('ERR_TRUST_BUNDLE', `the X.509 roots of ${String(domain)} are DER certificates of at most ${MAX_ROOT_BYTES} bytes`);
    }
    const copies = (ders as Uint8Array[]).map((d) => Uint8Array.from(d));
    copies.forEach(certificateFacts);
    out.set(domain as string, Object.freeze([...(out.get(domain as string) ?? []), ...copies]));
  }
  return out;
}

function inBundle<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof NestokenError && e.code !== 'ERR_TRUST_BUNDLE') fail('ERR_TRUST_BUNDLE', e.message);
    throw e;
  }
}

function checkAuthority(a: Authority): Authority {
  if (typeof a !== 'object' || a === null || !(a.publicKey instanceof Uint8Array)) fail('ERR_TRUST_BUNDLE', 'an authority needs a public key');
  if (!isKeyAlg(a.alg)) fail('ERR_TRUST_BUNDLE', 'authority keys must be Ed25519 or ES256');
  publicKeyFromBytes(a.publicKey, a.alg);
  return Object.freeze({ ...a, publicKey: Uint8Array.from(a.publicKey) });
}

export function isTrustBundle(x: unknown): x is TrustBundle {
  return typeof x === 'object' && x !== null && (x as TrustBundle).signers instanceof Map && Array.isArray((x as TrustBundle).authorities);
}

/** One bundle holding the signers and authorities of all; a key named twice must name one identity. */
export function mergeTrustBundles(...bundles: TrustBundle[]): TrustBundle {
  return createTrustBundle({
    signers: bundles.flatMap((b) => [...b.signers.values()]),
    authorities: bundles.flatMap((b) => b.authorities),
    x509Roots: mergeRoots(bundles.map((b) => b.x509Roots)),
  });
}

function mergeRoots(all: readonly X509Roots[]): Map<string, Uint8Array[]> {
  const out = new Map<string, Uint8Array[]>();
  for (const roots of all) for (const [domain, ders] of roots) out.set(domain, [...(out.get(domain) ?? []), ...ders]);
  return out;
}

/** RFC 9278: the identity of a key that has no other name. */
export const thumbprintUri = (kid: string): string => `urn:ietf:params:oauth:jwk-thumbprint:sha-256:${kid}`;

/** Options of `loadTrustBundle`. */
export interface LoadOptions {
  /** Scope the bundle's authorities to this SPIFFE trust domain (e.g. `example.org`). */
  readonly trustDomain?: string;
}

/**
 * Reads a JWKS (RFC 7517) or a SPIFFE trust bundle. Keys with `use: "jwt-svid"` are
 * authorities for identity documents (Ed25519 or P-256); any other Ed25519 or P-256 key is a trusted
 * signer whose identity is its `sub` member, else its `kid`, else its thumbprint URI. Keys of
 * other types and `use: "x509-svid"` keys are skipped (spec §5.1).
 */
export function loadTrustBundle(input: string | Uint8Array | object, options: LoadOptions = {}): TrustBundle {
  let doc: unknown = input;
  try {
    if (typeof input === 'string') doc = JSON.parse(input);
    else if (input instanceof Uint8Array) doc = JSON.parse(new TextDecoder().decode(input));
  } catch {
    fail('ERR_TRUST_BUNDLE', 'trust bundle is not JSON');
  }
  const keys = (doc as { keys?: unknown })?.keys;
  if (!Array.isArray(keys)) fail('ERR_TRUST_BUNDLE', 'trust bundle must be a JWKS: {"keys": [...]}');
  const signers: TrustedSigner[] = [];
  const authorities: Authority[] = [];
  const roots: Uint8Array[] = [];
  for (const [i, jwk] of keys.entries()) {
    if (typeof jwk !== 'object' || jwk === null) fail('ERR_TRUST_BUNDLE', `key ${i} is not an object`);
    const k = jwk as Record<string, unknown>;
    // SPIFFE X509-SVID §6.2: the first x5c value is the root; an entry without one is ignored. Roots need the bundle's trust domain.
    if (k.use === 'x509-svid') {
      const first: unknown = Array.isArray(k.x5c) ? k.x5c[0] : undefined;
      if (options.trustDomain !== undefined && typeof first === 'string') roots.push(inBundle(() => fromB64Std(first, `key ${i} x5c`)));
      continue;
    }
    // Real bundles also hold RSA or other keys we cannot use: skip those, fail on broken ones we can.
    if (!usable(k)) continue;
    try {
      if (k.use === 'jwt-svid') authorities.push(authorityFromJwk(k, options.trustDomain));
      else {
        const key = importPublicJwk(k);
        const identity = typeof k.sub === 'string' ? k.sub : typeof k.kid === 'string' ? k.kid : thumbprintUri(key.kid);
        signers.push({ identity, key });
      }
    } catch (e) {
      if (e instanceof NestokenError && e.code !== 'ERR_TRUST_BUNDLE') fail('ERR_TRUST_BUNDLE', `key ${i}: ${e.message}`);
      throw e;
    }
  }
  const x509Roots = options.trustDomain !== undefined && roots.length > 0 ? { [options.trustDomain]: roots } : {};
  return createTrustBundle({ signers, authorities, x509Roots });
}

const usable = (k: Record<string, unknown>): boolean => keyAlgOfJwk(k) !== undefined;

export function authorityFromJwk(k: Record<string, unknown>, trustDomain?: string): Authority {
  const kid = typeof k.kid === 'string' ? k.kid : undefined;
  const scope = trustDomain === undefined ? {} : { trustDomain };
  if (keyAlgOfJwk(k) === undefined) fail('ERR_TRUST_BUNDLE', 'authority keys must be Ed25519 or P-256');
  const key = importPublicJwk(k);
  return { ...(kid ? { kid } : {}), alg: key.alg, publicKey: key.bytes, ...scope };
}
