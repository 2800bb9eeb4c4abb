import { problemFor, type ProblemOptions } from './problem.js';
import { report, type NestokenServiceOptions } from './middleware.js';
import { checkVerifierOptions, verifyRequest, type NestokenContext, type NestokenVerifierOptions } from './verify-request.js';

/**
 * The WHATWG Fetch API side (Hono, Cloudflare Workers, Deno, Bun, route handlers). A
 * `Request`'s `Headers` has already joined repeated field lines with ", "; the binding's values
 * never hold a comma, so such a join is refused (spec §11.1).
 */
export function verifyFetchRequest(request: Request, options: NestokenVerifierOptions): Promise<NestokenContext> {
  const url = new URL(request.url);
  const headersDistinct: Record<string, string[]> = {};
  request.headers.forEach((value, name) => {
    headersDistinct[name] = [value];
  });
  return verifyRequest({ method: request.method, url: `${url.pathname}${url.search}`, origin: url.origin, headersDistinct }, options);
}

/** The refusal as a Fetch `Response`: RFC 9457 problem details (spec §11.5). */
export function problemResponse(error: unknown, options: ProblemOptions = {}): Response {
  const { status, headers, body } = problemFor(error, options);
  return new Response(JSON.stringify(body), { status, headers });
}

/** The handler `withNestokenFetch` calls once a request is verified, with the verified nestoken context beside the request. */
export type NestokenFetchHandler = (request: Request, context: NestokenContext) => Response | Promise<Response>;

/** `(request) => Response` that verifies first: `export default { fetch: withNestokenFetch(options, handler) }`. */
export function withNestokenFetch(options: NestokenServiceOptions, handler: NestokenFetchHandler): (request: Request) => Promise<Response> {
  checkVerifierOptions(options);
  return async (request) => {
    let context: NestokenContext;
    try {
      context = await verifyFetchRequest(request, options);
    } catch (error) {
      report(options, error, request);
      return problemResponse(error, options);
    }
    return handler(request, context);
  };
}
