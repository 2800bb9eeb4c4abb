import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { NestokenError } from '@nestoken/core';
import type { Io } from './command.js';
import { usageError } from './usage-error.js';

/**
 * Every input (token, key, bundle, claims) is far smaller than this; the bound keeps a
 * hostile or mistaken input (`--in /dev/zero`) from exhausting memory before core's own limits apply.
 */
export const MAX_INPUT_BYTES = 8 * 1024 * 1024;

async function readBounded(stream: Readable, what: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    total += buf.length;
    if (total > MAX_INPUT_BYTES) {
      stream.destroy();
      throw new NestokenError('ERR_INPUT_TOO_LARGE', `${what} is larger than ${MAX_INPUT_BYTES} bytes`);
    }
    chunks.push(buf);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function ioFailure(e: unknown, action: string, path: string): never {
  if (e instanceof NestokenError) throw e;
  const reason = (e as { code?: string }).code ?? (e as Error).message;
  return usageError(`cannot ${action} ${path}: ${reason}`);
}

/** A reader that went away (`nestoken inspect | head`) is not an error worth a stack trace. */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
}

/** The process's standard streams and file system behind the Io seam. */
export function nodeIo(): Io {
  quietOnClosedPipe(process.stdout);
  return {
    async stdin() {
      if (process.stdin.isTTY) return new Uint8Array(0);
      return readBounded(process.stdin, 'standard input');
    },
    stdout(data) {
      process.stdout.write(data);
    },
    stderr(text) {
      process.stderr.write(text);
    },
    async readFile(path) {
      try {
        return await readBounded(createReadStream(path), path);
      } catch (e) {
        return ioFailure(e, 'read', path);
      }
    },
    async writeFile(path, data, access = 'private') {
      try {
        // Keys and bearer tokens alike: readable by the owner only, unless the file is meant to be shared.
        await writeFile(path, data, { mode: access === 'public' ? 0o644 : 0o600 });
      } catch (e) {
        ioFailure(e, 'write', path);
      }
    },
  };
}
