import { NestokenError } from '@nestoken/core';
import type { Io } from '../src/command.js';
import { runCli } from '../src/cli.js';

const bytesOf = (d: string | Uint8Array): Uint8Array => (typeof d === 'string' ? new TextEncoder().encode(d) : d);

/** A file system and standard streams in memory: commands run in-process, exactly as main runs them. */
export class MemoryIo implements Io {
  readonly files = new Map<string, Uint8Array>();
  private out: Uint8Array[] = [];
  private err = '';
  private input: Uint8Array = new Uint8Array(0);

  constructor(files: Record<string, string | Uint8Array> = {}) {
    for (const [path, data] of Object.entries(files)) this.files.set(path, bytesOf(data));
  }

  async stdin(): Promise<Uint8Array> {
    return this.input;
  }
  stdout(data: string | Uint8Array): void {
    this.out.push(bytesOf(data));
  }
  stderr(text: string): void {
    this.err += text;
  }
  async readFile(path: string): Promise<Uint8Array> {
    const data = this.files.get(path);
    if (!data) throw new NestokenError('ERR_USAGE', `cannot read ${path}: ENOENT`);
    return data;
  }
  async writeFile(path: string, data: string | Uint8Array): Promise<void> {
    this.files.set(path, bytesOf(data));
  }

  text(path: string): string {
    const data = this.files.get(path);
    if (!data) throw new Error(`no file ${path}`);
    return new TextDecoder().decode(data);
  }

  /** Runs one command line with `stdin` as standard input; returns the code and what was written. */
  async run(argv: readonly string[], stdin: string | Uint8Array = ''): Promise<{ code: number; stdout: string; bytes: Uint8Array; stderr: string }> {
    this.out = [];
    this.err = '';
    this.input = bytesOf(stdin);
    const code = await runCli(argv, this);
    const bytes = Buffer.concat(this.out);
    return { code, stdout: bytes.toString('utf8'), bytes: new Uint8Array(bytes), stderr: this.err };
  }

  /** Runs a command that must succeed and keeps its standard output as a file. */
  async ok(argv: readonly string[], saveAs?: string, stdin?: string | Uint8Array): Promise<string> {
    const r = await this.run(argv, stdin);
    if (r.code !== 0) throw new Error(`nestoken ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
    if (saveAs) this.files.set(saveAs, r.bytes);
    return r.stdout;
  }
}

export const seedHex = (n: number): string => n.toString(16).padStart(2, '0').repeat(32);
