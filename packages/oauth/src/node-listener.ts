import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_REQUEST_BYTES } from './constants.js';
import type { TxnTokenService } from './service.js';

/** Reads at most `max` bytes, then stops listening: an oversized body costs no more than that. */
async function readBody(req: IncomingMessage, max: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) break;
    chunks.push(chunk);
  }
  return size > max ? new Uint8Array(max + 1) : new Uint8Array(Buffer.concat(chunks));
}

/** `http.createServer(txnTokenListener(service))`: the token endpoint on any path. */
export function txnTokenListener(service: TxnTokenService): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    readBody(req, MAX_REQUEST_BYTES)
      .then((body) => {
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        return service.handle(req.method, headers, body);
      })
      .then(
        (answer) => {
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body);
        },
        () => res.destroy(),
      );
  };
}
