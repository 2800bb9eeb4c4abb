import { DEFAULT_LIMITS, decodeToken, isNestokenError, NestokenError } from '@nestoken/core';
import { defineCommand } from '../define.js';
import { readToken } from '../inputs.js';
import { renderTree } from '../inspect/tree.js';
import { readWire } from '../inspect/wire.js';

export const inspect = defineCommand({
  name: 'inspect',
  summary: 'show the layers of a token as a tree (also of tokens that do not decode)',
  usage: '[--in FILE]',
  options: { in: { type: 'string', value: 'FILE', description: 'the token to show (either form, or raw CBOR); it need not verify', defaultText: 'standard input' } },
  async run(flags, io) {
    const input = await readToken(io, flags.in);
    // The same size bound as core, before the lenient reader looks at anything.
    if (input.length > DEFAULT_LIMITS.maxTokenBytes) {
      throw new NestokenError('ERR_INPUT_TOO_LARGE', `token is ${input.length} bytes, above the limit of ${DEFAULT_LIMITS.maxTokenBytes}`);
    }
    let verdict: NestokenError | undefined;
    try {
      decodeToken(input, DEFAULT_LIMITS);
    } catch (e) {
      if (!isNestokenError(e)) throw e;
      verdict = e;
    }
    io.stdout(renderTree(readWire(input), input.length, verdict));
    if (!verdict) return 0;
    // Shown in the tree for a person, and on stderr in the usual form for a script.
    throw verdict;
  },
});
