import { describe, expect, it } from 'vitest';
import { CarReader } from '@ipld/car';
import { idChain, NOW, world } from './world.js';

const MARKER = 'opaque-payload-0123456789';

async function setup() {
  const io = await world();
  await idChain(io, ['cbor', 'jwt']);
  io.files.set('other.bin', new TextEncoder().encode(MARKER));
  return io;
}

const showJson = async (io: Awaited<ReturnType<typeof setup>>, args: string[], stdin?: string) =>
  JSON.parse(await io.ok(['crate', 'show', '--json', ...args], undefined, stdin)) as {
    root: string;
    nodes: Array<{ cid: string; type: string; detail: string }>;
    trimmed: string[];
    size: { nodes: number; carBytes: number };
  };

describe('nestoken crate', () => {
  it('new -> attest -> add -> verify -> trim -> merge, through CAR files and the compact form', async () => {
    const io = await setup();
    await io.ok(['crate', 'new', '--bucket', 'access', '--token', 't0', '--token', 't1', '--out', 'c0.car']);
    const reader = await CarReader.fromBytes(io.files.get('c0.car')!);
    const c0 = await showJson(io, ['--in', 'c0.car']);
    expect((await reader.getRoots()).map(String)).toEqual([c0.root]);
    expect(c0.size.carBytes).toBe(io.files.get('c0.car')!.length);
    expect(c0.nodes.filter((n) => n.type === 'token').map((n) => n.detail.split(' ')[0])).toEqual(['nestoken', 'nestoken']);

    await io.ok(['crate', 'attest', '--in', 'c0.car', '--key', 'gw.jwk', '--ttl', '600', '--now', String(NOW), '--iss', 'spiffe://example.org/gateway', '--out', 'c1.car']);
    const c2 = (await io.ok(['crate', 'add', '--in', 'c1.car', '--bucket', 'extra', '--token', 'other.bin', '--meta', '{"hop":2}'])).trim();
    expect(c2).toMatch(/^[A-Za-z0-9_-]+$/);
    io.files.set('c2.txt', new TextEncoder().encode(c2));

    const verified = await io.ok(['crate', 'verify', '--in', 'c2.txt', '--trust', 'trust.json', '--now', String(NOW + 1)]);
    expect(verified).toMatch(/^valid crate bafy\S+: 9 nodes proven, 0 trimmed/);
    expect(verified).toMatch(/token bafy\S+ nestoken in access: id chain from https:\/\/idp\.example, 2 hops/);
    expect(verified).toMatch(/token bafy\S+ other in extra\n/);
    expect(verified).toContain(`attestation`);
    expect(verified).toContain(`by spiffe://example.org/gateway of ${c0.root}`);

    const all = await showJson(io, [], c2);
    const opaque = all.nodes.find((n) => n.type === 'token' && n.detail.startsWith('other'))!;
    const trimmed = (await io.ok(['crate', 'trim', '--keep', opaque.cid], undefined, c2)).trim();
    const t = await showJson(io, [], trimmed);
    expect(t.root).toBe(all.root);
    expect(t.trimmed.length).toBe(2);
    const report = JSON.parse(await io.ok(['crate', 'verify', '--json', '--trust', 'trust.json', '--now', String(NOW + 1)], undefined, trimmed));
    expect(report.trimmed).toEqual(t.trimmed);

    io.files.set('t.txt', new TextEncoder().encode(trimmed));
    await io.ok(['crate', 'merge', '--in', 't.txt', '--in', 'c2.txt', '--form', 'compact', '--out', 'm.txt']);
    expect(io.text('m.txt').trim()).toBe(c2);

    // The attestation vouches for the first root, which does not lead to the opaque token: it stays behind.
    const disclosed = await showJson(io, [], await io.ok(['crate', 'trim', '--disclose', opaque.cid], undefined, c2));
    expect(disclosed.nodes.some((n) => n.type === 'attestation')).toBe(false);
    const nested = all.nodes.find((n) => n.type === 'token' && n.detail.startsWith('nestoken'))!;
    const withAttestation = await showJson(io, [], await io.ok(['crate', 'trim', '--disclose', nested.cid], undefined, c2));
    expect(withAttestation.nodes.some((n) => n.type === 'attestation')).toBe(true);
  });

  it('draws the graph as Mermaid or DOT', async () => {
    const io = await setup();
    const c = await io.ok(['crate', 'new', '--bucket', 'b', '--token', 'other.bin']);
    expect(await io.ok(['crate', 'graph'], undefined, c)).toMatch(/^flowchart TD\n/);
    const dot = await io.ok(['crate', 'graph', '--as', 'dot'], undefined, c);
    expect(dot).toMatch(/^digraph crate \{/);
    expect(dot).toContain('token other, 25 B');
  });

  it('reports a changed byte, a split history and an expired token with exit 1 and the code', async () => {
    const io = await setup();
    await io.ok(['crate', 'new', '--bucket', 'b', '--token', 'other.bin', '--token', 't1', '--out', 'c.car']);
    const car = Uint8Array.from(io.files.get('c.car')!);
    const at = Buffer.from(car).indexOf(MARKER);
    car[at]! ^= 1;
    io.files.set('bad.car', car);
    const bad = await io.run(['crate', 'show', '--in', 'bad.car']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^ERR_CRATE_CID_MISMATCH: /);

    await io.ok(['crate', 'add', '--in', 'c.car', '--bucket', 'left', '--token', 't0', '--out', 'l.car']);
    await io.ok(['crate', 'add', '--in', 'c.car', '--bucket', 'right', '--token', 't0', '--out', 'r.car']);
    const split = await io.run(['crate', 'merge', '--in', 'l.car', '--in', 'r.car']);
    expect(split.code).toBe(1);
    expect(split.stderr).toMatch(/^ERR_CRATE_MERGE_CONFLICT: /);

    const late = await io.run(['crate', 'verify', '--in', 'c.car', '--trust', 'trust.json', '--now', String(NOW + 100_000)]);
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/^ERR_EXPIRED: token bafy/);
  });

  it('refuses bad command lines with exit 2 before reading input', async () => {
    const io = await setup();
    for (const argv of [
      ['crate'],
      ['crate', 'frobnicate'],
      ['crate', 'trim', '--in', 'x'],
      ['crate', 'trim', '--keep', 'a', '--disclose', 'b'],
      ['crate', 'merge', '--in', 'x'],
      ['crate', 'verify', '--in', 'x'],
      ['crate', 'graph', '--as', 'png'],
      ['crate', 'new', '--form', 'zip'],
      ['crate', 'new', '--bucket', 'b', '--token', 'other.bin', '--format', 'saml'],
      ['crate', 'new', '--bucket', 'b', '--meta', '[1]'],
      ['crate', 'attest', '--key', 'gw.jwk'],
      ['crate', 'show', '--bogus'],
      ['crate', 'show'],
    ]) {
      const r = await io.run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toContain('nestoken crate');
    }
    const help = await io.run(['crate', '--help']);
    expect(help.code).toBe(0);
    for (const name of ['new', 'add', 'attest', 'trim', 'merge', 'verify', 'show', 'graph']) expect(help.stdout).toContain(`nestoken crate ${name} `);
    expect((await io.run(['help'])).stdout).toContain('crate');
  });
});
