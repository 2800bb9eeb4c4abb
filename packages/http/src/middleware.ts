import type { IncomingMessage, ServerResponse } from 'node:http';
import { problemFor, type ProblemOptions } from './problem.js';
import { checkVerifierOptions, verifyRequest, type NestokenContext, type NestokenVerifierOptions } from './verify-request.js';

/** A request the middleware has verified: `req.nestoken` holds the proven path. */
export type NestokenRequest = IncomingMessage & { readonly nestoken: NestokenContext };
/** A request handler that receives verified requests only. */
export type NestokenHandler = (req: NestokenRequest, res: ServerResponse) => void | Promise<void>;

/** Called with every refusal and every fault before the answer goes out: for logs and metrics. Its own failures are ignored. */
export type NestokenErrorHook = (error: unknown, request: IncomingMessage | Request) => void;

export interface NestokenServiceOptions extends NestokenVerifierOptions, ProblemOptions {
  readonly onError?: NestokenErrorHook;
}

/** Tells the hook, never letting the hook change the answer. */
export function report(options: { readonly onError?: NestokenErrorHook }, error: unknown, request: IncomingMessage | Request): void {
  try {
    options.onError?.(error, request);
  } catch {
    // A logging hook that throws must not turn a refusal into something else.
  }
}

/** Writes the refusal (spec §11.5) as RFC 9457 problem details. */
export function sendNestokenError(res: ServerResponse, error: unknown, options: ProblemOptions = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { status, headers, body } = problemFor(error, options);
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Connect / Express style: `app.use(nestokenMiddleware(options))`; the handler reads `req.nestoken`. */
export function nestokenMiddleware(options: NestokenServiceOptions): (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void {
  checkVerifierOptions(options);
  return (req, res, next) => {
    verifyRequest(req, options).then(
      (context) => {
        (req as { nestoken?: NestokenContext }).nestoken = context;
        next();
      },
      (error: unknown) => {
        report(options, error, req);
        sendNestokenError(res, error, options);
      },
    );
  };
}

/** For a bare `http.createServer`: verifies, then runs `handler` with `req.nestoken` set. */
export function withNestoken(options: NestokenServiceOptions, handler: NestokenHandler): (req: IncomingMessage, res: ServerResponse) => void {
  const middleware = nestokenMiddleware(options);
  return (req, res) => {
    middleware(req, res, () => {
      // A handler that throws must not take the server down with an unhandled rejection.
      Promise.resolve()
        .then(() => handler(req as NestokenRequest, res))
        .catch((error: unknown) => {
          report(options, error, req);
          if (res.headersSent) res.destroy();
          else {
            const text = JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'the handler failed', code: 'internal' });
            res.writeHead(500, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(text) });
            res.end(text);
          }
        });
    });
  };
}
