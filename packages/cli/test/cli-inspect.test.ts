import { describe, expect, it } from 'vitest';
import { idChain, NOW, world } from './world.js';

describe('nestoken inspect', () => {
  it('draws every layer with its format, its sent and implied alg, kid and prv (spec §4.6), and claims', async () => {
    const io = await world();
    const last = await idChain(io, ['jwt', 'cbor', 'jwt']);
    const path = JSON.parse(await io.ok(['verify', '--any-audience', '--trust', 'trust.json', '--in', last, '--json', '--now', String(NOW)])) as {
      hops: Array<{ keyThumbprint: string; digest: string; audienceKey: string }>;
    };
    const tree = await io.ok(['inspect', '--in', last]);
    const lines = tree.split('\n');
    expect(lines[0]).toMatch(/^jwt form, 3 layers, \d+ bytes: decodes \(signatures, keys and times not checked/);
    expect(lines[1]).toBe(`├─ layer 0: jwt, ${lines[1]!.match(/jwt, (\d+) bytes/)![1]} bytes, digest ${path.hops[0]!.digest}`);
    expect(tree).toContain('│  ├─ alg: Ed25519\n');
    // Layer 1 (COSE) sends nothing: alg, kid and prv are implied by layer 0.
    expect(tree).toContain('│  ├─ alg: Ed25519 (implied: the alg of layer 0)');
    for (const [i, hop] of path.hops.entries()) {
      expect(tree).toContain(`kid: ${hop.keyThumbprint}`);
      expect(tree).toContain(`layer ${i}: ${['jwt', 'cbor', 'jwt'][i]}, `);
      if (i > 0) expect(tree).toContain(`prv: ${path.hops[i - 1]!.digest} = digest of layer ${i - 1} (implied: signed, not sent)`);
      if (i > 0) expect(tree).toContain(`kid: ${hop.keyThumbprint} (implied: cnf.jkt of layer ${i - 1})`);
    }
    expect(tree).toContain('prv: (none: root layer)');
    expect(tree).not.toContain('typ:');
    // CBOR claims in wire order: CWT keys by number (cti 7, cnf 8), then text keys.
    expect(tree).toContain(`claims: {"jti":"hop-1","cnf":{"jkt":"${path.hops[1]!.audienceKey}"},"data":{"step":1}}`);
    expect(tree).toContain('claims: {"cnf":{"jkt":');
    expect(tree.match(/signature: 64 bytes/g)).toHaveLength(3);
  });

  it('shows the proof of an aggregate chain and whether it is sealed', async () => {
    const io = await world();
    await io.ok(['issue', '--key', 'idp.jwk', '--mode', 'anon', '--ttl', '60', '--now', String(NOW)], 't0');
    expect(await io.ok(['inspect', '--in', 't0'])).toMatch(/└─ proof: 32 bytes: the last scalar/);
    await io.ok(['seal', '--in', 't0', '--form', 'cbor'], 's');
    const tree = await io.ok(['inspect', '--in', 's']);
    expect(tree).toMatch(/^cbor form, 1 layer/);
    expect(tree).toContain('alg: nst-r255');
    expect(tree).toContain('signature: 32 bytes');
    expect(tree).toMatch(/└─ proof: 64 bytes: a seal/);
  });

  it('still draws a token core refuses, marks the layer, and exits 1 with the code', async () => {
    const io = await world();
    const last = await idChain(io, ['jwt', 'jwt', 'jwt']);
    const layers = io.text(last).trim().split('~');
    // A layer whose payload is not canonical JSON: core refuses it, yet it can be read.
    const [h, , s] = layers[1]!.split('.');
    const loose = Buffer.from('{ "sub": "mallory" }').toString('base64url');
    const r = await io.run(['inspect'], [layers[0], `${h}.${loose}.${s}`, layers[2]].join('~'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ERR_NONCANONICAL: .*\(layer 1\)\n$/);
    expect(r.stdout).toMatch(/^jwt form, 3 layers, \d+ bytes: does not decode: ERR_NONCANONICAL at layer 1/);
    expect(r.stdout).toMatch(/layer 1: jwt, .* <- ERR_NONCANONICAL/);
    expect(r.stdout).toContain('claims: {"sub":"mallory"}');
    // Layer 2 implies the digest of the changed layer 1: only verify can tell it signed another (spec §4.6).
    expect(r.stdout).toMatch(/layer 2[^]*prv: \S+ = digest of layer 1 \(implied: signed, not sent\)/);
  });

  it('reports what it cannot read instead of failing', async () => {
    const io = await world();
    for (const junk of ['hello', 'a.b.c', '2nstAAAA', '~~', 'eyJhbGciOiJub25lIn0.e30.']) {
      const r = await io.run(['inspect'], junk);
      expect(r.code, junk).toBe(1);
      expect(r.stderr, junk).toMatch(/^ERR_[A-Z0-9_]+: /);
      expect(r.stdout, junk).toMatch(/does not decode: ERR_/);
    }
    const none = await io.run(['inspect'], 'eyJhbGciOiJub25lIn0.e30.');
    expect(none.stdout).toContain('alg: none');
    expect(none.stderr).toMatch(/^ERR_(ALG_NOT_ALLOWED|HEADER_INVALID)/);
  });

  it('refuses oversized input before reading it', async () => {
    const io = await world();
    const r = await io.run(['inspect'], 'a'.repeat(256 * 1024 + 1));
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^ERR_INPUT_TOO_LARGE/);
  });
});
