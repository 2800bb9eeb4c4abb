import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTrustBundle, isNestokenError, type ErrorCode } from '../src/index.node.js';
import { verifyX509SvidChain } from '../src/trust/x509-svid.js';

/** The SPIFFE project's own X.509-SVID examples (fixtures/go-spiffe/README.md says where from). */
const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'go-spiffe');
const pem = (name: string): Uint8Array[] =>
  [...readFileSync(join(dir, `${name}.pem`), 'utf8').matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g)].map((m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s/g, ''), 'base64')));

/** 2020-03-24T14:30:00Z: inside the lifetime of the good-leaf-and-intermediate chain. */
const IN_2020 = 1_585_060_200;
/** 2025-03-29T12:00:00Z: inside the lifetime of the RSA examples. */
const IN_2025 = 1_743_249_600;

const trustOf = (roots: Map<string, Uint8Array[]>) => createTrustBundle({ domains: [...roots].map(([trustDomain, x509Roots]) => ({ trustDomain, x509Roots })) });

async function codeOf(chain: Uint8Array[], now: number, roots = new Map<string, Uint8Array[]>()): Promise<ErrorCode | 'valid'> {
  try {
    await verifyX509SvidChain(chain, trustOf(roots), { now, clockSkew: 60 });
    return 'valid';
  } catch (e) {
    if (!isNestokenError(e)) throw e;
    return e.code;
  }
}

describe("go-spiffe's published X.509-SVIDs get go-spiffe's verdicts", () => {
  it('good-leaf-and-intermediate: the leaf verifies under its intermediate as the root, P-256 key, spiffe://example.org/workload-1', async () => {
    const [leaf, intermediate] = pem('good-leaf-and-intermediate');
    const proven = await verifyX509SvidChain([leaf!], trustOf(new Map([['example.org', [intermediate!]]])), { now: IN_2020, clockSkew: 60 });
    expect(proven).toMatchObject({ identity: 'spiffe://example.org/workload-1', trustDomain: 'example.org', leafKey: { kind: 'P-256' } });
    expect(await codeOf([leaf!, intermediate!], IN_2020)).toBe('ERR_KEY_UNTRUSTED');
    expect(await codeOf([leaf!], IN_2020 + 86_400, new Map([['example.org', [intermediate!]]]))).toBe('ERR_EXPIRED');
    expect(await codeOf([leaf!], IN_2020, new Map([['other.org', [intermediate!]]]))).toBe('ERR_KEY_UNTRUSTED');
  });

  it('good-leaf-only passes every profile check and stops at trust: its root is not published', async () => {
    expect(await codeOf(pem('good-leaf-only'), IN_2025)).toBe('ERR_KEY_UNTRUSTED');
  });

  it.each([
    ['wrong-leaf-ca-true', 'ERR_X509_SVID'],
    ['wrong-leaf-no-digital-signature', 'ERR_X509_SVID'],
    ['wrong-leaf-cert-sign', 'ERR_X509_SVID'],
    ['wrong-leaf-crl-sign', 'ERR_X509_SVID'],
    ['wrong-leaf-empty-id', 'ERR_X509_SVID'],
    ['wrong-intermediate-no-ca', 'ERR_X509_CHAIN'],
    ['wrong-intermediate-no-key-cert-sign', 'ERR_X509_CHAIN'],
  ] as const)('%s fails with %s', async (name, code) => {
    expect(await codeOf(pem(name), IN_2025)).toBe(code);
  });
});
