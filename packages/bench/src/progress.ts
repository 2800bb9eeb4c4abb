/**
 * Progress on stderr, so stdout stays clean for the headline: one rewritten line on a
 * terminal, one line per step otherwise (CI logs, pipes).
 */
export interface Progress {
  step(message: string): void;
  done(message?: string): void;
}

export function stderrProgress(total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  let n = 0;
  const started = performance.now();
  const tty = stream.isTTY === true;
  const prefix = () => `[${String(n).padStart(String(total).length)}/${total} ${((performance.now() - started) / 1000).toFixed(0)}s]`;
  return {
    step(message) {
      n++;
      const line = `${prefix()} ${message}`;
      if (tty) stream.write(`\r\x1b[2K${line.slice(0, (stream.columns || 100) - 1)}`);
      else stream.write(`${line}\n`);
    },
    done(message) {
      if (tty) stream.write('\r\x1b[2K');
      if (message) stream.write(`${message}\n`);
    },
  };
}

export const silentProgress: Progress = { step() {}, done() {} };
