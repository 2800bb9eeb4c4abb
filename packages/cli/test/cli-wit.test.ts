import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ed25519CaKeys, mintRootCertificate } from '@nestoken/vectors';
import { describe, expect, it } from 'vitest';
import { MemoryIo, seedHex } from './memory-io.js';
import { idChain, NOW as WORLD_NOW, world } from './world.js';

/** The published WIMSE example (draft-ietf-wimse-workload-creds), kept with its origin note in core's fixtures. */
const wimse = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'core', 'test', 'fixtures', 'wimse');
const fixture = (f: string): Uint8Array => readFileSync(join(wimse, f));
const NOW = 1745510000;

function exampleIo(): MemoryIo {
  const io = new MemoryIo();
  io.files.set('wit.txt', fixture('wit.txt'));
  const issuer = JSON.parse(new TextDecoder().decode(fixture('wit-issuer.public.jwk'))) as object;
  io.files.set('issuers.json', new TextEncoder().encode(JSON.stringify({ keys: [issuer] })));
  return io;
}

describe('nestoken wit', () => {
  it('verify prints the proven identity and the confirmed key of the WIMSE example', async () => {
    const io = exampleIo();
    const out = await io.ok(['wit', 'verify', '--bundle', 'issuers.json', '--plain-jwks', '--trust-domain', 'example.com', '--in', 'wit.txt', '--now', String(NOW)]);
    expect(out).toMatch(/^identity +wimse:\/\/example\.com\/specific-workload$/m);
    expect(out).toMatch(/^key +\S+ \(Ed25519\)$/m);
    const json = JSON.parse(await io.ok(['wit', 'verify', '--bundle', 'issuers.json', '--plain-jwks', '--in', 'wit.txt', '--now', String(NOW), '--json'])) as Record<string, unknown>;
    expect(json).toMatchObject({ identity: 'wimse://example.com/specific-workload', trustDomain: 'example.com', confirmation: { alg: 'Ed25519' } });
  });

  it('exits 1 with the code on a refused WIT and 2 on usage', async () => {
    const io = exampleIo();
    const late = await io.run(['wit', 'verify', '--bundle', 'issuers.json', '--plain-jwks', '--in', 'wit.txt', '--now', String(NOW + 9999)]);
    expect([late.code, late.stderr]).toEqual([1, expect.stringMatching(/^ERR_EXPIRED/)]);
    // Read as a SPIFFE bundle, a key without use is ignored: the domain has no WIT issuer.
    const spiffe = await io.run(['wit', 'verify', '--bundle', 'issuers.json', '--in', 'wit.txt', '--now', String(NOW)]);
    expect([spiffe.code, spiffe.stderr]).toEqual([1, expect.stringMatching(/^ERR_TRUST_DOMAIN/)]);
    const other = await io.run(['wit', 'verify', '--bundle', 'issuers.json', '--plain-jwks', '--trust-domain', 'example.org', '--in', 'wit.txt', '--now', String(NOW)]);
    expect([other.code, other.stderr]).toEqual([1, expect.stringMatching(/^ERR_TRUST_DOMAIN/)]);
    expect((await io.run(['wit', 'verify', '--in', 'wit.txt'])).code).toBe(2);
    expect((await io.run(['wit', 'frobnicate'])).code).toBe(2);
  });

  it('mint issues a conformant WIT and the issuer bundle (use wit-svid) that verifies it', async () => {
    const io = new MemoryIo();
    await io.ok(['keygen', '--seed', seedHex(1), '--out', 'authority.jwk']);
    await io.ok(['keygen', '--seed', seedHex(2), '--out', 'w.jwk'], 'w.pub');
    await io.ok(['wit', 'mint', '--authority', 'authority.jwk', '--sub', 'spiffe://example.org/w', '--key', 'w.pub', '--now', '1800000000', '--ttl', '600', '--out', 'w.wit', '--bundle-out', 'issuers.json']);
    const [header, claims] = io.text('w.wit').split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>);
    expect(header).toMatchObject({ alg: 'Ed25519', typ: 'wit+jwt' });
    expect(claims).toMatchObject({ sub: 'spiffe://example.org/w', cnf: { jwk: { alg: 'Ed25519', kty: 'OKP' } } });
    expect((JSON.parse(io.text('issuers.json')) as { keys: Array<{ use: string }> }).keys[0]!.use).toBe('wit-svid');
    const out = await io.ok(['wit', 'verify', '--bundle', 'issuers.json', '--plain-jwks', '--in', 'w.wit', '--now', '1800000100']);
    expect(out).toMatch(/^identity +spiffe:\/\/example\.org\/w$/m);
    expect((await io.run(['wit', 'mint', '--authority', 'authority.jwk', '--sub', 'https://x.example', '--key', 'w.pub'])).code).toBe(2);
  });

  it('verify takes SPIFFE bundles per trust domain (--spiffe-bundle TD=FILE) beside the signer files', async () => {
    const io = await world();
    await idChain(io, ['jwt', 'cbor']);
    // An x509-svid entry holds a real root certificate: a bundle's roots are parsed when it is read (spec §5.1).
    const root = await mintRootCertificate('example.org', await ed25519CaKeys(new Uint8Array(32).fill(7)), WORLD_NOW - 3600, WORLD_NOW + 3600);
    io.files.set('example.org.json', new TextEncoder().encode(JSON.stringify({ spiffe_sequence: 3, keys: [{ kty: 'EC', crv: 'P-256', use: 'x509-svid', x5c: [Buffer.from(root).toString('base64')] }] })));
    const out = await io.ok(['verify', '--any-audience', '--trust', 'trust.json', '--spiffe-bundle', 'example.org=example.org.json', '--in', 't1', '--now', String(WORLD_NOW)]);
    expect(out).toMatch(/spiffe:\/\/example\.org\/gateway/);
    expect((await io.run(['verify', '--any-audience', '--trust', 'trust.json', '--spiffe-bundle', 'example.org.json', '--in', 't1'])).code).toBe(2);
    expect((await io.run(['verify', '--any-audience', '--trust', 'trust.json', '--spiffe-bundle', 'example.org=example.org.json', '--spiffe-bundle', 'example.org=example.org.json', '--in', 't1'])).code).toBe(2);
    // A signer file scoped to a trust domain its keys are not in is a verdict.
    const scoped = await io.run(['verify', '--any-audience', '--trust', 'trust.json', '--trust-domain', 'example.org', '--in', 't1', '--now', String(WORLD_NOW)]);
    expect([scoped.code, scoped.stderr]).toEqual([1, expect.stringMatching(/^ERR_TRUST_DOMAIN/)]);
  });
});

