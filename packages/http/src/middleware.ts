import type { IncomingMessage, ServerResponse } from 'node:http';
import { NestokenError } from '@nestoken/core';
import { sendJson } from './json-response.js';
import { checkVerifierOptions, verifyRequest, type NestokenContext, type NestokenVerifierOptions } from './verify-request.js';

/** A request the middleware has verified: `req.nestoken` holds the proven path. */
export type NestokenRequest = IncomingMessage & { readonly nestoken: NestokenContext };
/** A request handler that receives verified requests only. */
export type NestokenHandler = (req: NestokenRequest, res: ServerResponse) => void | Promise<void>;

/** The body of every refusal: the stable code a client can act on, and the layer at fault when there is one. */
export interface NestokenErrorBody {
  readonly error: string;
  readonly message: string;
  readonly layer?: number;
}

/** 401 with the NestokenError's code; anything else is a bug of ours and says nothing about the request. */
export function sendNestokenError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (!(error instanceof NestokenError)) {
    sendJson(res, 500, { error: 'internal', message: 'the verifier failed' });
    return;
  }
  const body: NestokenErrorBody = { error: error.code, message: error.message, ...(error.layer !== undefined ? { layer: error.layer } : {}) };
  sendJson(res, 401, body, { 'www-authenticate': `Nestoken error="${error.code}"` });
}

/** Connect / Express style: `app.use(nestokenMiddleware(options))`; the handler reads `req.nestoken`. */
export function nestokenMiddleware(options: NestokenVerifierOptions): (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void {
  checkVerifierOptions(options);
  return (req, res, next) => {
    verifyRequest(req, options).then(
      (context) => {
        (req as { nestoken?: NestokenContext }).nestoken = context;
        next();
      },
      (error: unknown) => sendNestokenError(res, error),
    );
  };
}

/** For a bare `http.createServer`: verifies, then runs `handler` with `req.nestoken` set. */
export function withNestoken(options: NestokenVerifierOptions, handler: NestokenHandler): (req: IncomingMessage, res: ServerResponse) => void {
  const middleware = nestokenMiddleware(options);
  return (req, res) => {
    middleware(req, res, () => {
      // A handler that throws must not take the server down with an unhandled rejection.
      Promise.resolve()
        .then(() => handler(req as NestokenRequest, res))
        .catch(() => {
          if (res.headersSent) res.destroy();
          else sendJson(res, 500, { error: 'internal', message: 'the handler failed' });
        });
    });
  };
}
