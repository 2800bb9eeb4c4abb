import { createPrivateKey, createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { MemoryIo, seedHex } from './memory-io.js';

describe('nestoken keygen', () => {
  it('writes a private Ed25519 JWK whose kid is its RFC 7638 thumbprint', async () => {
    const io = new MemoryIo();
    const jwk = JSON.parse(await io.ok(['keygen'])) as Record<string, string>;
    expect(Object.keys(jwk).sort()).toEqual(['crv', 'd', 'kid', 'kty', 'x']);
    expect(jwk.kid).toBe(await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: jwk.x! }, 'sha256'));
    // node:crypto derives the same public key from d: x really belongs to d.
    const pub = createPublicKey(createPrivateKey({ key: jwk, format: 'jwk' })).export({ format: 'jwk' });
    expect(pub.x).toBe(jwk.x);
  });

  it('is reproducible from --seed and different for another seed', async () => {
    const io = new MemoryIo();
    const a = await io.ok(['keygen', '--seed', seedHex(7)]);
    expect(await io.ok(['keygen', '--seed', seedHex(7)])).toBe(a);
    expect(await io.ok(['keygen', '--seed', seedHex(8)])).not.toBe(a);
    expect(JSON.parse(a).d).toBe(Buffer.from(seedHex(7), 'hex').toString('base64url'));
  });

  it('fresh keys differ', async () => {
    const io = new MemoryIo();
    expect(await io.ok(['keygen'])).not.toBe(await io.ok(['keygen']));
  });

  it('--out keeps the private key in the file and prints the public half with its sub', async () => {
    const io = new MemoryIo();
    const pub = JSON.parse(await io.ok(['keygen', '--sub', 'spiffe://example.org/x', '--seed', seedHex(1), '--out', 'x.jwk']));
    const priv = JSON.parse(io.text('x.jwk'));
    expect(pub).toEqual({ kty: 'OKP', crv: 'Ed25519', x: priv.x, kid: priv.kid, sub: 'spiffe://example.org/x' });
    expect(priv.d).toBeTypeOf('string');
  });

  it('--public derives the public JWK from a file or standard input', async () => {
    const io = new MemoryIo();
    await io.ok(['keygen', '--sub', 'spiffe://example.org/y', '--out', 'y.jwk'], 'y.pub');
    const fromFile = await io.ok(['keygen', '--public', '--in', 'y.jwk']);
    const fromStdin = await io.ok(['keygen', '--public'], undefined, io.text('y.jwk'));
    expect(fromFile).toBe(io.text('y.pub'));
    expect(fromStdin).toBe(fromFile);
    expect(JSON.parse(fromFile)).not.toHaveProperty('d');
  });

  it('--public refuses a key that is not a consistent private JWK (exit 1, code on stderr)', async () => {
    const io = new MemoryIo();
    await io.ok(['keygen', '--out', 'k.jwk'], 'k.pub');
    const publicOnly = await io.run(['keygen', '--public', '--in', 'k.pub']);
    expect(publicOnly.code).toBe(1);
    expect(publicOnly.stderr).toMatch(/^ERR_KEY_INVALID: /);
    const other = JSON.parse(await io.ok(['keygen']));
    const mismatched = { ...JSON.parse(io.text('k.jwk')), x: other.x };
    const r = await io.run(['keygen', '--public'], JSON.stringify(mismatched));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ERR_KEY_INVALID: JWK x does not match d/);
    expect((await io.run(['keygen', '--public'], 'not json')).stderr).toMatch(/^ERR_KEY_INVALID/);
  });

  it('--alg ES256 writes a private EC P-256 JWK with its RFC 7638 thumbprint, reproducible from --seed', async () => {
    const io = new MemoryIo();
    const jwk = JSON.parse(await io.ok(['keygen', '--alg', 'ES256', '--seed', seedHex(3)])) as Record<string, string>;
    expect(Object.keys(jwk)).toEqual(['kty', 'crv', 'x', 'y', 'kid', 'd']);
    expect(jwk.kid).toBe(await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! }, 'sha256'));
    const pub = createPublicKey(createPrivateKey({ key: jwk, format: 'jwk' })).export({ format: 'jwk' });
    expect([pub.x, pub.y]).toEqual([jwk.x, jwk.y]);
    expect(await io.ok(['keygen', '--alg', 'ES256', '--seed', seedHex(3)])).toBe(JSON.stringify(jwk, null, 2) + '\n');
    expect(JSON.parse(await io.ok(['keygen', '--alg', 'ES256'])).kty).toBe('EC');
    const derived = JSON.parse(await io.ok(['keygen', '--public'], undefined, JSON.stringify(jwk)));
    expect(derived).toEqual({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid: jwk.kid });
  });

  it('--alg ES256 --seed outside 1..n-1 is ERR_KEY_INVALID (exit 1)', async () => {
    const r = await new MemoryIo().run(['keygen', '--alg', 'ES256', '--seed', 'ff'.repeat(32)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ERR_KEY_INVALID: /);
  });

  it.each([
    [['keygen', '--alg', 'RS256']],
    [['keygen', '--alg', 'EdDSA']],
    [['keygen', '--public', '--alg', 'ES256']],
    [['keygen', '--seed', 'abc']],
    [['keygen', '--seed', 'zz'.repeat(32)]],
    [['keygen', '--public', '--seed', seedHex(1)]],
    [['keygen', '--in', 'x']],
    [['keygen', '--sub', '']],
    [['keygen', '--public']],
    [['keygen', 'extra']],
    [['keygen', '--out']],
  ])('usage error: %j exits 2', async (argv) => {
    const r = await new MemoryIo().run(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^nestoken keygen: .*\nusage: nestoken keygen /);
  });
});
