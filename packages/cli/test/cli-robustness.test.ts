import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MemoryIo } from './memory-io.js';
import { idChain, NOW, world } from './world.js';

const CODE_LINE = /^ERR_[A-Z0-9_]+: .*\n$/;
const B64U = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~';

let io: MemoryIo;
let tokens: string[];

beforeAll(async () => {
  io = await world();
  tokens = [];
  for (const formats of [['jwt', 'jwt', 'jwt'], ['cbor', 'cbor', 'cbor'], ['jwt', 'cbor', 'jwt']] as const) {
    tokens.push(io.text(await idChain(io, formats)).trim());
  }
  await io.ok(['issue', '--key', 'idp.jwk', '--mode', 'anon', '--format', 'cbor', '--ttl', '600', '--now', String(NOW)], 'agg0');
  await io.ok(['extend', '--in', 'agg0', '--key', 'a.jwk', '--format', 'jwt', '--form', 'jwt'], 'agg1');
  tokens.push(io.text('agg1').trim());
});

/** One character replaced by a different one from the base64url alphabet and separators. */
const mutation = fc.record({ token: fc.nat(), at: fc.nat(), by: fc.nat() }).map(({ token, at, by }) => {
  const t = tokens[token % tokens.length]!;
  const i = at % t.length;
  const options = [...B64U].filter((c) => c !== t[i]);
  return t.slice(0, i) + options[by % options.length]! + t.slice(i + 1);
});

describe('hostile input through the command line', () => {
  it('every one-character change to a valid token makes verify exit 1 with an error code, nothing on stdout', async () => {
    for (const t of tokens) expect((await io.run(['verify', '--any-audience', '--trust', 'trust.json', '--now', String(NOW)], t)).code).toBe(0);
    await fc.assert(
      fc.asyncProperty(mutation, async (bad) => {
        const r = await io.run(['verify', '--any-audience', '--trust', 'trust.json', '--now', String(NOW)], bad);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(CODE_LINE);
        expect(r.stdout).toBe('');
      }),
      { numRuns: 150 },
    );
  });

  it('inspect never crashes: any mutation, text or bytes gives exit 0 or 1, and 1 always with a code', async () => {
    const input = fc.oneof(
      mutation,
      fc.string({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }),
      // Raw CBOR container head followed by anything.
      fc.uint8Array({ maxLength: 200 }).map((b) => Uint8Array.from([0xda, 0x7b, 0x2d, 0x00, 0x01, ...b])),
      fc.array(fc.constantFrom(...B64U), { maxLength: 200 }).map((cs) => cs.join('')),
    );
    await fc.assert(
      fc.asyncProperty(input, async (data) => {
        const r = await io.run(['inspect'], data);
        // Nothing at all on standard input is the one usage error here.
        expect(r.code).toBe(data.length === 0 ? 2 : r.code === 0 ? 0 : 1);
        if (r.code === 1) expect(r.stderr).toMatch(CODE_LINE);
      }),
      { numRuns: 300 },
    );
  });

  it('deeply nested hostile claims are drawn with a depth cap, not a stack overflow', async () => {
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const layer = `${Buffer.from('{"alg":"Ed25519"}').toString('base64url')}.${Buffer.from(`{"data":${deep}}`).toString('base64url')}.AA`;
    const r = await io.run(['inspect'], layer);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('claims: {"data":[[[');
    expect(r.stdout).toContain('"…"');
    const cbor = Uint8Array.from([0xda, 0x7b, 0x2d, 0x00, 0x01, 0x81, ...new Array<number>(60_000).fill(0x81), 0x80]);
    expect((await io.run(['inspect'], cbor)).code).toBe(1);
  });

  it('any command line gives exit 0, 1 or 2 and never throws', async () => {
    const words = ['keygen', 'issue', 'extend', 'seal', 'verify', 'inspect', 'help', '--key', 'idp.jwk', '--aud-key', 'gw.pub', '--in', 't0', '--trust', 'trust.json',
      '--format', 'cbor', 'jwt', '--mode', 'anon', 'hybrid', '--claims', '{}', '@t0', '--ttl', '5', '--now', '--binary', '--form', '--seal', '--public', '--seed', '--json', '--out', 'o', '-', '', '--', '-h'];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 8 })), { maxLength: 8 }), fc.constantFrom('', tokens[0]!), async (argv, stdin) => {
        const r = await io.run(argv, stdin);
        expect([0, 1, 2]).toContain(r.code);
        if (r.code === 1) expect(r.stderr).toMatch(CODE_LINE);
        if (r.code === 2) expect(r.stderr).toMatch(/^(nestoken|usage: nestoken)/);
      }),
      { numRuns: 300 },
    );
  });
});
