import { exportPublicJwk, generateSigningKey, importPrivateJwk, issueIdentityDocument, witIssuerJwks, type ProvenPath } from '@nestoken/core';
import { describe, expect, it } from 'vitest';
import { seedHex } from './memory-io.js';
import { idChain, NOW, world } from './world.js';

const FORMATS = [
  ['jwt', 'jwt', 'jwt', 'jwt'],
  ['cbor', 'cbor', 'cbor', 'cbor'],
  ['jwt', 'cbor', 'jwt', 'cbor'],
  ['cbor', 'jwt', 'jwt', 'cbor'],
] as const;

const path = (stdout: string): ProvenPath => JSON.parse(stdout) as ProvenPath;

describe('nestoken issue / extend / verify (ID mode)', () => {
  it.each(FORMATS)('a 4-hop chain in %s, %s, %s, %s verifies and proves every hop', async (...formats) => {
    const io = await world();
    const last = await idChain(io, formats);
    // Output form follows the last layer's format: CBOR form is base64url text starting "2nst".
    expect(io.text(last).startsWith('2nst')).toBe(formats[3] === 'cbor');
    const p = path(await io.ok(['verify', '--trust', 'trust.json', '--in', last, '--audience', 'c.pub', '--now', String(NOW + 10), '--json']));
    expect(p.mode).toBe('id');
    expect(p.hops.map((h) => h.identity)).toEqual(['https://idp.example', 'spiffe://example.org/gateway', 'spiffe://example.org/a', 'spiffe://example.org/b']);
    expect(p.hops.map((h) => h.format)).toEqual(formats);
    expect(p.hops[2]!.claims).toEqual({ jti: 'hop-2', data: { step: 2 } });
    expect(p.expiresAt).toBe(NOW + 600);

    const human = await io.ok(['verify', '--any-audience', '--trust', 'trust.json', '--in', last, '--now', String(NOW)]);
    expect(human).toMatch(/^valid id chain, 4 hops/);
    expect(human).toContain('#3  spiffe://example.org/b');
  });

  it('a chain mixing Ed25519 and ES256 keys made with keygen --alg ES256 issues, extends and verifies', async () => {
    const io = await world();
    // gw and b switch to P-256 keys; the bundle lists them like any other key.
    for (const [name, sub, seed] of [['gw', 'spiffe://example.org/gateway', 21], ['b', 'spiffe://example.org/b', 22]] as const) {
      await io.ok(['keygen', '--alg', 'ES256', '--sub', sub, '--seed', seedHex(seed), '--out', `${name}.jwk`], `${name}.pub`);
    }
    const keys = ['idp', 'gw', 'a', 'b', 'c'].map((n) => JSON.parse(io.text(`${n}.pub`)) as unknown);
    io.files.set('trust.json', new TextEncoder().encode(JSON.stringify({ keys })));
    const last = await idChain(io, ['cbor', 'jwt', 'cbor', 'jwt']);
    const p = path(await io.ok(['verify', '--trust', 'trust.json', '--in', last, '--audience', 'c.pub', '--now', String(NOW + 10), '--json']));
    expect(p.hops.map((h) => h.identity)).toEqual(['https://idp.example', 'spiffe://example.org/gateway', 'spiffe://example.org/a', 'spiffe://example.org/b']);
    const token = io.text(last);
    expect(token.split('~').map((part) => (part.includes('.') ? JSON.parse(Buffer.from(part.split('.')[0]!, 'base64url').toString()).alg : 'cbor'))).toEqual(['cbor', 'ES256', 'cbor', 'ES256']);
  });

  it('is deterministic: the same seeds, claims and times give the same bytes', async () => {
    const one = await world();
    const two = await world();
    const a = await idChain(one, ['jwt', 'cbor', 'jwt']);
    const b = await idChain(two, ['jwt', 'cbor', 'jwt']);
    expect(one.text(a)).toBe(two.text(b));
  });

  it('reads tokens from standard input, as text or raw CBOR (--binary)', async () => {
    const io = await world();
    await io.ok(['issue', '--key', 'idp.jwk', '--aud-key', 'gw.pub', '--ttl', '60', '--now', String(NOW), '--format', 'cbor', '--binary'], 'raw');
    const raw = io.files.get('raw')!;
    expect([...raw.subarray(0, 5)]).toEqual([0xda, 0x7b, 0x2d, 0x00, 0x02]);
    const extended = await io.ok(['extend', '--key', 'gw.jwk', '--aud-key', 'a.pub', '--format', 'jwt', '--form', 'cbor'], undefined, raw);
    expect(extended.startsWith('2nst')).toBe(true);
    const p = path(await io.ok(['verify', '--any-audience', '--trust', 'trust.json', '--json', '--now', String(NOW)], undefined, `\n  ${extended}\n\n`));
    expect(p.form).toBe('cbor');
    expect(p.hops.map((h) => h.format)).toEqual(['cbor', 'jwt']);
  });

  it('--ttl on extend narrows the lifetime and never widens it', async () => {
    const io = await world();
    await io.ok(['issue', '--key', 'idp.jwk', '--aud-key', 'gw.pub', '--ttl', '100', '--now', String(NOW)], 't0');
    await io.ok(['extend', '--in', 't0', '--key', 'gw.jwk', '--aud-key', 'a.pub', '--ttl', '10000', '--now', String(NOW + 5)], 't1');
    await io.ok(['extend', '--in', 't1', '--key', 'a.jwk', '--aud-key', 'b.pub', '--ttl', '20', '--now', String(NOW + 6)], 't2');
    const p = path(await io.ok(['verify', '--any-audience', '--trust', 'trust.json', '--in', 't2', '--json', '--now', String(NOW + 7)]));
    expect(p.hops.map((h) => [h.claims.iat, h.claims.exp])).toEqual([[NOW, NOW + 100], [NOW + 5, NOW + 100], [NOW + 6, NOW + 26]]);
    expect(p.expiresAt).toBe(NOW + 26);
    const late = await io.run(['verify', '--any-audience', '--trust', 'trust.json', '--in', 't2', '--now', String(NOW + 26 + 61)]);
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/^ERR_EXPIRED: /);
    expect(late.stdout).toBe('');
  });

  it('reads --claims from a file with @', async () => {
    const io = await world();
    io.files.set('claims.json', new TextEncoder().encode('{"sub":"bob","exp":1800000600}'));
    await io.ok(['issue', '--key', 'idp.jwk', '--aud-key', 'gw.pub', '--claims', '@claims.json'], 't0');
    const p = path(await io.ok(['verify', '--any-audience', '--trust', 'trust.json', '--in', 't0', '--json', '--now', String(NOW)]));
    expect(p.hops[0]!.claims).toEqual({ sub: 'bob', exp: NOW + 600 });
  });

  it('the verifier policy flags: audience key, audience identity, issuers, revocation', async () => {
    const io = await world();
    const last = await idChain(io, ['jwt', 'cbor', 'jwt']);
    const verify = (...extra: string[]) => io.run(['verify', '--any-audience', '--trust', 'trust.json', '--in', last, '--now', String(NOW), ...extra]);
    expect((await verify('--audience', 'b.pub')).code).toBe(0);
    expect((await verify('--audience', 'a.pub')).stderr).toMatch(/^ERR_AUDIENCE_MISMATCH: .*\(layer 2\)\n$/);
    expect((await verify('--aud', 'spiffe://example.org/b')).stderr).toMatch(/^ERR_AUDIENCE_MISMATCH/);
    expect((await verify('--issuer', 'https://idp.example')).code).toBe(0);
    expect((await verify('--issuer', 'https://other.example')).stderr).toMatch(/^ERR_KEY_UNTRUSTED/);
    expect((await verify('--deny', 'hop-1')).stderr).toMatch(/^ERR_REVOKED: .*\(layer 1\)/);
    const digest = path((await verify('--json')).stdout).hops[2]!.digest;
    expect((await verify('--deny', 'unrelated', '--deny', digest)).stderr).toMatch(/^ERR_REVOKED: .*\(layer 2\)/);
    expect((await verify('--skew', 'x')).code).toBe(2);
  });

  it('refuses to extend with a key the last layer did not name (exit 1)', async () => {
    const io = await world();
    await idChain(io, ['jwt']);
    const r = await io.run(['extend', '--in', 't0', '--key', 'a.jwk', '--aud-key', 'b.pub']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ERR_KEY_BINDING: /);
  });

  it('a signer outside the trust bundle is refused; merged bundles (--trust twice) accept it', async () => {
    const io = await world();
    await io.ok(['keygen', '--sub', 'spiffe://other.org/x', '--out', 'x.jwk'], 'x.pub');
    await io.ok(['issue', '--key', 'x.jwk', '--aud-key', 'a.pub', '--ttl', '60', '--now', String(NOW)], 't0');
    expect((await io.run(['verify', '--any-audience', '--trust', 'trust.json', '--in', 't0', '--now', String(NOW)])).stderr).toMatch(/^ERR_KEY_UNTRUSTED: .*\(layer 0\)/);
    io.files.set('other.json', new TextEncoder().encode(JSON.stringify({ keys: [JSON.parse(io.text('x.pub'))] })));
    const p = path(await io.ok(['verify', '--any-audience', '--trust', 'trust.json', '--trust', 'other.json', '--in', 't0', '--now', String(NOW), '--json']));
    expect(p.issuer).toBe('spiffe://other.org/x');
  });

  it('a hop proves its identity with --wit, a WIT signed by an issuer of its trust domain', async () => {
    const io = await world();
    const authority = generateSigningKey(new Uint8Array(32).fill(9));
    const workload = importPrivateJwk(JSON.parse((await io.ok(['keygen', '--seed', '11'.repeat(32)]))));
    io.files.set('w.jwk', new TextEncoder().encode(JSON.stringify({ ...exportPublicJwk(workload), d: Buffer.from(workload.seed).toString('base64url') })));
    const wit = await issueIdentityDocument({ authority, subject: 'spiffe://example.org/w', key: workload.publicKey, expiresAt: NOW + 3600 });
    io.files.set('w.wit', new TextEncoder().encode(`${wit}\n`));
    io.files.set('issuers.json', new TextEncoder().encode(JSON.stringify(witIssuerJwks(authority))));
    // An issuer key is never a layer signer: put in the signer file, it fails the file.
    const mixed = JSON.parse(io.text('trust.json')) as { keys: unknown[] };
    mixed.keys.push(...witIssuerJwks(authority).keys);
    io.files.set('mixed.json', new TextEncoder().encode(JSON.stringify(mixed)));
    expect((await io.run(['verify', '--any-audience', '--trust', 'mixed.json', '--in', 't0', '--now', String(NOW)])).stderr).toMatch(/^ERR_TRUST_BUNDLE: .*cannot sign layers/);
    await io.ok(['issue', '--key', 'idp.jwk', '--aud-key', 'w.jwk', '--ttl', '60', '--now', String(NOW)], 't0');
    await io.ok(['extend', '--in', 't0', '--key', 'w.jwk', '--aud-key', 'a.pub', '--wit', 'w.wit', '--format', 'cbor'], 't1');
    const p = path(await io.ok(['verify', '--any-audience', '--trust', 'trust.json', '--wit-issuers', 'example.org=issuers.json', '--in', 't1', '--now', String(NOW), '--json']));
    // Taken for another trust domain, the same issuers vouch for nobody here.
    expect((await io.run(['verify', '--any-audience', '--trust', 'trust.json', '--wit-issuers', 'example.com=issuers.json', '--in', 't1', '--now', String(NOW)])).stderr).toMatch(/^ERR_TRUST_DOMAIN: .*\(layer 1\)/);
    expect(p.hops[1]).toMatchObject({ identity: 'spiffe://example.org/w', via: 'identity-document' });
    // Without an issuer for its trust domain, the same hop is nobody.
    expect((await io.run(['verify', '--any-audience', '--trust', 'trust.json', '--in', 't1', '--now', String(NOW)])).stderr).toMatch(/^ERR_TRUST_DOMAIN: .*\(layer 1\)/);
    expect((await io.run(['extend', '--in', 't1', '--key', 'a.jwk', '--aud-key', 'b.pub', '--wit', 'missing.wit'])).code).toBe(2);
  });

  it('invalid claims are a verdict on the input (exit 1); unreadable ones a usage error (exit 2)', async () => {
    const io = await world();
    const issue = (claims: string) => io.run(['issue', '--key', 'idp.jwk', '--aud-key', 'gw.pub', '--claims', claims]);
    expect((await issue('{"nst_role":"admin","exp":1800000600}')).stderr).toMatch(/^ERR_CLAIMS_INVALID: claim names starting with nst_ are reserved/);
    expect((await issue('{"exp":-1}')).stderr).toMatch(/^ERR_CLAIMS_INVALID/);
    expect((await issue('{"exp":1.5}')).stderr).toMatch(/^ERR_CLAIMS_INVALID/);
    expect((await issue('{"sub":"alice"}')).stderr).toMatch(/^nestoken issue: a root layer needs an expiry: give --ttl/);
    expect((await issue('{"cnf":{"jkt":"x"}}')).code).toBe(2);
    expect((await issue('{"sub":')).code).toBe(2);
    expect((await issue('[1]')).code).toBe(2);
    expect((await issue('@nowhere.json')).code).toBe(2);
    expect((await io.run(['issue', '--key', 'idp.jwk', '--aud-key', 'gw.pub', '--ttl', '5', '--claims', '{"exp":1}'])).code).toBe(2);
  });

  it.each([
    [['issue', '--aud-key', 'gw.pub'], /--key is required/],
    [['issue', '--key', 'idp.jwk'], /--aud-key .* is required/],
    [['issue', '--key', 'idp.jwk', '--aud-key', 'gw.pub', '--format', 'xml'], /--format must be one of jwt, cbor/],
    [['issue', '--key', 'idp.jwk', '--aud-key', 'gw.pub', '--mode', 'x'], /--mode must be one of id, anon, hybrid/],
    [['issue', '--key', 'idp.jwk', '--aud-key', 'gw.pub', '--binary', '--form', 'jwt'], /--binary/],
    [['issue', '--key', 'idp.jwk', '--aud-key', 'gw.pub', '--ttl', '-5'], /--ttl/],
    [['issue', '--key', 'idp.jwk', '--aud-key', 'gw.pub', '--now', '5'], /--now only/],
    [['issue', '--key', 'idp.jwk', '--mode', 'anon', '--aud-key', 'gw.pub'], /--aud-key binds an ID-mode chain/],
    [['issue', '--key', 'nope.jwk', '--aud-key', 'gw.pub'], /cannot read nope.jwk/],
    [['extend', '--key', 'gw.jwk', '--aud-key', 'a.pub'], /no token/],
    [['verify', '--any-audience', '--in', 't0'], /--trust is required/],
    [['verify', '--any-audience', '--trust', 'trust.json', '--now', 'soon'], /--now must be a whole number/],
    [['verify', '--any-audience', '--trust', 'trust.json', '--frobnicate'], /unknown option --frobnicate/],
    [['inspect', 'positional'], /unexpected argument positional/],
  ])('usage error %j exits 2 and names the problem', async (argv, message) => {
    const io = await world();
    await idChain(io, ['jwt']);
    const r = await io.run(argv);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(`usage: nestoken ${argv[0]} `);
  });

  it('a broken trust bundle is a verdict (exit 1, ERR_TRUST_BUNDLE)', async () => {
    const io = await world();
    await idChain(io, ['jwt']);
    io.files.set('bad.json', new TextEncoder().encode('{"keys": 3}'));
    expect((await io.run(['verify', '--any-audience', '--trust', 'bad.json', '--in', 't0'])).stderr).toMatch(/^ERR_TRUST_BUNDLE/);
  });
});

describe('nestoken with anonymous and hybrid chains', () => {
  it.each(['jwt', 'cbor'] as const)('issue --mode anon, anonymous and identified hops, seal, verify (%s)', async (format) => {
    const io = await world();
    await io.ok(['issue', '--key', 'idp.jwk', '--mode', 'anon', '--format', format, '--claims', '{"sub":"alice"}', '--ttl', '600', '--now', String(NOW)], 't0');
    await io.ok(['extend', '--in', 't0', '--claims', '{"data":1}'], 't1');
    await io.ok(['extend', '--in', 't1', '--mode', 'anon', '--format', 'jwt', '--form', format], 't2');
    const anon = path(await io.ok(['verify', '--any-audience', '--trust', 'trust.json', '--in', 't2', '--json', '--now', String(NOW)]));
    expect(anon).toMatchObject({ mode: 'anon', sealed: false });
    expect(anon.hops.map((h) => h.identity)).toEqual(['https://idp.example', 'anonymous', 'anonymous']);

    await io.ok(['extend', '--in', 't2', '--key', 'b.jwk', '--seal'], 't3');
    const hybrid = path(await io.ok(['verify', '--any-audience', '--trust', 'trust.json', '--in', 't3', '--json', '--now', String(NOW), '--require-sealed']));
    expect(hybrid).toMatchObject({ mode: 'hybrid', sealed: true });
    expect(hybrid.hops[3]).toMatchObject({ identity: 'spiffe://example.org/b', via: 'trust-bundle' });
    expect(await io.ok(['verify', '--any-audience', '--trust', 'trust.json', '--in', 't3', '--now', String(NOW)])).toMatch(/^valid hybrid chain, 4 hops, .*, sealed\n/);

    const sealedAgain = await io.run(['extend', '--in', 't3']);
    expect(sealedAgain.stderr).toMatch(/^ERR_SEALED/);
    expect((await io.run(['verify', '--any-audience', '--trust', 'trust.json', '--in', 't2', '--now', String(NOW), '--require-sealed'])).stderr).toMatch(/^ERR_NOT_SEALED/);
    await io.ok(['seal', '--in', 't2'], 't2s');
    expect(path(await io.ok(['verify', '--any-audience', '--trust', 'trust.json', '--in', 't2s', '--json', '--now', String(NOW)])).sealed).toBe(true);
    expect((await io.run(['seal', '--in', 't2s'])).stderr).toMatch(/^ERR_SEALED/);
  });

  it('issue --mode hybrid starts an aggregate chain that identified hops join', async () => {
    const io = await world();
    await io.ok(['issue', '--key', 'idp.jwk', '--mode', 'hybrid', '--ttl', '60', '--now', String(NOW)], 't0');
    await io.ok(['extend', '--in', 't0', '--mode', 'hybrid', '--key', 'a.jwk'], 't1');
    const p = path(await io.ok(['verify', '--any-audience', '--trust', 'trust.json', '--in', 't1', '--json', '--now', String(NOW)]));
    expect(p.mode).toBe('hybrid');
    expect(p.hops.map((h) => h.identity)).toEqual(['https://idp.example', 'spiffe://example.org/a']);
  });

  it('hop kinds that do not fit the chain are refused', async () => {
    const io = await world();
    await io.ok(['issue', '--key', 'idp.jwk', '--mode', 'anon', '--ttl', '60', '--now', String(NOW)], 'agg');
    await idChain(io, ['jwt']);
    expect((await io.run(['extend', '--in', 'agg', '--mode', 'id', '--key', 'gw.jwk', '--aud-key', 'a.pub'])).stderr).toMatch(/^ERR_MODE_MIXED: this is an aggregate chain/);
    expect((await io.run(['extend', '--in', 't0', '--mode', 'anon'])).stderr).toMatch(/^ERR_MODE_MIXED: this is an ID-mode chain/);
    expect((await io.run(['extend', '--in', 'agg', '--mode', 'anon', '--key', 'a.jwk'])).code).toBe(2);
    expect((await io.run(['extend', '--in', 'agg', '--mode', 'hybrid'])).code).toBe(2);
    expect((await io.run(['extend', '--in', 'agg', '--aud-key', 'a.pub'])).code).toBe(2);
    expect((await io.run(['extend', '--in', 't0', '--key', 'gw.jwk', '--aud-key', 'a.pub', '--seal'])).code).toBe(2);
    expect((await io.run(['seal', '--in', 't0'])).code).toBe(2);
  });
});
