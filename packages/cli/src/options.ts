import type { ParseArgsConfig } from 'node:util';

/**
 * One option of a command, as the parser reads it and as people read it: `nestoken help
 * COMMAND` and the shell completion are generated from these, so every command gets them.
 */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  /** What it means, one line. */
  readonly description?: string;
  /** The value's name in help (FILE, SECONDS, ...); those in PATH_VALUES complete as file names. */
  readonly value?: string;
  /** The values it accepts, when they are a closed set: shown in help and completed. */
  readonly choices?: readonly string[];
  /** What applies when it is absent, as help says it (the command applies it, not the parser). */
  readonly defaultText?: string;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** Value names that stand for a file path: the shell completes them as files. */
export const PATH_VALUES: ReadonlySet<string> = new Set(['FILE', 'KEY', 'PUB', 'BUNDLE', 'CRATE', 'DIR', 'WIT']);

/** Only what node:util's parser knows. */
export function parserOptions(options: OptionTable): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) },
    ]),
  );
}

/** `--name VALUE` (or `--name` for a switch) as usage and help write it. */
export function optionSignature(name: string, o: OptionSpec): string {
  const flag = `${o.short ? `-${o.short}, ` : ''}--${name}`;
  if (o.type === 'boolean') return flag;
  return `${flag} ${o.choices ? o.choices.join('|') : (o.value ?? 'VALUE')}`;
}

/** The option table every command has on top of its own. */
export const HELP_OPTION: OptionTable = { help: { type: 'boolean', short: 'h', description: 'print this help and exit' } };
