// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata polyfill.
import 'reflect-metadata';
import {
  BasicConstraintsExtension,
  Extension,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  X509CertificateGenerator,
} from '@peculiar/x509';
import { ed25519 } from '@noble/curves/ed25519.js';

/**
 * X.509-SVID chains for tests and vectors, minted with @peculiar/x509 over WebCrypto keys.
 *
 * Reproducibility: vectors use Ed25519 CAs only. Ed25519 signing is deterministic (RFC 8032),
 * so given the seed the certificates are the same bytes on every run; WebCrypto ECDSA signs
 * with fresh randomness, so ECDSA CAs (`p256CaKeys`) are for tests, never for vectors. Serial
 * numbers and validity are inputs, never the clock. This file imports nothing from core, so
 * core's tests can use it beside their own module graph.
 */

export interface CaKeys {
  readonly publicKey: CryptoKey;
  readonly privateKey: CryptoKey;
}

const b64u = (b: Uint8Array): string => btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** An Ed25519 key pair from a 32-byte seed. */
export async function ed25519CaKeys(seed: Uint8Array): Promise<CaKeys> {
  const x = b64u(ed25519.getPublicKey(seed));
  const privateKey = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x, d: b64u(seed) }, { name: 'Ed25519' }, true, ['sign']);
  const publicKey = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x }, { name: 'Ed25519' }, true, ['verify']);
  return { publicKey, privateKey };
}

/** A fresh P-256 CA (tests only: its signatures are randomised). */
export async function p256CaKeys(): Promise<CaKeys> {
  return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
}

/** A fresh RSA-2048 CA (tests only). */
export async function rsaCaKeys(): Promise<CaKeys> {
  return crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' }, true, ['sign', 'verify']);
}

/** A leaf's public key as WebCrypto wants it: 32 Ed25519 bytes, or an uncompressed P-256 (65 bytes) or P-384 (97 bytes) point. */
export async function leafPublicKey(raw: Uint8Array): Promise<CryptoKey> {
  const algorithm = raw.length === 32 ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: raw.length === 97 ? 'P-384' : 'P-256' };
  return crypto.subtle.importKey('raw', Uint8Array.from(raw), algorithm, true, ['verify']);
}

export const KEY_USAGE = { digitalSignature: 1, keyCertSign: 32, cRLSign: 64 } as const;

export interface CertificateInit {
  readonly subject: string;
  readonly serial: number;
  /** Seconds since the epoch. */
  readonly notBefore: number;
  readonly notAfter: number;
  /** Basic constraints; `undefined` leaves the extension out. */
  readonly ca?: boolean | undefined;
  readonly pathLength?: number;
  /** Key usage bits; `undefined` leaves the extension out. */
  readonly keyUsage?: number | undefined;
  readonly uris?: readonly string[];
  /** Extra DER extensions as [oid, critical, value]. */
  readonly extra?: ReadonlyArray<readonly [string, boolean, Uint8Array]>;
}

export interface Issuer {
  readonly subject: string;
  readonly keys: CaKeys;
}

function signingAlgorithm(key: CryptoKey): Algorithm | EcdsaParams | RsaHashedImportParams {
  if (key.algorithm.name === 'ECDSA') return { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams;
  if (key.algorithm.name === 'RSASSA-PKCS1-v1_5') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as RsaHashedImportParams;
  return { name: 'Ed25519' };
}

/** One certificate for `subjectKey`, signed by `issuer`. */
export async function mintCertificate(init: CertificateInit, subjectKey: CryptoKey, issuer: Issuer): Promise<Uint8Array> {
  const extensions: Extension[] = [];
  if (init.ca !== undefined) extensions.push(new BasicConstraintsExtension(init.ca, init.pathLength, true));
  if (init.keyUsage !== undefined) extensions.push(new KeyUsagesExtension(init.keyUsage, true));
  if (init.uris && init.uris.length > 0) extensions.push(new SubjectAlternativeNameExtension(init.uris.map((value) => ({ type: 'url' as const, value })), init.ca !== true));
  for (const [oid, critical, value] of init.extra ?? []) extensions.push(new Extension(oid, critical, Uint8Array.from(value)));
  const cert = await X509CertificateGenerator.create({
    serialNumber: init.serial.toString(16).padStart(2, '0'),
    subject: init.subject,
    issuer: issuer.subject,
    notBefore: new Date(init.notBefore * 1000),
    notAfter: new Date(init.notAfter * 1000),
    publicKey: subjectKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: signingAlgorithm(issuer.keys.privateKey),
    extensions,
  });
  return new Uint8Array(cert.rawData);
}

export interface SvidChainInit {
  readonly trustDomain: string;
  /** The leaf's public key, raw (Ed25519 32 bytes or P-256 65 bytes). */
  readonly leafKey: Uint8Array;
  /** The leaf's URI SANs; default: one, `spiffe://<trustDomain>/workload`. */
  readonly uris?: readonly string[];
  readonly root: CaKeys;
  /** Signing certificates between the root and the leaf, root side first. */
  readonly intermediates?: readonly CaKeys[];
  /** Validity of every certificate, seconds. */
  readonly notBefore: number;
  readonly notAfter: number;
  /** Per-certificate changes, to make the broken chains of negative tests. */
  readonly leaf?: Partial<CertificateInit>;
  readonly intermediate?: Partial<CertificateInit>;
  readonly rootCert?: Partial<CertificateInit>;
}

export interface SvidChain {
  /** The root certificate, for the trust bundle. */
  readonly root: Uint8Array;
  /** Leaf first, the root left out, as a workload presents it. */
  readonly chain: readonly Uint8Array[];
}

const CA_USAGE = KEY_USAGE.keyCertSign | KEY_USAGE.cRLSign;

const caInit = (trustDomain: string, subject: string, serial: number, notBefore: number, notAfter: number): CertificateInit => ({
  subject,
  serial,
  notBefore,
  notAfter,
  ca: true,
  keyUsage: CA_USAGE,
  uris: [`spiffe://${trustDomain}`],
});

const rootSubject = (trustDomain: string): string => `CN=root,O=${trustDomain}`;

/** A self-signed X.509-SVID root of `trustDomain`, as a SPIFFE bundle's x509-svid entry carries it. */
export async function mintRootCertificate(trustDomain: string, keys: CaKeys, notBefore: number, notAfter: number, over: Partial<CertificateInit> = {}): Promise<Uint8Array> {
  const subject = rootSubject(trustDomain);
  return mintCertificate({ ...caInit(trustDomain, subject, 1, notBefore, notAfter), ...over }, keys.publicKey, { subject, keys });
}

/** root -> intermediates -> leaf, each a conformant X.509-SVID unless an override says otherwise. */
export async function mintSvidChain(init: SvidChainInit): Promise<SvidChain> {
  const td = init.trustDomain;
  const validity = { notBefore: init.notBefore, notAfter: init.notAfter };
  const ca = (subject: string, serial: number): CertificateInit => caInit(td, subject, serial, init.notBefore, init.notAfter);
  const root = await mintRootCertificate(td, init.root, init.notBefore, init.notAfter, init.rootCert);
  let issuer: Issuer = { subject: rootSubject(td), keys: init.root };
  const signing: Uint8Array[] = [];
  for (const [i, keys] of (init.intermediates ?? []).entries()) {
    const subject = `CN=intermediate-${i + 1},O=${td}`;
    signing.unshift(await mintCertificate({ ...ca(subject, 10 + i), ...init.intermediate }, keys.publicKey, issuer));
    issuer = { subject, keys };
  }
  const leafInit: CertificateInit = { subject: `CN=workload,O=${td}`, serial: 100, ...validity, ca: false, keyUsage: KEY_USAGE.digitalSignature, uris: init.uris ?? [`spiffe://${td}/workload`] };
  const leaf = await mintCertificate({ ...leafInit, ...init.leaf }, await leafPublicKey(init.leafKey), issuer);
  return { root, chain: [leaf, ...signing] };
}
