import type { OptionTable } from './options.js';

/** The seam between the command line and a command: parsed by main, testable without a process. */
export interface Io {
  /** All of standard input, or empty bytes when it is a terminal. */
  stdin(): Promise<Uint8Array>;
  stdout(data: string | Uint8Array): void;
  stderr(text: string): void;
  readFile(path: string): Promise<Uint8Array>;
  /** Private by default (keys, bearer tokens: owner only); `public` for files meant to be shared, such as test vectors. */
  writeFile(path: string, data: string | Uint8Array, access?: 'private' | 'public'): Promise<void>;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Its options: `nestoken help NAME`, suggestions and shell completion read them. */
  readonly options?: OptionTable;
  /** The subcommands of a command group. */
  readonly subcommands?: readonly Command[];
  /** Exit code: 0 success, 1 the input is invalid (the error code on stderr), 2 usage error. */
  run(args: readonly string[], io: Io): Promise<number>;
}
