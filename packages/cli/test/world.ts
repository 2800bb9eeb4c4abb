import { MemoryIo, seedHex } from './memory-io.js';

/** Fixed seeds: every run signs the same bytes. */
export const PARTIES = [
  { name: 'idp', sub: 'https://idp.example' },
  { name: 'gw', sub: 'spiffe://example.org/gateway' },
  { name: 'a', sub: 'spiffe://example.org/a' },
  { name: 'b', sub: 'spiffe://example.org/b' },
  { name: 'c', sub: 'spiffe://example.org/c' },
] as const;

export const NOW = 1_800_000_000;

/** Keys NAME.jwk / NAME.pub for every party and trust.json listing all of them, made with the CLI itself. */
export async function world(): Promise<MemoryIo> {
  const io = new MemoryIo();
  for (const [i, p] of PARTIES.entries()) {
    await io.ok(['keygen', '--sub', p.sub, '--seed', seedHex(i + 1), '--out', `${p.name}.jwk`], `${p.name}.pub`);
  }
  const keys = PARTIES.map((p) => JSON.parse(io.text(`${p.name}.pub`)) as unknown);
  io.files.set('trust.json', new TextEncoder().encode(JSON.stringify({ keys })));
  return io;
}

/** idp -> gw -> a -> b -> c, one layer per hop, in the given formats. */
export async function idChain(io: MemoryIo, formats: ReadonlyArray<'jwt' | 'cbor'>): Promise<string> {
  const [first, ...rest] = formats;
  await io.ok(['issue', '--key', 'idp.jwk', '--aud-key', 'gw.pub', '--format', first!, '--claims', '{"iss":"https://idp.example","sub":"alice","jti":"root-1"}', '--ttl', '600', '--now', String(NOW)], 't0');
  for (const [i, format] of rest.entries()) {
    const signer = PARTIES[i + 1]!.name;
    const next = PARTIES[i + 2]!.name;
    await io.ok(['extend', '--in', `t${i}`, '--key', `${signer}.jwk`, '--aud-key', `${next}.pub`, '--format', format, '--claims', JSON.stringify({ jti: `hop-${i + 1}`, data: { step: i + 1 } })], `t${i + 1}`);
  }
  return `t${formats.length - 1}`;
}
