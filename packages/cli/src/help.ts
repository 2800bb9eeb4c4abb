import type { Command } from './command.js';
import { HELP_OPTION, optionSignature, type OptionSpec } from './options.js';

function table(rows: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`.trimEnd()).join('\n');
}

function optionLine(o: OptionSpec): string {
  const notes = [o.multiple ? 'repeatable' : '', o.defaultText ? `default: ${o.defaultText}` : ''].filter(Boolean);
  return `${o.description ?? ''}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

/** The last word of a command's name: what follows the group's name on the command line. */
export const shortName = (c: Command): string => c.name.slice(c.name.lastIndexOf(' ') + 1);

/** `nestoken help NAME`: what it does, how it is called, and every option with its meaning and default. */
export function helpText(command: Command): string {
  const head = `nestoken ${command.name}: ${command.summary}\nusage: nestoken ${command.name} ${command.usage}\n`;
  if (command.subcommands) {
    const rows = command.subcommands.map((s) => [shortName(s), s.summary] as const);
    return `${head}\nsubcommands:\n${table(rows)}\n\nnestoken help ${command.name} SUBCOMMAND lists the options of one.\n`;
  }
  const options = { ...command.options, ...HELP_OPTION };
  const rows = Object.entries(options).map(([name, o]) => [optionSignature(name, o), optionLine(o)] as const);
  return `${head}\noptions:\n${table(rows)}\n`;
}

/** `nestoken help`: every command, one line each. */
export function overview(commands: readonly Command[]): string {
  const rows = commands.map((c) => [c.name, c.summary] as const);
  return `usage: nestoken COMMAND [options]   (nestoken help COMMAND for its options)\n\n${table(rows)}\n\n` +
    `  --version   print the version\n`;
}
