import { ECParameters } from '@peculiar/asn1-ecc';
import { AsnConvert } from '@peculiar/asn1-schema';
import { BasicConstraints, Certificate, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName } from '@peculiar/asn1-x509';
import type { Asn1Library } from './asn1.js';

/** The schemas imported with the module graph: the browser entry's choice, where a bundler wants every import static. */
export const staticAsn1: Asn1Library = { AsnConvert, Certificate, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName, ECParameters };
