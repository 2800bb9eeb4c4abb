import { createRequire } from 'node:module';
import type { Asn1Library } from './asn1.js';

/**
 * The Node entry's loader: the @peculiar packages are CommonJS (their `main`), which Node's
 * `import` also loads, so `require` gives the very same module instances, synchronously, when
 * the first certificate is parsed (trust bundles with X.509 roots are built synchronously).
 */
export function requireAsn1(): Asn1Library {
  const require = createRequire(import.meta.url);
  const ecc = require('@peculiar/asn1-ecc') as typeof import('@peculiar/asn1-ecc');
  const schema = require('@peculiar/asn1-schema') as typeof import('@peculiar/asn1-schema');
  const x509 = require('@peculiar/asn1-x509') as typeof import('@peculiar/asn1-x509');
  return {
    AsnConvert: schema.AsnConvert,
    Certificate: x509.Certificate,
    BasicConstraints: x509.BasicConstraints,
    ExtendedKeyUsage: x509.ExtendedKeyUsage,
    KeyUsage: x509.KeyUsage,
    SubjectAlternativeName: x509.SubjectAlternativeName,
    ECParameters: ecc.ECParameters,
  };
}
