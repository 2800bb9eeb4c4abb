import type { Certificate } from '@peculiar/asn1-x509';
import { p256, p384 } from '@noble/curves/nist.js';
import { sha384 } from '@noble/hashes/sha2.js';
import { b64u, equal, hex } from '../bytes.js';
import { cryptoBackend } from '../crypto/backend.js';
import { sha256 } from '../crypto/hash.js';
import { fail, NestokenError } from '../errors.js';
import { publicKeyFromBytes, type PublicKey } from '../keys.js';
import { checkEd25519Signature } from '../modes/id.js';
import { asn1 } from './asn1.js';

/**
 * One X.509 certificate (RFC 5280), parsed with @peculiar/asn1-x509 and reduced to the facts
 * path validation needs. Everything here is a property of the bytes alone; what depends on the
 * clock or on other certificates is x509-svid.ts's business (spec §5.6).
 */
export interface CertificateFacts {
  /** base64url SHA-256 of the DER: the certificate's name in the caches. */
  readonly id: string;
  readonly der: Uint8Array;
  /** The exact signed bytes. */
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly signature: Uint8Array;
  /** DER of the Name fields; a link needs child.issuer equal to parent.subject. */
  readonly subject: Uint8Array;
  readonly issuer: Uint8Array;
  /** Seconds since the epoch; the certificate is valid from notBefore through notAfter. */
  readonly notBefore: number;
  readonly notAfter: number;
  readonly key: CertificateKey;
  /** Basic constraints: absent means "not a CA". */
  readonly ca: boolean;
  readonly pathLength?: number;
  /** Key usage bits (digitalSignature = 1, keyCertSign = 32, cRLSign = 64); undefined when the extension is absent. */
  readonly keyUsage?: number;
  /** Every URI in the subject alternative names. */
  readonly uris: readonly string[];
}

/** The subject public key of a parsed certificate, by key type; only Ed25519 and P-256 keys can sign layers. */
export type CertificateKey =
  /** `publicKey`: checked once, when the certificate is parsed (§3.5 is a scalar multiplication, too slow to repeat per verification). */
  | { readonly kind: 'Ed25519'; readonly bytes: Uint8Array; readonly publicKey: PublicKey }
  | { readonly kind: 'P-256'; readonly point: Uint8Array; readonly publicKey: PublicKey }
  | { readonly kind: 'P-384'; readonly point: Uint8Array }
  | { readonly kind: 'RSA'; readonly spki: Uint8Array };

type SignatureAlgorithm = 'Ed25519' | 'ES256' | 'ES384' | 'RS256' | 'RS384' | 'RS512';

export const KEY_USAGE = { digitalSignature: 1, keyCertSign: 32, cRLSign: 64 } as const;

// Object identifiers as strings, so that the tables below need no ASN.1 library at load time.
const ID_ED25519 = '1.3.101.112';
const ID_RSA = '1.2.840.113549.1.1.1';
const ID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const ID_SECP256R1 = '1.2.840.10045.3.1.7';
const ID_SECP384R1 = '1.3.132.0.34';
const ID_ECDSA_SHA256 = '1.2.840.10045.4.3.2';
const ID_ECDSA_SHA384 = '1.2.840.10045.4.3.3';
/** id-ce (RFC 5280 §4.2.1): basic constraints, key usage, subject alternative name, extended key usage, subject and authority key identifiers. */
const ID_CE = { basicConstraints: '2.5.29.19', keyUsage: '2.5.29.15', subjectAltName: '2.5.29.17', extKeyUsage: '2.5.29.37', subjectKeyIdentifier: '2.5.29.14', authorityKeyIdentifier: '2.5.29.35' } as const;
/** The only signature algorithms a certificate may use: no SHA-1, no RSA below 2048 bits, no PSS parameters to misread. */
const SIGNATURE_ALGORITHMS = new Map<string, SignatureAlgorithm>([
  [ID_ED25519, 'Ed25519'],
  [ID_ECDSA_SHA256, 'ES256'],
  [ID_ECDSA_SHA384, 'ES384'],
  ['1.2.840.113549.1.1.11', 'RS256'],
  ['1.2.840.113549.1.1.12', 'RS384'],
  ['1.2.840.113549.1.1.13', 'RS512'],
]);
const KEY_FOR: Record<SignatureAlgorithm, CertificateKey['kind']> = { Ed25519: 'Ed25519', ES256: 'P-256', ES384: 'P-384', RS256: 'RSA', RS384: 'RSA', RS512: 'RSA' };
/** Extensions a verifier understands; any other marked critical makes the certificate unusable (RFC 5280 §4.2). */
const UNDERSTOOD = new Set<string>(Object.values(ID_CE));
const DER_NULL = '0500';

const bytes = (b: ArrayBuffer | ArrayBufferView): Uint8Array =>
  b instanceof Uint8Array ? b : ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b);

const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

/** Parsing is the slow part (about half a millisecond) and an SVID is presented for its whole life: facts are cached by digest. */
const CACHE_SIZE = 512;
const cache = new Map<string, CertificateFacts>();

/** The caller has bounded `der`'s size (Limits.maxCertificateBytes) before calling. */
export function certificateFacts(der: Uint8Array): CertificateFacts {
  const id = b64u(sha256(der));
  const hit = cache.get(id);
  if (hit) return hit;
  const facts = parseFacts(id, der);
  remember(cache, id, facts);
  return facts;
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= CACHE_SIZE) map.delete(map.keys().next().value!);
  map.set(key, value);
}

function parseFacts(id: string, der: Uint8Array): CertificateFacts {
  const { AsnConvert, Certificate } = asn1();
  let cert: Certificate;
  try {
    cert = AsnConvert.parse(der, Certificate);
  } catch {
    return fail('ERR_X509_INVALID', 'not a DER X.509 certificate');
  }
  // BER leniency would let two byte strings carry one certificate (and bytes outside the signature): DER only.
  if (!equal(bytes(AsnConvert.serialize(cert)), der)) fail('ERR_X509_INVALID', 'the certificate is not in DER');
  try {
    return facts(id, Uint8Array.from(der), cert);
  } catch (e) {
    if (e instanceof NestokenError) throw e;
    return fail('ERR_X509_INVALID', 'a certificate field does not parse');
  }
}

function facts(id: string, der: Uint8Array, cert: Certificate): CertificateFacts {
  const { AsnConvert, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName } = asn1();
  const tbs = cert.tbsCertificate;
  if (tbs.version !== 2) fail('ERR_X509_INVALID', 'only version 3 certificates are accepted');
  if (!cert.tbsCertificateRaw) fail('ERR_X509_INVALID', 'the signed part of the certificate is missing');
  const signatureAlgorithm = signatureAlgorithmOf(cert);
  const ext = new Map<string, { critical: boolean; value: ArrayBuffer }>();
  for (const e of tbs.extensions ?? []) {
    if (ext.has(e.extnID)) fail('ERR_X509_INVALID', `extension ${e.extnID} appears twice`);
    if (e.critical && !UNDERSTOOD.has(e.extnID)) fail('ERR_X509_INVALID', `unsupported critical extension ${e.extnID}`);
    ext.set(e.extnID, { critical: e.critical, value: e.extnValue.buffer });
  }
  const bc = ext.get(ID_CE.basicConstraints);
  const constraints = bc ? AsnConvert.parse(bc.value, BasicConstraints) : undefined;
  const ku = ext.get(ID_CE.keyUsage);
  const san = ext.get(ID_CE.subjectAltName);
  if (ext.has(ID_CE.extKeyUsage)) AsnConvert.parse(ext.get(ID_CE.extKeyUsage)!.value, ExtendedKeyUsage);
  const uris = san ? AsnConvert.parse(san.value, SubjectAlternativeName).flatMap((n) => (n.uniformResourceIdentifier === undefined ? [] : [n.uniformResourceIdentifier])) : [];
  const pathLength = constraints?.pathLenConstraint;
  return Object.freeze({
    id,
    der,
    tbs: Uint8Array.from(bytes(cert.tbsCertificateRaw)),
    signatureAlgorithm,
    signature: Uint8Array.from(bytes(cert.signatureValue)),
    subject: bytes(AsnConvert.serialize(tbs.subject)),
    issuer: bytes(AsnConvert.serialize(tbs.issuer)),
    notBefore: seconds(tbs.validity.notBefore.getTime()),
    notAfter: seconds(tbs.validity.notAfter.getTime()),
    key: keyOf(tbs.subjectPublicKeyInfo),
    ca: constraints?.cA === true,
    ...(pathLength !== undefined ? { pathLength } : {}),
    ...(ku ? { keyUsage: AsnConvert.parse(ku.value, KeyUsage).toNumber() } : {}),
    uris: Object.freeze(uris),
  });
}

function signatureAlgorithmOf(cert: Certificate): SignatureAlgorithm {
  const outer = cert.signatureAlgorithm;
  const inner = cert.tbsCertificate.signature;
  // asn1-schema reads NULL parameters as null and absent ones as undefined.
  const params = (p: ArrayBuffer | null | undefined) => (p === null ? DER_NULL : p === undefined ? '' : hex(bytes(p)));
  // RFC 5280 §4.1.1.2: the two copies must match, or a verifier could be told one algorithm and check another.
  if (outer.algorithm !== inner.algorithm || params(outer.parameters) !== params(inner.parameters)) {
    fail('ERR_X509_INVALID', 'the signature algorithm inside and outside the signed part differ');
  }
  const alg = SIGNATURE_ALGORITHMS.get(outer.algorithm);
  if (!alg) fail('ERR_X509_INVALID', `signature algorithm ${outer.algorithm} is not accepted`);
  const p = params(outer.parameters);
  // Ed25519 and ECDSA: parameters absent (RFC 8410, RFC 5758); RSA PKCS #1 v1.5: NULL (RFC 4055).
  if (alg.startsWith('RS') ? p !== DER_NULL : p !== '') fail('ERR_X509_INVALID', `malformed parameters for ${alg}`);
  return alg;
}

function keyOf(spki: Certificate['tbsCertificate']['subjectPublicKeyInfo']): CertificateKey {
  const oid = spki.algorithm.algorithm;
  const raw = Uint8Array.from(bytes(spki.subjectPublicKey));
  if (oid === ID_ED25519) {
    try {
      const publicKey = publicKeyFromBytes(raw);
      return { kind: 'Ed25519', bytes: publicKey.bytes, publicKey };
    } catch {
      return fail('ERR_X509_INVALID', 'the Ed25519 key of a certificate is not a valid public key');
    }
  }
  if (oid === ID_EC_PUBLIC_KEY) {
    const { AsnConvert, ECParameters } = asn1();
    const curve = spki.algorithm.parameters ? AsnConvert.parse(spki.algorithm.parameters, ECParameters).namedCurve : undefined;
    try {
      // P-256 keys can sign ES256 layers, so they become layer keys (§3.5: uncompressed, on the curve); P-384 keys only sign certificates.
      if (curve === ID_SECP256R1) {
        const publicKey = publicKeyFromBytes(raw, 'ES256');
        return { kind: 'P-256', point: publicKey.bytes, publicKey };
      }
      if (curve === ID_SECP384R1) {
        p384.Point.fromBytes(raw).assertValidity();
        return { kind: 'P-384', point: raw };
      }
    } catch {
      return fail('ERR_X509_INVALID', 'the EC key of a certificate is not a valid uncompressed point on its curve');
    }
    return fail('ERR_X509_INVALID', 'EC certificate keys must be on P-256 or P-384');
  }
  if (oid === ID_RSA) return { kind: 'RSA', spki: bytes(asn1().AsnConvert.serialize(spki)) };
  return fail('ERR_X509_INVALID', `certificate key algorithm ${oid} is not accepted`);
}

/**
 * A verified signature of one certificate on another is a fact about their bytes alone, so it is
 * remembered: a workload's SVID, verified once, costs a digest per certificate afterwards.
 */
const verifiedLinks = new Map<string, true>();

/** Whether `child` carries a valid signature by `issuer`'s key, in an algorithm that fits that key. */
export async function signedBy(child: CertificateFacts, issuer: CertificateFacts): Promise<boolean> {
  const link = `${child.id}<${issuer.id}`;
  if (verifiedLinks.has(link)) return true;
  const valid = await signatureValid(child, issuer.key);
  if (valid) remember(verifiedLinks, link, true);
  return valid;
}

async function signatureValid(child: CertificateFacts, issuerKey: CertificateKey): Promise<boolean> {
  const alg = child.signatureAlgorithm;
  if (KEY_FOR[alg] !== issuerKey.kind) return false;
  const sig = child.signature;
  try {
    if (issuerKey.kind === 'Ed25519') return checkEd25519Signature(sig) && (await cryptoBackend().ed25519Verify(issuerKey.bytes, child.tbs, sig));
    if (issuerKey.kind === 'P-256') return p256.verify(sig, sha256(child.tbs), issuerKey.point, { prehash: false, lowS: false, format: 'der' });
    if (issuerKey.kind === 'P-384') return p384.verify(sig, sha384(child.tbs), issuerKey.point, { prehash: false, lowS: false, format: 'der' });
    return issuerKey.kind === 'RSA' && (await rsaVerify(alg, issuerKey.spki, child.tbs, sig));
  } catch {
    return false;
  }
}

const RSA_MIN_BITS = 2048;

/** RSA is left to the platform's WebCrypto (browsers and Node alike): no RSA code of our own. */
async function rsaVerify(alg: SignatureAlgorithm, spki: Uint8Array, data: Uint8Array, sig: Uint8Array): Promise<boolean> {
  const hash = `SHA-${alg.slice(2)}`;
  const key = await crypto.subtle.importKey('spki', Uint8Array.from(spki), { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['verify']);
  if ((key.algorithm as RsaHashedKeyAlgorithm).modulusLength < RSA_MIN_BITS) return false;
  return crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, Uint8Array.from(sig), Uint8Array.from(data));
}
