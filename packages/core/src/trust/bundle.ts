import { equal } from '../bytes.js';
import { fail, NestokenError } from '../errors.js';
import { assertPublicKey, exportPublicJwk, type PublicKey } from '../keys.js';
import { checkAuthority, keyFingerprint, requiredMembers, type Authority, type AuthorityInit } from './authority.js';
import { assertInTrustDomain, checkTrustDomainName, trustDomainOf } from './scope.js';
import { certificateFacts } from './x509-certificate.js';

/** A key trusted to sign layers for one identity, in one trust domain. */
export interface TrustedSigner {
  readonly identity: string;
  readonly key: PublicKey;
  /** The trust domain of `identity` (spec §5.4). */
  readonly trustDomain: string;
}

/** A key trusted to sign layers for `identity`, as given to `createTrustBundle` (its trust domain is filled in and checked). */
export interface TrustedSignerInit {
  readonly identity: string;
  readonly key: PublicKey;
  /** When given, `identity` must lie in it; by default it is the identity's own trust domain. */
  readonly trustDomain?: string;
}

/** What a trust domain's SPIFFE bundle said beyond its JWT keys (spec §5.1). */
export interface TrustDomainInfo {
  readonly trustDomain: string;
  readonly sequence?: number;
  /** Seconds after which the bundle should be fetched again. */
  readonly refreshHint?: number;
  /** DER certificates of its `x509-svid` keys: the roots X.509-SVIDs of this domain chain to. */
  readonly x509Roots: readonly Uint8Array[];
}

/**
 * Everything a verifier trusts, as a map from trust domain to keys (spec §5.1): the direct
 * layer signers, the authorities of identity documents, and per domain what its SPIFFE
 * bundle said. Built only through `createTrustBundle` and the loaders, so every part has
 * passed its checks and nothing is listed twice with two meanings.
 */
export interface TrustBundle {
  /** Direct layer signers, by key thumbprint. */
  readonly signers: ReadonlyMap<string, TrustedSigner>;
  readonly authorities: readonly Authority[];
  readonly domains: ReadonlyMap<string, TrustDomainInfo>;
}

/** What `createTrustBundle` builds a bundle from: layer signers, WIT/JWT-SVID authorities and trust domain facts. */
export interface TrustBundleInit {
  readonly signers?: readonly TrustedSignerInit[];
  readonly authorities?: readonly (Authority | AuthorityInit)[];
  readonly domains?: readonly TrustDomainInfo[];
}

const built = new WeakSet<object>();

const conflict = (what: string): never => fail('ERR_TRUST_BUNDLE', `${what} is listed twice with different meanings`);

const MAX_ROOT_BYTES = 16 * 1024;

function inBundle<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof NestokenError && e.code !== 'ERR_TRUST_BUNDLE') fail('ERR_TRUST_BUNDLE', e.message);
    throw e;
  }
}

function checkSigner(s: TrustedSignerInit): TrustedSigner {
  if (typeof s !== 'object' || s === null || typeof s.identity !== 'string' || s.identity === '') fail('ERR_TRUST_BUNDLE', 'a trusted signer needs an identity');
  const key: PublicKey = inBundle(() => assertPublicKey(s.key));
  const own = trustDomainOf(s.identity);
  const trustDomain = s.trustDomain === undefined ? own : checkTrustDomainName(s.trustDomain, 'trustDomain');
  if (trustDomain === undefined) return assertInTrustDomain(s.identity, '', 'signer identity') as never;
  assertInTrustDomain(s.identity, trustDomain, 'signer identity');
  return Object.freeze({ identity: s.identity, key, trustDomain });
}

function checkDomain(d: TrustDomainInfo): TrustDomainInfo {
  if (typeof d !== 'object' || d === null) fail('ERR_TRUST_BUNDLE', 'a trust domain entry is an object');
  const trustDomain = checkTrustDomainName(d.trustDomain, 'trustDomain');
  for (const [name, v] of [['sequence', d.sequence], ['refreshHint', d.refreshHint]] as const) {
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) fail('ERR_TRUST_BUNDLE', `${name} is a whole number ≥ 0`);
  }
  if (!Array.isArray(d.x509Roots) || !d.x509Roots.every((r) => r instanceof Uint8Array && r.length <= MAX_ROOT_BYTES)) {
    fail('ERR_TRUST_BUNDLE', `x509Roots are DER certificates of at most ${MAX_ROOT_BYTES} bytes`);
  }
  const roots = d.x509Roots.map((r) => Uint8Array.from(r));
  // Roots are parsed when the bundle is built, so a broken one is a bundle error, not a surprise at verification.
  for (const r of roots) inBundle(() => certificateFacts(r));
  return Object.freeze({
    trustDomain,
    ...(d.sequence !== undefined ? { sequence: d.sequence } : {}),
    ...(d.refreshHint !== undefined ? { refreshHint: d.refreshHint } : {}),
    x509Roots: Object.freeze(roots),
  });
}

const sameAuthority = (a: Authority, b: Authority): boolean =>
  a.use === b.use && a.profile === b.profile && a.kid === b.kid && a.trustDomain === b.trustDomain && a.anyTrustDomain === b.anyTrustDomain && a.algs.join() === b.algs.join();

const sameDomain = (a: TrustDomainInfo, b: TrustDomainInfo): boolean =>
  a.sequence === b.sequence && a.refreshHint === b.refreshHint && a.x509Roots.length === b.x509Roots.length && a.x509Roots.every((r, i) => equal(r, b.x509Roots[i]!));

/**
 * Builds a trust bundle from parts; every part is checked where it enters (spec §3.5, §5.1).
 * A key, a `kid` or a trust domain given twice with the same meaning is kept once; with two
 * meanings (another identity, role, profile or scope) it is `ERR_TRUST_BUNDLE`: nothing is
 * silently replaced. A key is never both a layer signer and an authority.
 */
export function createTrustBundle(init: TrustBundleInit): TrustBundle {
  if (typeof init !== 'object' || init === null) fail('ERR_TRUST_BUNDLE', 'a trust bundle needs signers, authorities and/or domains');
  for (const part of ['signers', 'authorities', 'domains'] as const) {
    if (init[part] !== undefined && !Array.isArray(init[part])) fail('ERR_TRUST_BUNDLE', `${part} must be an array`);
  }
  const signers = new Map<string, TrustedSigner>();
  for (const s of init.signers ?? []) {
    const signer = checkSigner(s);
    const prev = signers.get(signer.key.kid);
    if (prev && (prev.identity !== signer.identity || prev.trustDomain !== signer.trustDomain)) conflict(`signer key ${signer.key.kid}`);
    signers.set(signer.key.kid, signer);
  }
  const signerKeys = new Set([...signers.values()].map((s) => keyFingerprint(requiredMembers(exportPublicJwk(s.key)))));
  const authorities: Authority[] = [];
  const byKey = new Map<string, Authority>();
  const byKid = new Map<string, string>();
  for (const init_ of init.authorities ?? []) {
    const a = checkAuthority(init_);
    const fp = keyFingerprint(requiredMembers(a.jwk));
    if (signerKeys.has(fp)) conflict('a key that is both a layer signer and an authority');
    const prev = byKey.get(fp);
    if (prev) {
      if (!sameAuthority(prev, a)) conflict(`authority key ${a.kid ?? ''}`.trim());
      continue;
    }
    if (a.kid !== undefined) {
      const scopeKey = `${a.trustDomain ?? '*'}\n${a.kid}`;
      if (byKid.has(scopeKey) && byKid.get(scopeKey) !== fp) conflict(`kid ${a.kid}`);
      byKid.set(scopeKey, fp);
    }
    byKey.set(fp, a);
    authorities.push(a);
  }
  const domains = new Map<string, TrustDomainInfo>();
  for (const d of init.domains ?? []) {
    const info = checkDomain(d);
    const prev = domains.get(info.trustDomain);
    if (prev && !sameDomain(prev, info)) conflict(`trust domain ${info.trustDomain}`);
    domains.set(info.trustDomain, info);
  }
  const bundle = Object.freeze({ signers, authorities: Object.freeze(authorities), domains });
  built.add(bundle);
  return bundle;
}

/** Whether `x` is a bundle made by `createTrustBundle` (or a loader or merge built on it), not merely an object of the same shape. */
export function isTrustBundle(x: unknown): x is TrustBundle {
  return typeof x === 'object' && x !== null && built.has(x);
}

/** Federation: the union of bundles, under the same rules as one (a conflict fails, nothing is replaced). */
export function mergeTrustBundles(...bundles: TrustBundle[]): TrustBundle {
  if (!bundles.every(isTrustBundle)) fail('ERR_USAGE', 'mergeTrustBundles takes trust bundles');
  return createTrustBundle({
    signers: bundles.flatMap((b) => [...b.signers.values()]),
    authorities: bundles.flatMap((b) => b.authorities),
    domains: bundles.flatMap((b) => [...b.domains.values()]),
  });
}

/** The X.509-SVID roots of one trust domain (DER), or none: a domain whose bundle lists none trusts no X.509-SVID. */
export function x509Roots(trust: TrustBundle, trustDomain: string): readonly Uint8Array[] {
  return trust.domains.get(trustDomain)?.x509Roots ?? [];
}

/** RFC 9278: the identity of a key that has no other name. */
export const thumbprintUri = (kid: string): string => `urn:ietf:params:oauth:jwk-thumbprint:sha-256:${kid}`;
