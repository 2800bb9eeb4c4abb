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
    const mode = parseMode(flags) ?? 'id';
    const format = parseFormat(flags) ?? 'jwt';
    const output = outputChoice(flags);
    const key = await readPrivateKey(io, required(flags.key, '--key'));
    const common = { key, claims: await layerClaims(io, flags), format, ...(await identityDocument(io, flags)) };
    let token;
    if (mode === 'id') {
      const audienceKey = await readPublicKey(io, required(flags['aud-key'], '--aud-key (the key of the workload the token is handed to)'));
      token = await issueToken({ ...common, audienceKey });
    } else {
      if (flags['aud-key'] !== undefined) usageError(`--aud-key binds an ID-mode chain; a ${mode} chain names no audience key`);
      token = await issueToken({ ...common, mode });
    }
    await writeToken(io, token, output, format);
    return 0;
  },
});
