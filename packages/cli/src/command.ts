/** The seam between the command line and a command: parsed by main, testable without a process. */
export interface Io {
  /** All of standard input, or empty bytes when it is a terminal. */
  stdin(): Promise<Uint8Array>;
  stdout(data: string | Uint8Array): void;
  stderr(text: string): void;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Exit code: 0 success, 1 the input is invalid (the error code on stderr), 2 usage error. */
  run(args: readonly string[], io: Io): Promise<number>;
}
