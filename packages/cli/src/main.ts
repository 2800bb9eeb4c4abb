import { runCli } from './cli.js';
import { nodeIo } from './node-io.js';

// exitCode rather than process.exit(): stdout must drain before the process ends.
process.exitCode = await runCli(process.argv.slice(2), nodeIo());
