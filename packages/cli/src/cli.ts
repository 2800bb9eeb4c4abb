import type { Command, Io } from './command.js';
import { COMMANDS } from './commands/index.js';
import { exitCodeFor } from './define.js';

function overview(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const rows = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: nestoken COMMAND [options]   (nestoken help COMMAND for its options)\n\n${rows.join('\n')}\n`;
}

/** `nestoken ARGS`: picks the command and returns the exit code; the process is main's business. */
export async function runCli(argv: readonly string[], io: Io, commands: readonly Command[] = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(overview(commands));
    return 2;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    const topic = rest[0] === undefined ? undefined : commands.find((c) => c.name === rest[0]);
    if (rest[0] !== undefined && !topic) {
      io.stderr(`nestoken: no command ${rest[0]}\n${overview(commands)}`);
      return 2;
    }
    io.stdout(topic ? `nestoken ${topic.name}: ${topic.summary}\nusage: nestoken ${topic.name} ${topic.usage}\n` : overview(commands));
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`nestoken: no command ${name}\n${overview(commands)}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    // Commands report their own failures; this catches one that throws instead.
    return exitCodeFor(e, io, command);
  }
}
