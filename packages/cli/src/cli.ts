import type { Command, Io } from './command.js';
import { COMMANDS } from './commands/index.js';
import { exitCodeFor } from './define.js';
import { helpText, overview, shortName } from './help.js';
import { didYouMean } from './suggest.js';
import { VERSION } from './version.js';

function unknownCommand(name: string, commands: readonly Command[], io: Io): number {
  io.stderr(`nestoken: no command ${name}${didYouMean(name, [...commands.map((c) => c.name), 'help'])}\n${overview(commands)}`);
  return 2;
}

/** `nestoken help NAME [SUB]`: the help of a command or of one subcommand of a group. */
function help(topic: readonly string[], commands: readonly Command[], io: Io): number {
  if (topic[0] === undefined) {
    io.stdout(overview(commands));
    return 0;
  }
  const command = commands.find((c) => c.name === topic[0]);
  if (!command) return unknownCommand(topic[0], commands, io);
  const sub = topic[1] === undefined ? command : command.subcommands?.find((c) => shortName(c) === topic[1]);
  if (!sub) {
    io.stderr(`nestoken: ${command.name} has no subcommand ${topic[1]}${didYouMean(topic[1]!, (command.subcommands ?? []).map(shortName))}\n`);
    return 2;
  }
  io.stdout(helpText(sub));
  return 0;
}

/** `nestoken ARGS`: picks the command and returns the exit code; the process is main's business. */
export async function runCli(argv: readonly string[], io: Io, commands: readonly Command[] = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(overview(commands));
    return 2;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  if (name === 'help' || name === '--help' || name === '-h') return help(rest, commands, io);
  const command = commands.find((c) => c.name === name);
  if (!command) return unknownCommand(name, commands, io);
  try {
    return await command.run(rest, io);
  } catch (e) {
    // Commands report their own failures; this catches one that throws instead.
    return exitCodeFor(e, io, command);
  }
}
