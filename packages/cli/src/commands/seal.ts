import { DEFAULT_LIMITS, decodeToken, seal as sealToken } from '@nestoken/core';
import { defineCommand } from '../define.js';
import { readToken } from '../inputs.js';
import { outputChoice, TOKEN_OUTPUT_OPTIONS, TOKEN_OUTPUT_USAGE, writeToken } from '../token-output.js';

export const seal = defineCommand({
  name: 'seal',
  summary: 'close an anonymous or hybrid chain so that nobody can extend it',
  usage: `[--in FILE] ${TOKEN_OUTPUT_USAGE}`,
  options: { in: { type: 'string', value: 'FILE', description: 'the anonymous or hybrid token to seal', defaultText: 'standard input' }, ...TOKEN_OUTPUT_OPTIONS },
  async run(flags, io) {
    const output = outputChoice(flags);
    const { token, form } = decodeToken(await readToken(io, flags.in), DEFAULT_LIMITS);
    await writeToken(io, sealToken(token), output, form);
    return 0;
  },
});
