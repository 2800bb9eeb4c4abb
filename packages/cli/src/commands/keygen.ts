import { exportPrivateJwk, exportPublicJwk, generateSigningKey, importPrivateJwk, type KeyAlg } from '@nestoken/core';
import type { Io } from '../command.js';
import { defineCommand } from '../define.js';
import { readText } from '../inputs.js';
import { usageError } from '../usage-error.js';

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function parseSeed(hex: string): Uint8Array {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) usageError('--seed must be 64 hex digits (32 bytes)');
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

const ALGS: readonly KeyAlg[] = ['Ed25519', 'ES256'];

function parseAlg(alg: string | undefined): KeyAlg {
  if (alg === undefined) return 'Ed25519';
  if (!(ALGS as readonly string[]).includes(alg)) usageError(`--alg is ${ALGS.join(' or ')}`);
  return alg as KeyAlg;
}

/** The public half of a private JWK, keeping the identity (`sub`) a trust bundle reads. */
async function publicFromPrivate(io: Io, path: string | undefined): Promise<string> {
  const text = await readText(io, path ?? '-');
  if (text === '') usageError('no private JWK: give --in FILE or pipe one on standard input');
  const key = importPrivateJwk(text);
  const sub = (JSON.parse(text) as { sub?: unknown }).sub;
  return json(exportPublicJwk(key, typeof sub === 'string' ? { sub } : undefined));
}

export const keygen = defineCommand({
  name: 'keygen',
  summary: 'make an Ed25519 or ES256 (P-256) key (private JWK, kid = RFC 7638 thumbprint), or derive the public JWK',
  usage: '[--alg Ed25519|ES256] [--out FILE] [--sub IDENTITY] [--seed HEX]  |  --public [--in FILE]',
  options: {
    alg: { type: 'string' },
    out: { type: 'string' },
    sub: { type: 'string' },
    seed: { type: 'string' },
    public: { type: 'boolean' },
    in: { type: 'string' },
  },
  async run(flags, io) {
    if (flags.public) {
      if (flags.seed !== undefined || flags.sub !== undefined || flags.alg !== undefined) usageError('--public derives a key; it takes no --alg, --seed or --sub');
      const output = await publicFromPrivate(io, flags.in);
      if (flags.out !== undefined) await io.writeFile(flags.out, output);
      else io.stdout(output);
      return 0;
    }
    if (flags.in !== undefined) usageError('--in is read only with --public');
    if (flags.sub === '') usageError('--sub must not be empty');
    // For ES256 the seed is the scalar d itself, so one outside 1..n-1 is ERR_KEY_INVALID.
    const alg = parseAlg(flags.alg);
    const key = generateSigningKey({ alg, ...(flags.seed === undefined ? {} : { seed: parseSeed(flags.seed) }) });
    const extra = flags.sub === undefined ? undefined : { sub: flags.sub };
    if (flags.out === undefined) {
      io.stdout(json(exportPrivateJwk(key, extra)));
      return 0;
    }
    // The private key goes to the file; the public half to stdout, ready for a trust bundle.
    await io.writeFile(flags.out, json(exportPrivateJwk(key, extra)));
    io.stdout(json(exportPublicJwk(key, extra)));
    return 0;
  },
});
