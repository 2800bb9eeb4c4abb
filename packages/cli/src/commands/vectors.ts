import type { Command, Io } from '../command.js';
import { commandGroup, defineCommand } from '../define.js';
import { required } from '../inputs.js';
import { usageError } from '../usage-error.js';

const VECTORS_PACKAGE = '@nestoken/vectors';

/**
 * The generator and checker are a package of their own (an optional peer of the CLI): loaded
 * only by these subcommands, and when absent the user is told how to get it.
 */
async function vectors(): Promise<typeof import('@nestoken/vectors')> {
  try {
    return await import('@nestoken/vectors');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes(VECTORS_PACKAGE)) {
      usageError(`the vectors commands need the ${VECTORS_PACKAGE} package next to nestoken: npm install ${VECTORS_PACKAGE}`);
    }
    throw e;
  }
}

const DEFAULT_DIR = 'test-vectors/v1';
const GENERATE_HINT = 'nestoken vectors generate --seed nestoken-v1 --out DIR';

/** Reads one vector file; a missing file is explained in terms of where vectors come from. */
async function readVectorFile(io: Io, dir: string, name: string): Promise<string> {
  try {
    return new TextDecoder().decode(await io.readFile(`${dir}/${name}`));
  } catch (e) {
    if (!String((e as Error).message).includes('ENOENT')) throw e;
    return usageError(
      `no ${name} in ${dir} (relative paths start at the current directory; the default is the one of the nestoken repository). ` +
        `Give --dir DIR with the vector files (test-vectors/v1 of the repository), or write them first: ${GENERATE_HINT}`,
    );
  }
}

const sub = {
  generate: defineCommand({
    name: 'vectors generate',
    summary: 'write every test-vector file from a seed (the same seed gives the same bytes)',
    usage: '--seed SEED [--out DIR]',
    options: {
      seed: { type: 'string', value: 'SEED', description: 'the seed every key, nonce and value is derived from; the published vectors use nestoken-v1' },
      out: { type: 'string', value: 'DIR', description: 'the directory to write into; it must exist', defaultText: DEFAULT_DIR },
    },
    async run(flags, io) {
      const seed = required(flags.seed, '--seed');
      const dir = flags.out ?? DEFAULT_DIR;
      for (const file of await (await vectors()).generateVectors(seed)) {
        await io.writeFile(`${dir}/${file.name}`, file.text, 'public');
        io.stdout(`wrote ${dir}/${file.name} (${new TextEncoder().encode(file.text).length} bytes)\n`);
      }
      return 0;
    },
  }),
  check: defineCommand({
    name: 'vectors check',
    summary: 're-verify every test-vector file with this implementation and compare each result and error code',
    usage: '[--dir DIR]',
    options: {
      dir: { type: 'string', value: 'DIR', description: 'the directory holding the vector files', defaultText: DEFAULT_DIR },
    },
    async run(flags, io) {
      const dir = flags.dir ?? DEFAULT_DIR;
      const api = await vectors();
      let failed = 0;
      for (const { name } of api.VECTOR_FILES) {
        const report = await api.checkVectorText(name, await readVectorFile(io, dir, name));
        failed += report.failures.length;
        io.stdout(`${name}: ${report.total} tests (${report.valid} valid, ${report.invalid} invalid), ${report.failures.length === 0 ? 'all agree' : `${report.failures.length} disagree`}\n`);
        for (const f of report.failures) io.stderr(`${f}\n`);
      }
      return failed === 0 ? 0 : 1;
    },
  }),
} satisfies Record<string, Command>;

/** `nestoken vectors generate|check`: the reproducible test vectors of spec appendix A. */
export const vectorsCommand: Command = commandGroup(
  'vectors',
  'generate the test vectors from a seed, or check them against this implementation',
  '',
  sub,
);
