import { boundCrate as boundCrate_ } from './binding.js';
import { verifyRequest as verifyRequest_ } from './verify-request.js';
import { withNestoken as withNestoken_ } from './middleware.js';
import { nestokenMiddleware as nestokenMiddleware_ } from './middleware.js';
import { sendNestokenError as sendNestokenError_ } from './middleware.js';
import { problemFor as problemFor_ } from './problem.js';
import { verifyFetchRequest as verifyFetchRequest_ } from './fetch.js';
import { withNestokenFetch as withNestokenFetch_ } from './fetch.js';
import { problemResponse as problemResponse_ } from './fetch.js';
import { fastifyNestoken as fastifyNestoken_ } from './fastify.js';
import { nestokenAttributes as nestokenAttributes_ } from './attributes.js';
import { nestokenHop as nestokenHop_ } from './client.js';
import { nestokenFetch as nestokenFetch_ } from './client.js';
import { receivedToken as receivedToken_ } from './caller-document.js';
import { signWorkloadProof as signWorkloadProof_ } from './proof/wpt.js';
import { checkWorkloadProof as checkWorkloadProof_ } from './proof/wpt.js';
import { proofAudience as proofAudience_ } from './proof/wpt.js';
import { tokenHash as tokenHash_ } from './proof/token-hash.js';
import { verifyWorkloadProof as verifyWorkloadProof_ } from './proof/verify-proof.js';
import { reopenChain as reopenChain_ } from './aggregate/scalar-transport.js';
import { workloadProof as workloadProof_ } from './proof/make-proof.js';
import { checkRequestTxnToken as checkRequestTxnToken_ } from './txn-token-check.js';
import { usageBoundary } from '@nestoken/core';

export { NESTOKEN_HEADER, NESTOKEN_CRATE_HEADER, WORKLOAD_IDENTITY_TOKEN_HEADER, DEFAULT_HEADER_LIMITS, type HeaderLimits, type RequestHeaders, type HeaderReader } from './headers.js';
export { REQUEST_MEMBER, CRATE_MEMBER, type RequestTarget } from './binding.js';
export { type NestokenVerifierOptions, type NestokenContext, type VerifiedCrate, type AnonymousLastHop } from './verify-request.js';
export { type NestokenRequest, type NestokenHandler, type NestokenServiceOptions, type NestokenErrorHook } from './middleware.js';
export { type NestokenProblem, type ProblemStatus, type ProblemOptions, type ProblemAnswer } from './problem.js';
export { type NestokenFetchHandler } from './fetch.js';
export { type FastifyLike, type ReplyLike } from './fastify.js';

export { type NestokenHopOptions, type NestokenHop, type NestokenFetchOptions } from './client.js';
export { WORKLOAD_PROOF_TOKEN_HEADER, WPT_TYP, type WorkloadProofClaims, type ProofSubject, type ProofCheck } from './proof/wpt.js';
/** The key a verified WIT confirms, with the algorithm a proof of possession names: core's (one type for both). */
export type { ConfirmationKey } from '@nestoken/core';

export { type WorkloadProofOptions, type ProvenCaller } from './proof/verify-proof.js';
export { MemoryReplayCache, type ReplayCache, type MemoryReplayCacheOptions } from './replay-cache.js';
export { NESTOKEN_SCALAR_HEADER } from './aggregate/scalar-transport.js';
export { type WorkloadProofInput } from './proof/make-proof.js';
export { type RequestTxnTokenOptions } from './txn-token-check.js';
export { TXN_TOKEN_HEADER } from '@nestoken/oauth';

// Functions: each behind core's usage boundary (spec §2.7); documented where it is defined.
/** The crate root named by the latest hop that names one: the crate state the chain vouches for. */
export const boundCrate = usageBoundary('boundCrate', boundCrate_);
/**
 * Everything the middleware checks, as a function of the request's method, target and
 * headers (spec §11.2). Every header is bounded before it is decoded; every failure is a
 * NestokenError.
 */
export const verifyRequest = usageBoundary('verifyRequest', verifyRequest_);
/** For a bare `http.createServer`: verifies, then runs `handler` with `req.nestoken` set. */
export const withNestoken = usageBoundary('withNestoken', withNestoken_);
/** Connect / Express style: `app.use(nestokenMiddleware(options))`; the handler reads `req.nestoken`. */
export const nestokenMiddleware = usageBoundary('nestokenMiddleware', nestokenMiddleware_);
/** Writes the refusal (spec §11.5) as RFC 9457 problem details. */
export const sendNestokenError = usageBoundary('sendNestokenError', sendNestokenError_);
/**
 * The answer to a refused request (spec §11.5): RFC 9457 problem details, the status by
 * kind of failure, and a challenge naming the code. Anything that is not a NestokenError is a
 * fault of the service and is answered 500 with nothing of the failure in it.
 */
export const problemFor = usageBoundary('problemFor', problemFor_);
/**
 * The WHATWG Fetch API side (Hono, Cloudflare Workers, Deno, Bun, route handlers). A
 * `Request`'s `Headers` has already joined repeated field lines with ", "; the binding's values
 * never hold a comma, so such a join is refused (spec §11.1).
 */
export const verifyFetchRequest = usageBoundary('verifyFetchRequest', verifyFetchRequest_);
/** `(request) => Response` that verifies first: `export default { fetch: withNestokenFetch(options, handler) }`. */
export const withNestokenFetch = usageBoundary('withNestokenFetch', withNestokenFetch_);
/** The refusal as a Fetch `Response`: RFC 9457 problem details (spec §11.5). */
export const problemResponse = usageBoundary('problemResponse', problemResponse_);
/**
 * A Fastify plugin: `app.register(fastifyNestoken, options)`; every route then sees
 * `request.nestoken`, and a refused request gets problem details (spec §11.5). It reads the
 * raw request (`request.raw.rawHeaders`), so duplicate lines are counted, never merged.
 */
export const fastifyNestoken = usageBoundary('fastifyNestoken', fastifyNestoken_);
/**
 * The proven path as span attributes for tracing, named in the OpenTelemetry manner (a
 * `nestoken.` namespace, dotted lower-case keys, primitive or homogeneous array values), so
 * `span.setAttributes(nestokenAttributes(ctx))` records who the request came through.
 */
export const nestokenAttributes = usageBoundary('nestokenAttributes', nestokenAttributes_);
/**
 * Extends the token with this service's layer, made for exactly this request (method and path)
 * and naming the next hop, and returns the headers that carry it.
 */
export const nestokenHop = usageBoundary('nestokenHop', nestokenHop_);
/** `fetch`, with the token extended for the next hop and sent (and the crate beside it) in headers. */
export const nestokenFetch = usageBoundary('nestokenFetch', nestokenFetch_);
/**
 * The token the service called with a hop holds once it accepted it (its `req.nestoken.token`):
 * the sender's WIT, sent once in `Workload-Identity-Token`, back in the token's documents
 * (spec §11.1). For tests and tools that play both sides.
 */
export const receivedToken = usageBoundary('receivedToken', receivedToken_);
/** Signs a WPT: header `{"alg", "typ": "wpt+jwt"}`, claims with members in sorted order. */
export const signWorkloadProof = usageBoundary('signWorkloadProof', signWorkloadProof_);
/**
 * Checks a WPT against the key its WIT confirms and the request it came with
 * (draft-ietf-wimse-wpt §3, spec §11.7): typed `wpt+jwt`, `alg` equal to the WIT's `cnf.jwk.alg`,
 * signed by that key, addressed to this target, short-lived and unexpired, and every hash
 * recomputed: `wth`, `ath` / `tth` whenever those tokens are present (and never when absent),
 * and `oth`, whose every entry must be one the receiver covers and every covered header must
 * be in it. Returns the claims; the replay check is the caller's.
 */
export const checkWorkloadProof = usageBoundary('checkWorkloadProof', checkWorkloadProof_);
/** The WPT `aud` for a URL: its target URI without query or fragment. */
export const proofAudience = usageBoundary('proofAudience', proofAudience_);
/**
 * The hash every WPT claim over another token uses (`wth`, `ath`, `tth`, `oth` values):
 * base64url of SHA-256 over the ASCII bytes of the value, leading and trailing spaces removed.
 */
export const tokenHash = usageBoundary('tokenHash', tokenHash_);
/**
 * Proof of possession for one request (spec §11.7): the caller's WIT verified under the
 * bundle, the WPT checked against the key it confirms and against this request, and its
 * `jti` recorded so the same proof is never accepted twice (§11.8). Usable alone, for plain
 * WIMSE requests; the nestoken middleware runs it as one of its steps.
 */
export const verifyWorkloadProof = usageBoundary('verifyWorkloadProof', verifyWorkloadProof_);
/** The sealed chain received, opened again with the scalar that was encrypted to `me`: the token this service extends. */
export const reopenChain = usageBoundary('reopenChain', reopenChain_);
/**
 * The Workload Proof Token for one request (spec §11.7): for this target URI, with a fresh
 * 128-bit `jti`, binding the WIT (`wth`), the nestoken headers (`oth`) and any `Authorization`
 * / `Txn-Token` sent. For a hop, the key is also the one that signed its layer.
 */
export const workloadProof = usageBoundary('workloadProof', workloadProof_);
/**
 * The `Txn-Token` header: one Txn-Token, verified against the service keys and bound to the
 * chain by its root (spec §12.3). Absent when required is ERR_TOKEN_MISSING.
 */
export const checkRequestTxnToken = usageBoundary('checkRequestTxnToken', checkRequestTxnToken_);
