import { issue as issueToken } from '@nestoken/core';
import { defineCommand } from '../define.js';
import { readPrivateKey, readPublicKey, required } from '../inputs.js';
import { identityDocument, LAYER_OPTIONS, LAYER_USAGE, layerClaims, parseFormat, parseMode } from '../layer-options.js';
import { outputChoice, writeToken } from '../token-output.js';
import { usageError } from '../usage-error.js';

export const issue = defineCommand({
  name: 'issue',
  summary: 'sign the root layer of a new chain',
  usage: `--key KEY (--aud-key PUB | --mode anon|hybrid) ${LAYER_USAGE}`,
  options: LAYER_OPTIONS,
  async run(flags, io) {
    // Flags first: every usage error is found before a file is read.
    const mode = parseMode(flags) ?? 'id';
    const format = parseFormat(flags) ?? 'jwt';
    const output = outputChoice(flags);
    const keyPath = required(flags.key, '--key');
    const audPath = flags['aud-key'];
    if (mode === 'id' && audPath === undefined) usageError('--aud-key (the key of the workload the token is handed to) is required');
    if (mode !== 'id' && audPath !== undefined) usageError(`--aud-key binds an ID-mode chain; a ${mode} chain names no audience key`);

    const key = await readPrivateKey(io, keyPath);
    const claims = await layerClaims(io, flags);
    // Core refuses the same; said here in terms of the flags.
    if (claims.exp === undefined) usageError('a root layer needs an expiry: give --ttl SECONDS, or exp in --claims');
    const common = { key, claims, format, ...(await identityDocument(io, flags)) };
    const token =
      mode === 'id'
        ? await issueToken({ ...common, audienceKey: await readPublicKey(io, required(audPath, '--aud-key')) })
        : await issueToken({ ...common, mode });
    await writeToken(io, token, output, format);
    return 0;
  },
});
