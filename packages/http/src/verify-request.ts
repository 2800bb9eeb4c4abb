import {
  NestokenError,
  thumbprintOf,
  verify,
  type ChainMode,
  type Limits,
  type PathPolicy,
  type ProvenPath,
  type PublicKey,
  type RevocationCheck,
  type SigningKey,
} from '@nestoken/core';
import type { CrateLimits } from '@nestoken/crate';
import { NESTOKEN_SCALAR_HEADER, reopenChain } from './aggregate/scalar-transport.js';
import type { TxnTokenClaims } from '@nestoken/oauth';
import { checkRequestTxnToken, type RequestTxnTokenOptions } from './txn-token-check.js';
import { checkRequestBinding, serverTarget } from './binding.js';
import { requestCrate, type VerifiedCrate } from './crate-check.js';
import { withCallerDocument } from './caller-document.js';
import { idOf, SharedResults } from './shared-results.js';
import { callHook, DEFAULT_HOOK_TIMEOUT_MS } from '@nestoken/core';
import { headerReader, NESTOKEN_CRATE_HEADER, NESTOKEN_HEADER, resolveHeaderLimits, WORKLOAD_IDENTITY_TOKEN_HEADER, type RequestHeaders } from './headers.js';
import { presentedProof, replayCacheOf, verifyWorkloadProof, type WorkloadProofOptions } from './proof/verify-proof.js';

/**
 * What a service accepts when the last hop is anonymous (spec §11.9). No WPT can prove an
 * anonymous sender, so: `refuse` (default); `sealed`: only a sealed chain, whose last link
 * then cannot be re-addressed, once (its digest goes into the replay cache); `bearer`: any,
 * open chains included, which whoever saw the token can extend and address anywhere.
 */
export type AnonymousLastHop = 'refuse' | 'sealed' | 'bearer';

/** How the middleware verifies a request: trust, proofs, the receiving identity and key, policy. */
export interface NestokenVerifierOptions extends WorkloadProofOptions {
  /** This service's key: an ID-mode chain must name it as the last audience. */
  readonly key: PublicKey | SigningKey;
  /** This service's workload identity: when set, the last layer's `aud` must contain it. Required for anonymous and hybrid chains. */
  readonly identity?: string;
  /** Chain modes accepted; default `['id']`. */
  readonly modes?: readonly ChainMode[];
  /** Identities allowed to start a chain; default: any signer the bundle trusts. */
  readonly issuers?: readonly string[];
  readonly requireSealed?: boolean;
  /** Called for every layer; runs under `hookTimeoutMs` and fails closed. */
  readonly isRevoked?: RevocationCheck;
  readonly limits?: Partial<Limits>;
  readonly crateLimits?: Partial<CrateLimits>;
  /** Identities accepted as crate attesters; default: any the bundle accepts. */
  readonly attesters?: readonly string[];
  /** Refuse a request without a crate when its chain names one; default false: a hop may drop the crate. */
  readonly requireCrate?: boolean;
  /** Refuse a token whose last layer does not name this request's method and path; default true. */
  readonly requireRequestBinding?: boolean;
  /** Accept an identified last hop that sends no WIT and WPT (replayable, §11.6); default false. */
  readonly acceptUnprovenRequests?: boolean;
  /** Default `refuse`. */
  readonly anonymousLastHop?: AnonymousLastHop;
  /** Rules the proven path must follow (spec §7.10). */
  readonly pathPolicy?: PathPolicy;
  /** When set, a `Txn-Token` header is required, verified with these settings, and must be the one the chain is bound to (spec §12.5). */
  readonly txnToken?: RequestTxnTokenOptions;
}

/** What a handler learns about its request. */
export interface NestokenContext {
  /**
   * The token to extend: as received, or, for an aggregate chain whose scalar came encrypted
   * to this service (`Nestoken-Scalar`), the chain opened again with it.
   */
  readonly token: string;
  readonly path: ProvenPath;
  /** The immediate caller, proven by its WIT and a WPT signed with the key of the last layer. */
  readonly caller?: { readonly identity: string; readonly keyThumbprint: string };
  readonly crate?: VerifiedCrate;
  /** The verified Txn-Token's claims, when the service checks Txn-Tokens. */
  readonly txnToken?: TxnTokenClaims;
}

export type { VerifiedCrate };

const AGGREGATE: readonly ChainMode[] = ['anon', 'hybrid'];
const ANONYMOUS_POLICIES: readonly AnonymousLastHop[] = ['refuse', 'sealed', 'bearer'];

/** Checks options once, when a service is set up, rather than on every request. */
export function checkVerifierOptions(options: NestokenVerifierOptions): void {
  if (!options || typeof options !== 'object' || !options.trust) throw new NestokenError('ERR_USAGE', 'a nestoken verifier needs a trust bundle');
  if (!options.key || typeof options.key !== 'object') throw new NestokenError('ERR_USAGE', 'a nestoken verifier needs the service key');
  thumbprintOf(options.key);
  const modes = options.modes ?? ['id'];
  if (modes.some((m) => AGGREGATE.includes(m)) && !options.identity) {
    // An aggregate link names no key: without an audience identity anything addressed anywhere would pass.
    throw new NestokenError('ERR_USAGE', 'accepting anonymous or hybrid chains needs the service identity as audience');
  }
  if (options.anonymousLastHop !== undefined && !ANONYMOUS_POLICIES.includes(options.anonymousLastHop)) {
    throw new NestokenError('ERR_USAGE', `anonymousLastHop must be one of ${ANONYMOUS_POLICIES.join(', ')}`);
  }
  const timeout = options.hookTimeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS;
  if (!Number.isSafeInteger(timeout) || timeout < 1) throw new NestokenError('ERR_USAGE', 'hookTimeoutMs must be a positive integer');
  resolveHeaderLimits(options.headerLimits);
}

function lastHopAddressedToMe(path: ProvenPath, key: PublicKey | SigningKey): void {
  const last = path.hops[path.hops.length - 1]!;
  if (path.mode === 'id' && last.audienceKey !== thumbprintOf(key)) {
    throw new NestokenError('ERR_AUDIENCE_MISMATCH', 'the token was handed to another key', { layer: last.index });
  }
}

/** An identified last hop proves, per request, that it holds the key that signed the last layer. */
async function provenCaller(request: RequestHeaders, read: ReturnType<typeof headerReader>, path: ProvenPath, options: NestokenVerifierOptions): Promise<NestokenContext['caller']> {
  const last = path.hops[path.hops.length - 1]!;
  const limits = resolveHeaderLimits(options.headerLimits);
  const sent = read(WORKLOAD_IDENTITY_TOKEN_HEADER, limits.maxIdentityDocumentChars) !== undefined || presentedProof(read, limits).wpt !== undefined;
  if (last.anonymous) {
    if (sent) throw new NestokenError('ERR_IDENTITY_DOCUMENT', 'the request names a caller, but the last hop is anonymous');
    const policy = options.anonymousLastHop ?? 'refuse';
    if (policy === 'refuse') throw new NestokenError('ERR_PROOF_MISSING', 'the last hop is anonymous: nothing proves who sent this request', { layer: last.index });
    if (policy === 'sealed') {
      if (!path.sealed) throw new NestokenError('ERR_NOT_SEALED', 'an anonymous last hop is accepted only in a sealed chain', { layer: last.index });
      const cache = replayCacheOf(options);
      const first = await callHook('replay cache', options.hookTimeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS, () => cache.firstUse(`layer ${last.digest}`, path.expiresAt + (options.clockSkew ?? 60)));
      if (first !== true) throw new NestokenError('ERR_PROOF_REPLAYED', 'this sealed chain was already used', { layer: last.index });
    }
    return undefined;
  }
  if (!sent && options.acceptUnprovenRequests) return undefined;
  const caller = await verifyWorkloadProof(request, options, read);
  if (caller.keyThumbprint !== last.keyThumbprint || caller.identity !== last.identity) {
    throw new NestokenError('ERR_IDENTITY_DOCUMENT', `${WORKLOAD_IDENTITY_TOKEN_HEADER} names another workload or key than the one that signed the last layer`, { layer: last.index });
  }
  return { identity: caller.identity, keyThumbprint: caller.keyThumbprint };
}

/**
 * Chains verified by (second, token, caller's WIT). Without a revocation hook, core's verify is a function
 * of the token, the second and the verifier options alone, so an entry is the answer verifying
 * again would give: a flow that sends the same chain many times a second has it checked once
 * a second. Each request's own proof is checked every time. With a revocation hook every
 * request asks the hook again, so nothing is kept.
 */
const verifiedChains = new SharedResults<ProvenPath>(64);

function provenPath(token: string, wit: string | undefined, options: NestokenVerifierOptions, isRevoked: RevocationCheck | undefined, now: number, check: () => Promise<ProvenPath>): Promise<ProvenPath> {
  // The WIT beside the token is part of what was verified (its last layer's document, spec §11.1).
  return isRevoked ? check() : verifiedChains.get(options, token, `${now} ${idOf(options.trust)} ${wit ?? ''}`, check);
}

/** The revocation hook, under the hook timeout and failing closed. */
const guardedRevocation = (options: NestokenVerifierOptions): RevocationCheck | undefined => {
  const hook = options.isRevoked;
  if (!hook) return undefined;
  const ms = options.hookTimeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS;
  return (query) => callHook('revocation hook', ms, () => hook(query));
};

/**
 * Everything the middleware checks, as a function of the request's method, target and
 * headers (spec §11.2). Every header is bounded before it is decoded; every failure is a
 * NestokenError.
 */
export async function verifyRequest(request: RequestHeaders, options: NestokenVerifierOptions): Promise<NestokenContext> {
  const limits = resolveHeaderLimits(options.headerLimits);
  const read = headerReader(request, limits);
  const token = read(NESTOKEN_HEADER, limits.maxTokenChars);
  const crateText = read(NESTOKEN_CRATE_HEADER, limits.maxCrateChars);
  if (token === undefined || token === '') throw new NestokenError('ERR_TOKEN_MISSING', `no ${NESTOKEN_HEADER} header`);

  // The caller's WIT is the last layer's document, which the token then leaves out (spec §11.1).
  const wit = read(WORKLOAD_IDENTITY_TOKEN_HEADER, limits.maxIdentityDocumentChars);

  const now = options.now ? options.now() : Math.floor(Date.now() / 1000);
  const isRevoked = guardedRevocation(options);
  const path = await provenPath(token, wit, options, isRevoked, now, () => verify(token, {
    trust: options.trust,
    now,
    modes: options.modes ?? ['id'],
    hookTimeoutMs: options.hookTimeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS,
    // The key audience is checked below for ID chains (an aggregate chain names no key); the identity here when given.
    ...(options.identity !== undefined ? { audienceIdentity: options.identity } : { allowAnyAudience: true }),
    ...(options.issuers ? { issuers: options.issuers } : {}),
    ...(options.clockSkew !== undefined ? { clockSkew: options.clockSkew } : {}),
    ...(isRevoked ? { isRevoked } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.requireSealed !== undefined ? { requireSealed: options.requireSealed } : {}),
    ...(options.pathPolicy !== undefined ? { pathPolicy: options.pathPolicy } : {}),
    ...(wit !== undefined ? { lastLayerDocument: { wit } } : {}),
  }));
  lastHopAddressedToMe(path, options.key);
  checkRequestBinding(path, serverTarget(request.method, request.url), options.requireRequestBinding ?? true);
  const caller = await provenCaller(request, read, path, options);
  const crate = await requestCrate(crateText, path, options, isRevoked, now);
  const scalar = read(NESTOKEN_SCALAR_HEADER, limits.maxProofChars);
  const carried = () => (wit === undefined ? token : withCallerDocument(token, wit, options.limits));
  let extendable = scalar === undefined ? undefined : await reopened(carried(), scalar, path, options);
  const txnToken = options.txnToken ? await checkRequestTxnToken(read, path, options.txnToken, { now, ...(options.clockSkew !== undefined ? { clockSkew: options.clockSkew } : {}) }) : undefined;
  return {
    // Re-encoded only for a handler that extends the token.
    get token() {
      return (extendable ??= carried());
    },
    path,
    ...(caller ? { caller } : {}),
    ...(crate ? { crate } : {}),
    ...(txnToken ? { txnToken } : {}),
  };
}

/** The scalar is only ever sent beside a sealed aggregate chain, to a service that holds its private key. */
async function reopened(token: string, scalar: string, path: ProvenPath, options: NestokenVerifierOptions): Promise<string> {
  if (path.mode === 'id' || !path.sealed) throw new NestokenError('ERR_MALFORMED', `${NESTOKEN_SCALAR_HEADER} comes only beside a sealed aggregate chain`);
  if (!('seed' in options.key)) throw new NestokenError('ERR_USAGE', `${NESTOKEN_SCALAR_HEADER} was sent, but this service was given only its public key`);
  return reopenChain(token, scalar, options.key);
}
