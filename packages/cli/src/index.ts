export type { Command, Io } from './command.js';
export { runCli } from './cli.js';
export { COMMANDS } from './commands/index.js';
export { defineCommand, exitCodeFor, type CommandSpec, type Flags } from './define.js';
