export {
  NESTOKEN_HEADER,
  NESTOKEN_CRATE_HEADER,
  WORKLOAD_IDENTITY_TOKEN_HEADER,
  DEFAULT_HEADER_LIMITS,
  type HeaderLimits,
  type RequestHeaders,
  type HeaderReader,
} from './headers.js';
export { REQUEST_MEMBER, CRATE_MEMBER, boundCrate, type RequestTarget } from './binding.js';
export { verifyRequest, type NestokenVerifierOptions, type NestokenContext, type VerifiedCrate, type AnonymousLastHop } from './verify-request.js';
export {
  withNestoken,
  nestokenMiddleware,
  sendNestokenError,
  type NestokenRequest,
  type NestokenHandler,
  type NestokenServiceOptions,
  type NestokenErrorHook,
} from './middleware.js';
export { problemFor, type NestokenProblem, type ProblemStatus, type ProblemOptions, type ProblemAnswer } from './problem.js';
export { verifyFetchRequest, withNestokenFetch, problemResponse, type NestokenFetchHandler } from './fetch.js';
export { fastifyNestoken, type FastifyLike, type ReplyLike } from './fastify.js';
export { nestokenAttributes } from './attributes.js';
export { nestokenHop, nestokenFetch, type NestokenHopOptions, type NestokenHop, type NestokenFetchOptions } from './client.js';
export {
  WORKLOAD_PROOF_TOKEN_HEADER,
  WPT_TYP,
  signWorkloadProof,
  checkWorkloadProof,
  proofAudience,
  type WorkloadProofClaims,
  type ProofSubject,
  type ProofCheck,
} from './proof/wpt.js';
export type { ConfirmationKey } from './proof/confirmation-key.js';
export { tokenHash } from './proof/token-hash.js';
export { verifyWorkloadProof, type WorkloadProofOptions, type ProvenCaller } from './proof/verify-proof.js';
export { MemoryReplayCache, type ReplayCache, type MemoryReplayCacheOptions } from './replay-cache.js';
export { NESTOKEN_SCALAR_HEADER, reopenChain } from './aggregate/scalar-transport.js';
export { workloadProof, type WorkloadProofInput } from './proof/make-proof.js';
export { checkRequestTxnToken, type RequestTxnTokenOptions } from './txn-token-check.js';
export { TXN_TOKEN_HEADER } from '@nestoken/oauth';
