import { parseArgs } from 'node:util';
import { isNestokenError, NestokenError } from '@nestoken/core';
import type { Command, Io } from './command.js';
import { helpText, shortName } from './help.js';
import { HELP_OPTION, parserOptions, type OptionTable } from './options.js';
import { didYouMean } from './suggest.js';
import { usageError } from './usage-error.js';

export type { OptionSpec, OptionTable } from './options.js';

type FlagValue<S> = S extends { type: 'boolean' }
  ? S extends { multiple: true } ? boolean[] : boolean
  : S extends { multiple: true } ? string[] : string;
export type Flags<O extends OptionTable> = { -readonly [K in keyof O]?: FlagValue<O[K]> | undefined };

export interface CommandSpec<O extends OptionTable> {
  readonly name: string;
  readonly summary: string;
  /** Everything after `nestoken NAME`, on one line; `nestoken help NAME` explains each option. */
  readonly usage: string;
  readonly options: O;
  run(flags: Flags<O>, io: Io): Promise<number>;
}

/** Messages may quote the input: control characters are shown escaped, never sent to the terminal. */
const printable = (text: string): string =>
  text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * Turns a failure into the exit code contract of the Command seam: ERR_USAGE is the caller's
 * mistake (2), any other NestokenError is a verdict on the input (1, code first on stderr).
 * Anything else is a bug in nestoken and is not dressed up as a verdict.
 */
export function exitCodeFor(e: unknown, io: Io, command?: { name: string; usage: string }): number {
  if (isNestokenError(e, 'ERR_USAGE')) {
    const where = command ? `nestoken ${command.name}` : 'nestoken';
    const usage = command ? `usage: nestoken ${command.name} ${command.usage}\n(nestoken help ${command.name} explains every option)\n` : '';
    io.stderr(`${where}: ${printable(e.message)}\n${usage}`);
    return 2;
  }
  if (isNestokenError(e)) {
    io.stderr(`${e.code}: ${printable(e.message)}${e.layer === undefined ? '' : ` (layer ${e.layer})`}\n`);
    return 1;
  }
  throw e;
}

/** node:util's parser, its errors turned into usage errors that name the nearest real option. */
function parseFlags(options: OptionTable, args: readonly string[]): Record<string, unknown> {
  try {
    return parseArgs({ args: [...args], options: parserOptions(options), strict: true, allowPositionals: false }).values;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS')) throw e;
    const unknown = /^Unknown option '(-{1,2})([^']*)'/.exec((e as Error).message);
    if (unknown) usageError(`unknown option ${unknown[1]}${unknown[2]}${didYouMean(unknown[2]!, Object.keys(options)).replace(/mean (\S+)\?/, 'mean --$1?')}`);
    const positional = /^Unexpected argument '([^']*)'/.exec((e as Error).message);
    if (positional) usageError(`unexpected argument ${positional[1]}: every input is given with an option (--in FILE, ...)`);
    return usageError((e as Error).message);
  }
}

export function defineCommand<const O extends OptionTable>(spec: CommandSpec<O>): Command {
  const options: OptionTable = { ...spec.options, ...HELP_OPTION };
  const command: Command = {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    options: spec.options,
    async run(args, io) {
      try {
        const flags = parseFlags(options, args);
        if (flags.help) {
          io.stdout(helpText(command));
          return 0;
        }
        return await spec.run(flags as Flags<O>, io);
      } catch (e) {
        return exitCodeFor(e, io, spec);
      }
    },
  };
  return command;
}

/**
 * A command made of subcommands (`nestoken crate add ...`): help, dispatch, suggestions and the
 * usage error for an unknown or missing subcommand, the same for every group.
 */
export function commandGroup(name: string, summary: string, note: string, sub: Readonly<Record<string, Command>>): Command {
  const names = Object.keys(sub);
  const subcommands = Object.values(sub);
  const group: Command = {
    name,
    summary,
    usage: `SUBCOMMAND [options]${note ? `   (${note})` : ''}\n${subcommands.map((c) => `  nestoken ${c.name} ${c.usage}`).join('\n')}`,
    subcommands,
    async run(args, io) {
      const [first, ...rest] = args;
      if (first === 'help' || first === '--help' || first === '-h') {
        const topic = rest[0] === undefined ? undefined : subcommands.find((c) => shortName(c) === rest[0]);
        io.stdout(helpText(topic ?? group));
        return 0;
      }
      const command = first === undefined ? undefined : sub[first];
      if (!command || !names.includes(first!)) {
        const message = first === undefined ? `which subcommand? one of ${names.join(', ')}` : `no subcommand ${first}${didYouMean(first, names)}`;
        return exitCodeFor(new NestokenError('ERR_USAGE', message), io, group);
      }
      return command.run(rest, io);
    },
  };
  return group;
}
