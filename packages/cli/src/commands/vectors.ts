import type { Command } from '../command.js';
import { commandGroup, defineCommand } from '../define.js';
import { required } from '../inputs.js';

const vectors = async (): Promise<typeof import('@nestoken/vectors')> => import('@nestoken/vectors');

const DEFAULT_DIR = 'test-vectors/v1';

const sub = {
  generate: defineCommand({
    name: 'vectors generate',
    summary: 'write every test-vector file from a seed (the same seed gives the same bytes)',
    usage: `--seed SEED [--out DIR]   (DIR must exist; default ${DEFAULT_DIR})`,
    options: { seed: { type: 'string' }, out: { type: 'string' } },
    async run(flags, io) {
      const seed = required(flags.seed, '--seed');
      const dir = flags.out ?? DEFAULT_DIR;
      for (const file of await (await vectors()).generateVectors(seed)) {
        await io.writeFile(`${dir}/${file.name}`, file.text);
        io.stdout(`wrote ${dir}/${file.name} (${new TextEncoder().encode(file.text).length} bytes)\n`);
      }
      return 0;
    },
  }),
  check: defineCommand({
    name: 'vectors check',
    summary: "re-verify every test-vector file with this implementation and compare each result and error code",
    usage: `[--dir DIR]   (default ${DEFAULT_DIR})`,
    options: { dir: { type: 'string' } },
    async run(flags, io) {
      const dir = flags.dir ?? DEFAULT_DIR;
      const api = await vectors();
      let failed = 0;
      for (const { name } of api.VECTOR_FILES) {
        const report = await api.checkVectorText(name, new TextDecoder().decode(await io.readFile(`${dir}/${name}`)));
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
