import { encodeToken, type LayerFormat, type Token, type TokenForm } from '@nestoken/core';
import type { Io } from './command.js';
import { parseChoice } from './inputs.js';
import { usageError } from './usage-error.js';

/** The flags every command that writes a token shares. */
export const TOKEN_OUTPUT_OPTIONS = {
  form: { type: 'string', choices: ['jwt', 'cbor'], description: 'the container form of the token written', defaultText: "the new layer's format" },
  binary: { type: 'boolean', description: 'write the CBOR form as raw bytes instead of base64url text' },
  out: { type: 'string', value: 'FILE', description: 'write the token to FILE (owner-only permissions)', defaultText: 'standard output' },
} as const;

export const TOKEN_OUTPUT_USAGE = `[--form jwt|cbor] [--binary] [--out FILE]`;

interface OutputFlags {
  readonly form?: string | undefined;
  readonly binary?: boolean | undefined;
  readonly out?: string | undefined;
}

/** Text on a terminal or in a header: JWT form as is, CBOR form as base64url; `--binary` is raw CBOR. */
export function tokenBytesOrText(token: Token, form: TokenForm, binary: boolean): string | Uint8Array {
  if (binary) return encodeToken(token, 'cbor');
  const text = form === 'jwt' ? encodeToken(token, 'jwt') : Buffer.from(encodeToken(token, 'cbor')).toString('base64url');
  return `${text}\n`;
}

export interface OutputChoice {
  readonly form: TokenForm | undefined;
  readonly binary: boolean;
  readonly out: string | undefined;
}

/** Read before any work is done, so that a bad flag is reported before input is consumed. */
export function outputChoice(flags: OutputFlags): OutputChoice {
  const form = parseChoice(flags.form, ['jwt', 'cbor'] as const, '--form');
  if (flags.binary && form === 'jwt') usageError('--binary writes the CBOR form; it cannot be combined with --form jwt');
  return { form: flags.binary ? 'cbor' : form, binary: flags.binary === true, out: flags.out };
}

/** The container form follows the new layer's format unless `--form` says otherwise. */
export async function writeToken(io: Io, token: Token, choice: OutputChoice, defaultForm: LayerFormat): Promise<void> {
  const output = tokenBytesOrText(token, choice.form ?? defaultForm, choice.binary);
  if (choice.out !== undefined) await io.writeFile(choice.out, output);
  else io.stdout(output);
}
