import { describe, expect, it } from 'vitest';
import { NOW, world } from './world.js';

describe('nestoken status', () => {
  it('new -> set -> sign (JWT and CWT) -> verify -> get', async () => {
    const io = await world();
    await io.ok(['status', 'new', '--bits', '2', '--size', '1000', '--out', 'list.json']);
    expect(JSON.parse(io.text('list.json'))).toMatchObject({ bits: 2 });
    await io.ok(['status', 'set', '--in', 'list.json', '--idx', '7', '--idx', '9', '--value', 'INVALID', '--out', 'list.json']);
    const edited = await io.ok(['status', 'set', '--idx', '8', '--value', '2'], undefined, io.text('list.json'));
    io.files.set('list.json', new TextEncoder().encode(edited));
    expect(await io.ok(['status', 'get', '--in', 'list.json', '--idx', '7', '--idx', '8', '--idx', '10'])).toBe('7 1 INVALID\n8 2 SUSPENDED\n10 0 VALID\n');

    const uri = 'https://status.example/lists/7';
    await io.ok(['status', 'sign', '--in', 'list.json', '--key', 'idp.jwk', '--uri', uri, '--ttl', '300', '--exp', '86400', '--now', String(NOW)], 'list.jwt');
    await io.ok(['status', 'sign', '--in', 'list.json', '--key', 'idp.jwk', '--uri', uri, '--ttl', '300', '--now', String(NOW), '--format', 'cwt', '--out', 'list.cwt']);
    expect(io.files.get('list.cwt')![0]).toBe(0xd2);
    for (const file of ['list.jwt', 'list.cwt']) {
      const line = await io.ok(['status', 'verify', '--in', file, '--trust', 'trust.json', '--uri', uri, '--now', String(NOW + 1)]);
      expect(line).toMatch(new RegExp(`^valid status list ${uri} \\((jwt|cwt)\\) signed by https://idp.example: 1000 entries of 2 bits, 997 VALID, 2 INVALID, 1 SUSPENDED\\n$`));
      expect(await io.ok(['status', 'get', '--in', file, '--trust', 'trust.json', '--idx', '9', '--now', String(NOW + 1)])).toBe('9 1 INVALID\n');
    }
    const json = JSON.parse(await io.ok(['status', 'verify', '--in', 'list.jwt', '--trust', 'trust.json', '--now', String(NOW + 1), '--json']));
    expect(json).toMatchObject({ format: 'jwt', uri, iat: NOW, exp: NOW + 86400, ttl: 300, bits: 2, size: 1000 });
  });

  it('refusals have exit codes: 2 for usage, 1 with the error code for a bad list or token', async () => {
    const io = await world();
    expect((await io.run(['status', 'new', '--bits', '3', '--size', '8'])).stderr).toMatch(/^ERR_STATUS_LIST/);
    expect((await io.run(['status', 'new', '--bits', '1'])).code).toBe(2);
    expect((await io.run(['status', 'set', '--idx', '1', '--value', 'x'], '{"bits":1,"lst":"eNrbuRgAAhcBXQ"}')).code).toBe(2);
    expect((await io.run(['status', 'get', '--idx', '16'], '{"bits":1,"lst":"eNrbuRgAAhcBXQ"}')).stderr).toMatch(/^ERR_STATUS_INDEX/);
    await io.ok(['status', 'new', '--bits', '1', '--size', '8', '--out', 'l.json']);
    await io.ok(['status', 'sign', '--in', 'l.json', '--key', 'idp.jwk', '--uri', 'https://s.example/1', '--ttl', '60', '--now', String(NOW)], 'l.jwt');
    const tampered = io.text('l.jwt').replace(/.(\s*)$/, (c, ws: string) => (c[0] === 'A' ? 'B' : 'A') + ws);
    const r = await io.run(['status', 'verify', '--trust', 'trust.json', '--now', String(NOW)], tampered);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ERR_STATUS_TOKEN/);
  });
});
