import { runCli } from './cli.js';
import { nodeIo } from './node-io.js';

/** Exit 1 means "the input is invalid"; a bug in nestoken must not look like that verdict. */
const EXIT_INTERNAL = 70;

try {
  // exitCode rather than process.exit(): stdout must drain before the process ends.
  process.exitCode = await runCli(process.argv.slice(2), nodeIo());
} catch (e) {
  process.stderr.write(`nestoken: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = EXIT_INTERNAL;
}
