import type { ECParameters } from '@peculiar/asn1-ecc';
import type { AsnConvert } from '@peculiar/asn1-schema';
import type { BasicConstraints, Certificate, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName } from '@peculiar/asn1-x509';

/**
 * The ASN.1 schemas certificate parsing needs (@peculiar/asn1-x509 and friends), as a seam:
 * they are the largest thing core loads, and only a verifier that meets a certificate (an
 * X.509-SVID in a layer, roots in a trust bundle) needs them. Each entry registers how to get
 * them: the browser entry imports them with the rest of the bundle, the Node entry requires them
 * on first use, so a process that never parses a certificate never loads them.
 */
export interface Asn1Library {
  readonly AsnConvert: typeof AsnConvert;
  readonly Certificate: typeof Certificate;
  readonly BasicConstraints: typeof BasicConstraints;
  readonly ExtendedKeyUsage: typeof ExtendedKeyUsage;
  readonly KeyUsage: typeof KeyUsage;
  readonly SubjectAlternativeName: typeof SubjectAlternativeName;
  readonly ECParameters: typeof ECParameters;
}

let load: (() => Asn1Library) | undefined;
let loaded: Asn1Library | undefined;

/** Called by an entry (index.ts, index.node.ts); the first registration wins, as for the crypto backend. */
export function registerAsn1Library(make: () => Asn1Library): void {
  load ??= make;
}

/** The schemas, loaded on the first call. */
export function asn1(): Asn1Library {
  if (loaded) return loaded;
  if (!load) throw new Error('nestoken: no ASN.1 library registered (import @nestoken/core, not its files)');
  loaded = load();
  return loaded;
}
