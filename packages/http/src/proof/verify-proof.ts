import { NestokenError, type TrustBundle } from '@nestoken/core';
import { serverTarget } from '../binding.js';
import { callHook, DEFAULT_HOOK_TIMEOUT_MS } from '@nestoken/core';
import { headerReader, NESTOKEN_CRATE_HEADER, NESTOKEN_HEADER, resolveHeaderLimits, WORKLOAD_IDENTITY_TOKEN_HEADER, type HeaderLimits, type HeaderReader, type RequestHeaders } from '../headers.js';
import { MemoryReplayCache, type ReplayCache } from '../replay-cache.js';
import { NESTOKEN_SCALAR_HEADER } from '../aggregate/scalar-transport.js';
import { callerIdentityOf, type CallerIdentity } from './caller-identity.js';
import { checkWorkloadProof, TXN_TOKEN_HEADER, WORKLOAD_PROOF_TOKEN_HEADER, type WorkloadProofClaims } from './wpt.js';

/** Seconds a received proof may live at most (`exp - now`). */
export const DEFAULT_MAX_PROOF_LIFETIME = 60;

/** Options of `verifyWorkloadProof`: the trust bundle the caller's WIT is verified under, the clock, the accepted audience and the replay cache. */
export interface WorkloadProofOptions {
  readonly trust: TrustBundle;
  /** Seconds since the epoch; default: the clock. */
  readonly now?: () => number;
  /** Seconds; default 60. */
  readonly clockSkew?: number;
  /** Seconds; default 60. */
  readonly maxProofLifetime?: number;
  /**
   * This service's origin(s) as callers name it, `https://orders.internal` (the WPT's `aud` is
   * the origin plus the path). Default: the request's own (`Host` with the connection's scheme,
   * or the Fetch request's URL). Set it behind proxies that rewrite `Host`.
   */
  readonly origin?: string | readonly string[];
  /** Where accepted proofs are recorded; default: a bounded in-memory cache per options object. */
  readonly replayCache?: ReplayCache;
  /** Milliseconds each hook (replay cache, revocation) may take; default 2,000. */
  readonly hookTimeoutMs?: number;
  readonly headerLimits?: Partial<HeaderLimits>;
}

/** The caller a proof established. */
export interface ProvenCaller extends CallerIdentity {
  readonly proof: WorkloadProofClaims;
}

/** Headers this binding understands under the WPT's `oth` (draft-ietf-wimse-wpt §3). */
export const PROOF_COVERED_HEADERS = [NESTOKEN_HEADER, NESTOKEN_CRATE_HEADER, NESTOKEN_SCALAR_HEADER].map((h) => h.toLowerCase());

const defaultCaches = new WeakMap<object, ReplayCache>();

export function replayCacheOf(options: WorkloadProofOptions): ReplayCache {
  if (options.replayCache) return options.replayCache;
  let cache = defaultCaches.get(options);
  if (!cache) {
    cache = new MemoryReplayCache(options.now ? { now: options.now } : {});
    defaultCaches.set(options, cache);
  }
  return cache;
}

/** draft-ietf-wimse-wpt-02 §2: `Authorization: WPT <token68>`, the scheme name in any case, one or more spaces. */
const WPT_SCHEME = /^wpt(?: +|$)/i;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Where the request carries its WPT: as the credentials of the `WPT` authentication scheme
 * (draft -02) or in the `Workload-Proof-Token` header field (draft -01 and earlier, what
 * nestoken clients send). Both at once is ambiguous and refused. `authorization` is an
 * `Authorization` value of another scheme, the access token `ath` binds.
 */
export function presentedProof(read: HeaderReader, limits: HeaderLimits): { readonly wpt?: string; readonly authorization?: string } {
  const authorization = read('Authorization', limits.maxProofChars);
  const header = read(WORKLOAD_PROOF_TOKEN_HEADER, limits.maxProofChars);
  if (authorization === undefined || !WPT_SCHEME.test(authorization)) return { ...(header !== undefined ? { wpt: header } : {}), ...(authorization !== undefined ? { authorization } : {}) };
  const credentials = authorization.slice(3).trim();
  if (!TOKEN68.test(credentials)) throw new NestokenError('ERR_PROOF_INVALID', 'Authorization: WPT carries no token68 credentials');
  if (header !== undefined) throw new NestokenError('ERR_MALFORMED', `a WPT came in both Authorization and ${WORKLOAD_PROOF_TOKEN_HEADER}`);
  return { wpt: credentials };
}

function audiencesOf(request: RequestHeaders, options: WorkloadProofOptions, host: string | undefined): string[] {
  const { path } = serverTarget(request.method, request.url);
  const origins = options.origin === undefined ? [request.origin ?? (host ? `${(request as { socket?: { encrypted?: boolean } }).socket?.encrypted ? 'https' : 'http'}://${host}` : undefined)] : [options.origin].flat();
  return origins.filter((o): o is string => typeof o === 'string').map((o) => `${o.replace(/\/+$/, '')}${path}`);
}

/**
 * Proof of possession for one request (spec §11.7): the caller's WIT verified under the
 * bundle, the WPT checked against the key it confirms and against this request, and its
 * `jti` recorded so the same proof is never accepted twice (§11.8). Usable alone, for plain
 * WIMSE requests; the nestoken middleware runs it as one of its steps.
 */
export async function verifyWorkloadProof(request: RequestHeaders, options: WorkloadProofOptions, read = headerReader(request, resolveHeaderLimits(options.headerLimits))): Promise<ProvenCaller> {
  const limits = resolveHeaderLimits(options.headerLimits);
  const wit = read(WORKLOAD_IDENTITY_TOKEN_HEADER, limits.maxIdentityDocumentChars);
  const { wpt, authorization } = presentedProof(read, limits);
  if (wit === undefined || wpt === undefined) {
    throw new NestokenError('ERR_PROOF_MISSING', `the request needs ${WORKLOAD_IDENTITY_TOKEN_HEADER} and a WPT (${WORKLOAD_PROOF_TOKEN_HEADER}, or Authorization: WPT)`);
  }
  const txnToken = read(TXN_TOKEN_HEADER, limits.maxProofChars);
  const covered: Record<string, string> = {};
  const bounds = [limits.maxTokenChars, limits.maxCrateChars, limits.maxProofChars];
  [NESTOKEN_HEADER, NESTOKEN_CRATE_HEADER, NESTOKEN_SCALAR_HEADER].forEach((name, i) => {
    const value = read(name, bounds[i]!);
    if (value !== undefined) covered[PROOF_COVERED_HEADERS[i]!] = value;
  });

  const now = options.now ? options.now() : Math.floor(Date.now() / 1000);
  const clockSkew = options.clockSkew ?? 60;
  const caller = await callerIdentityOf(wit, options.trust, { now, clockSkew });
  const proof = await checkWorkloadProof(
    wpt,
    {
      audience: audiencesOf(request, options, read('Host', 1024)),
      wit,
      ...(authorization !== undefined ? { authorization } : {}),
      ...(txnToken !== undefined ? { txnToken } : {}),
      covered,
    },
    { confirmation: caller.confirmation, ...(caller.key ? { key: caller.key } : {}), now, clockSkew, maxLifetime: options.maxProofLifetime ?? DEFAULT_MAX_PROOF_LIFETIME },
  );
  // Scoped by key: a jti is unique per signer, and one workload cannot use up another's.
  const cache = replayCacheOf(options);
  const first = await callHook('replay cache', options.hookTimeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS, () => cache.firstUse(`wpt ${caller.keyThumbprint} ${proof.jti}`, proof.exp + clockSkew));
  if (first !== true) throw new NestokenError('ERR_PROOF_REPLAYED', 'this Workload-Proof-Token was already used');
  return { ...caller, proof };
}
