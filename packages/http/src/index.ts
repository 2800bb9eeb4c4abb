export {
  NESTOKEN_HEADER,
  NESTOKEN_CRATE_HEADER,
  WORKLOAD_IDENTITY_TOKEN_HEADER,
  DEFAULT_HEADER_LIMITS,
  type HeaderLimits,
  type RequestHeaders,
} from './headers.js';
export { REQUEST_MEMBER, CRATE_MEMBER, boundCrate, type RequestTarget } from './binding.js';
export { verifyRequest, type NestokenVerifierOptions, type NestokenContext, type VerifiedCrate } from './verify-request.js';
export { withNestoken, nestokenMiddleware, sendNestokenError, type NestokenRequest, type NestokenHandler, type NestokenErrorBody } from './middleware.js';
export { nestokenHop, nestokenFetch, type NestokenHopOptions, type NestokenHop, type NestokenFetchOptions } from './client.js';
export { checkRequestTxnToken, type RequestTxnTokenOptions } from './txn-token-check.js';
export { TXN_TOKEN_HEADER } from '@nestoken/oauth';
