import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isNestokenError, NestokenError } from '@nestoken/core';
import type { Command, Io } from './command.js';
import { usageError } from './usage-error.js';

type OptionTable = NonNullable<ParseArgsConfig['options']>;
type Strict<O extends OptionTable> = { options: O; strict: true; allowPositionals: false };
export type Flags<O extends OptionTable> = ReturnType<typeof parseArgs<Strict<O>>>['values'];

export interface CommandSpec<O extends OptionTable> {
  readonly name: string;
  readonly summary: string;
  /** Everything after `nestoken NAME`, one option per line. */
  readonly usage: string;
  readonly options: O;
  run(flags: Flags<O>, io: Io): Promise<number>;
}

/**
 * Turns a failure into the exit code contract of the Command seam: ERR_USAGE is the caller's
 * mistake (2), any other NestokenError is a verdict on the input (1, code first on stderr).
 * Anything else is a bug in nestoken and is not dressed up as a verdict.
 */
export function exitCodeFor(e: unknown, io: Io, command?: { name: string; usage: string }): number {
  if (isNestokenError(e, 'ERR_USAGE')) {
    const where = command ? `nestoken ${command.name}` : 'nestoken';
    io.stderr(`${where}: ${e.message}\n${command ? `usage: nestoken ${command.name} ${command.usage}\n` : ''}`);
    return 2;
  }
  if (isNestokenError(e)) {
    io.stderr(`${e.code}: ${e.message}${e.layer === undefined ? '' : ` (layer ${e.layer})`}\n`);
    return 1;
  }
  throw e;
}

function parseFlags(options: OptionTable, args: readonly string[]): Record<string, unknown> {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    // node:util reports unknown options, missing values and stray arguments as ERR_PARSE_ARGS_*.
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) usageError((e as Error).message);
    throw e;
  }
}

export function defineCommand<O extends OptionTable>(spec: CommandSpec<O>): Command {
  const options: OptionTable = { ...spec.options, help: { type: 'boolean', short: 'h' } };
  return {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    async run(args, io) {
      try {
        const flags = parseFlags(options, args);
        if (flags.help) {
          io.stdout(`nestoken ${spec.name}: ${spec.summary}\nusage: nestoken ${spec.name} ${spec.usage}\n`);
          return 0;
        }
        return await spec.run(flags as Flags<O>, io);
      } catch (e) {
        return exitCodeFor(e, io, spec);
      }
    },
  };
}

/**
 * A command made of subcommands (`nestoken crate add ...`): help, dispatch and the usage error
 * for an unknown or missing subcommand, the same for every group.
 */
export function commandGroup(name: string, summary: string, note: string, sub: Readonly<Record<string, Command>>): Command {
  const names = Object.keys(sub);
  const group: Command = {
    name,
    summary,
    usage: `SUBCOMMAND [options]${note ? `   (${note})` : ''}\n${names.map((n) => `  nestoken ${sub[n]!.name} ${sub[n]!.usage}`).join('\n')}`,
    async run(args, io) {
      const [first, ...rest] = args;
      if (first === 'help' || first === '--help' || first === '-h') {
        io.stdout(`nestoken ${name}: ${summary}\nusage: nestoken ${name} ${group.usage}\n`);
        return 0;
      }
      const command = first === undefined ? undefined : sub[first];
      if (!command || !names.includes(first!)) {
        return exitCodeFor(new NestokenError('ERR_USAGE', first === undefined ? 'which subcommand?' : `no subcommand ${first}`), io, group);
      }
      return command.run(rest, io);
    },
  };
  return group;
}
