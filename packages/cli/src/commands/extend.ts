import { DEFAULT_LIMITS, decodeToken, extend as extendToken, NestokenError, type IssueMode, type Token } from '@nestoken/core';
import type { Io } from '../command.js';
import { defineCommand, type Flags } from '../define.js';
import { readPrivateKey, readPublicKey, readToken, required } from '../inputs.js';
import { identityDocument, LAYER_OPTIONS, LAYER_USAGE, layerClaims, parseFormat, parseMode } from '../layer-options.js';
import { outputChoice, writeToken } from '../token-output.js';
import { usageError } from '../usage-error.js';

const OPTIONS = {
  ...LAYER_OPTIONS,
  in: { type: 'string', value: 'FILE', description: 'the token received (either form, or raw CBOR)', defaultText: 'standard input' },
  seal: { type: 'boolean', description: 'close an anonymous or hybrid chain with this hop: nobody can extend it after' },
} as const;

/** The earliest expiry in the chain: the lifetime a new layer may narrow but not widen. */
function chainExpiry(token: Token): number | undefined {
  const exps = token.layers.flatMap((l) => (l.claims.exp === undefined ? [] : [l.claims.exp]));
  return exps.length === 0 ? undefined : Math.min(...exps);
}

/** What kind of hop to add: asked for, or read off the chain (aggregate: identified iff a key is given). */
function hopMode(token: Token, asked: IssueMode | undefined, flags: Flags<typeof OPTIONS>): IssueMode {
  const aggregate = token.layers[token.layers.length - 1]!.header.alg === 'nst-r255';
  const mode = asked ?? (!aggregate ? 'id' : flags.key !== undefined ? 'hybrid' : 'anon');
  if ((mode !== 'id') !== aggregate) {
    throw new NestokenError('ERR_MODE_MIXED', aggregate ? 'this is an aggregate chain: extend it with --mode anon or --mode hybrid' : 'this is an ID-mode chain: extend it with --mode id');
  }
  if (mode === 'anon' && flags.key !== undefined) usageError('an anonymous hop signs with no --key (use --mode hybrid to identify it)');
  if (mode !== 'id' && flags['aud-key'] !== undefined) usageError(`--aud-key binds an ID-mode chain; a ${mode} hop names no audience key`);
  if (mode === 'id' && flags.seal) usageError('--seal closes aggregate chains; ID-mode chains are not sealed');
  return mode;
}

async function keysFor(io: Io, mode: IssueMode, flags: Flags<typeof OPTIONS>) {
  if (mode === 'anon') return {};
  const key = await readPrivateKey(io, required(flags.key, '--key'));
  if (mode === 'hybrid') return { key };
  return { key, audienceKey: await readPublicKey(io, required(flags['aud-key'], '--aud-key (the key of the next hop)')) };
}

export const extend = defineCommand({
  name: 'extend',
  summary: 'add a layer to a token you received',
  usage: `[--in FILE] [--key KEY --aud-key PUB | --mode anon [--seal] | --mode hybrid --key KEY [--seal]] ${LAYER_USAGE}`,
  options: OPTIONS,
  async run(flags, io) {
    const asked = { mode: parseMode(flags), format: parseFormat(flags), output: outputChoice(flags) };
    const { token, form } = decodeToken(await readToken(io, flags.in), DEFAULT_LIMITS);
    const mode = hopMode(token, asked.mode, flags);
    const format = asked.format ?? form;
    const extended = await extendToken(token, {
      ...(await keysFor(io, mode, flags)),
      claims: await layerClaims(io, flags, chainExpiry(token)),
      format,
      ...(await identityDocument(io, flags)),
      ...(flags.seal ? { seal: true } : {}),
    });
    await writeToken(io, extended, asked.output, format);
    return 0;
  },
});
