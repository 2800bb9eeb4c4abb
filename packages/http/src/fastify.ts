import type { IncomingMessage } from 'node:http';
import { problemFor } from './problem.js';
import { report, type NestokenServiceOptions } from './middleware.js';
import { checkVerifierOptions, verifyRequest, type NestokenContext } from './verify-request.js';

/** The little of Fastify the plugin uses, so the package needs no Fastify at run time. */
export interface FastifyLike {
  /** Declares `request.nestoken` before any request carries it. */
  decorateRequest(name: string, value: unknown): unknown;
  /** Runs the check on every request before its route. */
  addHook(name: 'onRequest', hook: (request: { raw: IncomingMessage; nestoken?: NestokenContext }, reply: ReplyLike) => Promise<unknown>): unknown;
}

/** The few members of a Fastify reply the plugin uses to answer a refused request. */
export interface ReplyLike {
  /** Sets the status of the refusal. */
  code(status: number): ReplyLike;
  /** Sets the problem-details content type. */
  headers(values: Record<string, string>): ReplyLike;
  /** Sends the problem details and ends the request. */
  send(body: string): unknown;
}

/**
 * A Fastify plugin: `app.register(fastifyNestoken, options)`; every route then sees
 * `request.nestoken`, and a refused request gets problem details (spec §11.5). It reads the
 * raw request (`request.raw.rawHeaders`), so duplicate lines are counted, never merged.
 */
export const fastifyNestoken = Object.assign(
  async function fastifyNestoken(fastify: FastifyLike, options: NestokenServiceOptions): Promise<void> {
    checkVerifierOptions(options);
    fastify.decorateRequest('nestoken', null);
    fastify.addHook('onRequest', async (request, reply) => {
      try {
        request.nestoken = await verifyRequest(request.raw, options);
      } catch (error) {
        report(options, error, request.raw);
        const { status, headers, body } = problemFor(error, options);
        return reply.code(status).headers({ ...headers }).send(JSON.stringify(body));
      }
      return undefined;
    });
  },
  // What fastify-plugin sets: the hook applies to the scope that registers the plugin, not only to a child.
  { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'nestoken' },
);
