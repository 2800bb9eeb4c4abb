import { equal } from '../bytes.js';
import { checkX5c, decodeX5c, encodeX5c } from '../encoding/x5c.js';
import { resolveLimits, type Limits } from '../limits.js';
import { isTrustBundle, x509Roots, type TrustBundle } from './bundle.js';
import { fail } from '../errors.js';
import type { PublicKey } from '../keys.js';
import { assertInTrustDomain } from './scope.js';
import { parseSpiffeId } from './spiffe-id.js';
import { certificateFacts, KEY_USAGE, signedBy, type CertificateFacts, type CertificateKey } from './x509-certificate.js';

interface At {
  readonly now: number;
  readonly clockSkew: number;
}

/** Through notAfter inclusive (RFC 5280 §4.1.2.5), widened by the skew on both sides as every time check is (spec §7.6). */
function checkValidity(c: CertificateFacts, what: string, at: At): void {
  if (at.now > c.notAfter + at.clockSkew) fail('ERR_EXPIRED', `the ${what} certificate has expired`);
  if (at.now + at.clockSkew < c.notBefore) fail('ERR_NOT_YET_VALID', `the ${what} certificate is not yet valid`);
}

const has = (usage: number | undefined, bit: number): boolean => usage !== undefined && (usage & bit) !== 0;

/** SPIFFE X509-SVID §5.2: a leaf, for signing, naming exactly one SPIFFE ID with a path. */
function leafIdentity(leaf: CertificateFacts): { identity: string; trustDomain: string } {
  if (leaf.ca) fail('ERR_X509_SVID', 'the leaf certificate is a CA');
  if (!has(leaf.keyUsage, KEY_USAGE.digitalSignature)) fail('ERR_X509_SVID', 'the leaf certificate lacks the digitalSignature key usage');
  if (has(leaf.keyUsage, KEY_USAGE.keyCertSign) || has(leaf.keyUsage, KEY_USAGE.cRLSign)) fail('ERR_X509_SVID', 'the leaf certificate may sign certificates or CRLs');
  if (leaf.uris.length !== 1) fail('ERR_X509_SVID', `an X.509-SVID has exactly one URI SAN, this one has ${leaf.uris.length}`);
  const identity = leaf.uris[0]!;
  const id = parseSpiffeId(identity);
  if (id.path === '') fail('ERR_X509_SVID', 'the SPIFFE ID of a leaf names a workload, not only a trust domain');
  // The one scoping rule (spec §5.4) holds for certificates as for WITs: the ID lies in the domain whose roots are asked.
  assertInTrustDomain(identity, id.trustDomain, 'X.509-SVID identity');
  return { identity, trustDomain: id.trustDomain };
}

/** RFC 5280 §6.1 and SPIFFE X509-SVID §3.2 for one signing certificate, `below` CA certificates between it and the leaf. */
function checkIssuer(ca: CertificateFacts, below: number, what: string): void {
  if (!ca.ca) fail('ERR_X509_CHAIN', `the ${what} certificate is not a CA`);
  if (!has(ca.keyUsage, KEY_USAGE.keyCertSign)) fail('ERR_X509_CHAIN', `the ${what} certificate lacks the keyCertSign key usage`);
  if (ca.pathLength !== undefined && below > ca.pathLength) fail('ERR_X509_CHAIN', `the ${what} certificate allows ${ca.pathLength} intermediates below it, the chain has ${below}`);
  if (ca.uris.some((u) => u.startsWith('spiffe://') && parseSpiffeId(u).path !== '')) fail('ERR_X509_CHAIN', `the ${what} certificate names a workload, not a trust domain`);
}

async function checkLink(child: CertificateFacts, parent: CertificateFacts, what: string): Promise<void> {
  if (!equal(child.issuer, parent.subject)) fail('ERR_X509_CHAIN', `the ${what} certificate did not issue the one before it`);
  if (!(await signedBy(child, parent))) fail('ERR_X509_CHAIN', `the ${what} certificate's signature on the one before it does not verify`);
}

/** What a valid X.509-SVID chain proves: this SPIFFE ID holds this key, until then. */
export interface X509SvidIdentity {
  readonly identity: string;
  readonly trustDomain: string;
  readonly leafKey: CertificateKey;
  readonly expiresAt: number;
}

/**
 * Verifies an X.509-SVID chain, leaf first, DER (spec §5.6), in the order that fixes which code
 * it gets: the profile of every certificate (the leaf an X.509-SVID, each other a CA allowed to
 * sign at its depth), then the clock, then trust: the SPIFFE ID's trust domain selects the
 * roots, each link is signed by the next, and the last certificate is a root of that trust
 * domain or signed by one. The caller has bounded count and sizes (Limits.maxCertificates etc.).
 */
export async function verifyX509SvidChain(ders: readonly Uint8Array[], trust: TrustBundle, at: At): Promise<X509SvidIdentity> {
  const chain = ders.map(certificateFacts);
  const { identity, trustDomain } = leafIdentity(chain[0]!);
  for (let i = 1; i < chain.length; i++) checkIssuer(chain[i]!, i - 1, `chain[${i}]`);
  chain.forEach((c, i) => checkValidity(c, i === 0 ? 'leaf' : `chain[${i}]`, at));
  const anchors = x509Roots(trust, trustDomain).map(certificateFacts);
  if (anchors.length === 0) fail('ERR_KEY_UNTRUSTED', `the trust bundle has no X.509-SVID roots for ${trustDomain}`);
  for (let i = 1; i < chain.length; i++) await checkLink(chain[i - 1]!, chain[i]!, `chain[${i}]`);
  await anchor(chain, anchors, trustDomain, at);
  return { identity, trustDomain, leafKey: chain[0]!.key, expiresAt: Math.min(...chain.map((c) => c.notAfter)) };
}

/** Options of `verifyX509Svid`: the clock, its tolerance and the bounds checked before parsing. */
export interface X509SvidOptions {
  /** Seconds since the epoch; default: the clock. */
  readonly now?: number;
  /** Seconds of tolerance on every validity check; default 60. */
  readonly clockSkew?: number;
  /** `maxCertificates`, `maxCertificateBytes`, `maxCertificateChainBytes` apply. */
  readonly limits?: Partial<Limits>;
}

/**
 * Verifies an X.509-SVID (leaf first, DER) against a trust bundle's X.509 roots, outside any
 * token: the same checks a layer's `x5c` gets (spec §5.6), the same bounds first.
 */
export async function verifyX509Svid(chain: readonly Uint8Array[], trust: TrustBundle, options: X509SvidOptions = {}): Promise<X509SvidIdentity> {
  if (!Array.isArray(chain) || !chain.every((c) => c instanceof Uint8Array)) fail('ERR_USAGE', 'an X.509-SVID is an array of DER certificates, leaf first');
  if (!isTrustBundle(trust)) fail('ERR_USAGE', 'verifyX509Svid needs a trust bundle');
  const limits = resolveLimits(options.limits);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const clockSkew = options.clockSkew ?? 60;
  if (!Number.isSafeInteger(now) || !Number.isSafeInteger(clockSkew) || clockSkew < 0) fail('ERR_USAGE', 'now and clockSkew are whole seconds');
  const x5c = checkX5c(encodeX5c(chain), limits);
  return verifyX509SvidChain(decodeX5c(x5c), trust, { now, clockSkew });
}

/** A layer's `x5c`: the chain must prove a key that can sign this layer. */
export async function x509SvidSigner(x5c: readonly string[], trust: TrustBundle, at: At): Promise<{ identity: string; key: PublicKey; expiresAt: number }> {
  const proven = await verifyX509SvidChain(decodeX5c(x5c), trust, at);
  const key = proven.leafKey;
  // Which of the two a layer needs is checked with its alg (§7.4); a P-384 or RSA key signs no layer at all.
  if (key.kind !== 'Ed25519' && key.kind !== 'P-256') fail('ERR_ALG_NOT_ALLOWED', `the leaf key is ${key.kind}; layers are signed with Ed25519 or P-256 keys`);
  return { identity: proven.identity, key: key.publicKey, expiresAt: proven.expiresAt };
}

/** The chain ends at a root of the trust domain: the last certificate is one, or one signed it. */
async function anchor(chain: readonly CertificateFacts[], anchors: readonly CertificateFacts[], trustDomain: string, at: At): Promise<void> {
  const last = chain[chain.length - 1]!;
  if (chain.length > 1 && anchors.some((r) => equal(r.der, last.der))) return;
  for (const root of anchors) {
    if (!equal(last.issuer, root.subject) || !(await signedBy(last, root))) continue;
    checkValidity(root, 'root', at);
    checkIssuer(root, chain.length - 1, 'root');
    return;
  }
  fail('ERR_KEY_UNTRUSTED', `no X.509-SVID root of ${trustDomain} issued this chain`);
}
