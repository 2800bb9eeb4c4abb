import {
  NestokenError,
  thumbprintOf,
  verify,
  verifyIdentityDocument,
  type ChainMode,
  type Limits,
  type ProvenPath,
  type PublicKey,
  type PathPolicy,
  type RevocationCheck,
  type SigningKey,
  type TrustBundle,
} from '@nestoken/core';
import { fromCompact, verifyCrate, type Crate, type CrateLimits, type CrateReport } from '@nestoken/crate';
import type { TxnTokenClaims } from '@nestoken/oauth';
import { boundCrate, checkRequestBinding, serverTarget } from './binding.js';
import { checkRequestTxnToken, type RequestTxnTokenOptions } from './txn-token-check.js';
import {
  NESTOKEN_CRATE_HEADER,
  NESTOKEN_HEADER,
  WORKLOAD_IDENTITY_TOKEN_HEADER,
  readHeader,
  resolveHeaderLimits,
  type HeaderLimits,
  type RequestHeaders,
} from './headers.js';

export interface NestokenVerifierOptions {
  readonly trust: TrustBundle;
  /** This service's key: an ID-mode chain must name it as the last audience. */
  readonly key: PublicKey | SigningKey;
  /** This service's workload identity: when set, the last layer's `aud` must contain it. Required for anonymous and hybrid chains. */
  readonly identity?: string;
  /** Chain modes accepted; default `['id']`. */
  readonly modes?: readonly ChainMode[];
  /** Identities allowed to start a chain; default: any signer the bundle trusts. */
  readonly issuers?: readonly string[];
  readonly requireSealed?: boolean;
  readonly isRevoked?: RevocationCheck;
  /** Seconds; default 60. */
  readonly clockSkew?: number;
  /** Seconds since the epoch; default: the clock. */
  readonly now?: () => number;
  readonly limits?: Partial<Limits>;
  readonly headerLimits?: Partial<HeaderLimits>;
  readonly crateLimits?: Partial<CrateLimits>;
  /** Identities accepted as crate attesters; default: any the bundle accepts. */
  readonly attesters?: readonly string[];
  /** Refuse a request without a crate when its chain names one; default false: a hop may drop the crate. */
  readonly requireCrate?: boolean;
  /** Refuse a token whose last layer does not name this request's method and path; default true. */
  readonly requireRequestBinding?: boolean;
  /** Rules the proven path must follow (spec §7.10). */
  readonly pathPolicy?: PathPolicy;
  /** When set, a `Txn-Token` header is required, verified with these settings, and must be the one the chain is bound to (spec §12.5). */
  readonly txnToken?: RequestTxnTokenOptions;
}

export interface VerifiedCrate {
  readonly crate: Crate;
  readonly report: CrateReport;
  /** Index of the hop whose layer names this crate's root. */
  readonly boundBy: number;
}

/** What a handler learns about its request. */
export interface NestokenContext {
  /** The token as received. */
  readonly token: string;
  readonly path: ProvenPath;
  /** The immediate caller, when it sent its identity document and signed the last layer with that key. */
  readonly caller?: { readonly identity: string; readonly keyThumbprint: string };
  readonly crate?: VerifiedCrate;
  /** The verified Txn-Token's claims, when the service checks Txn-Tokens. */
  readonly txnToken?: TxnTokenClaims;
}

const AGGREGATE: readonly ChainMode[] = ['anon', 'hybrid'];

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
  resolveHeaderLimits(options.headerLimits);
}

function lastHopAddressedToMe(path: ProvenPath, key: PublicKey | SigningKey): void {
  const last = path.hops[path.hops.length - 1]!;
  if (path.mode === 'id' && last.audienceKey !== thumbprintOf(key)) {
    throw new NestokenError('ERR_AUDIENCE_MISMATCH', 'the token was handed to another key', { layer: last.index });
  }
}

async function callerOf(document: string, path: ProvenPath, options: NestokenVerifierOptions, now: number): Promise<NestokenContext['caller']> {
  const doc = await verifyIdentityDocument(document, options.trust, { now, clockSkew: options.clockSkew ?? 60 });
  const last = path.hops[path.hops.length - 1]!;
  if (last.anonymous) throw new NestokenError('ERR_IDENTITY_DOCUMENT', `${WORKLOAD_IDENTITY_TOKEN_HEADER} names a caller, but the last hop is anonymous`);
  if (doc.confirmation.thumbprint !== last.keyThumbprint || doc.identity !== last.identity) {
    throw new NestokenError('ERR_IDENTITY_DOCUMENT', `${WORKLOAD_IDENTITY_TOKEN_HEADER} names another workload than the one that signed the last layer`);
  }
  return { identity: doc.identity, keyThumbprint: doc.confirmation.thumbprint };
}

async function crateOf(text: string | undefined, path: ProvenPath, options: NestokenVerifierOptions, now: number): Promise<VerifiedCrate | undefined> {
  const bound = boundCrate(path);
  if (text === undefined) {
    if (bound && options.requireCrate) throw new NestokenError('ERR_CRATE_MISSING', `the chain names crate ${bound.root} but none was sent`);
    return undefined;
  }
  if (!bound) throw new NestokenError('ERR_CRATE_UNBOUND', 'a crate was sent but no hop of the chain names it');
  const crate = fromCompact(text, options.crateLimits);
  // Trimming keeps the root CID, so a trimmed crate still matches; any added or changed node does not.
  if (crate.root.toString() !== bound.root) {
    throw new NestokenError('ERR_CRATE_UNBOUND', `the crate's root is ${crate.root.toString()}, the chain names ${bound.root}`, { layer: bound.hop });
  }
  const report = await verifyCrate(crate, {
    trust: options.trust,
    now,
    ...(options.clockSkew !== undefined ? { clockSkew: options.clockSkew } : {}),
    ...(options.attesters ? { attesters: options.attesters } : {}),
    ...(options.crateLimits ? { limits: options.crateLimits } : {}),
    tokens: { ...(options.isRevoked ? { isRevoked: options.isRevoked } : {}), ...(options.limits ? { limits: options.limits } : {}) },
  });
  return { crate, report, boundBy: bound.hop };
}

/**
 * Everything the middleware checks, as a function of the request's method, path and headers.
 * Every header is bounded before it is decoded; every failure is a NestokenError.
 */
export async function verifyRequest(request: RequestHeaders, options: NestokenVerifierOptions): Promise<NestokenContext> {
  const limits = resolveHeaderLimits(options.headerLimits);
  const token = readHeader(request, NESTOKEN_HEADER, limits.maxTokenChars);
  const crateText = readHeader(request, NESTOKEN_CRATE_HEADER, limits.maxCrateChars);
  const document = readHeader(request, WORKLOAD_IDENTITY_TOKEN_HEADER, limits.maxIdentityDocumentChars);
  if (token === undefined || token.trim() === '') throw new NestokenError('ERR_TOKEN_MISSING', `no ${NESTOKEN_HEADER} header`);

  const now = options.now ? options.now() : Math.floor(Date.now() / 1000);
  const path = await verify(token, {
    trust: options.trust,
    now,
    modes: options.modes ?? ['id'],
    ...(options.identity !== undefined ? { audienceIdentity: options.identity } : {}),
    ...(options.issuers ? { issuers: options.issuers } : {}),
    ...(options.clockSkew !== undefined ? { clockSkew: options.clockSkew } : {}),
    ...(options.isRevoked ? { isRevoked: options.isRevoked } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.requireSealed !== undefined ? { requireSealed: options.requireSealed } : {}),
    ...(options.pathPolicy !== undefined ? { pathPolicy: options.pathPolicy } : {}),
  });
  lastHopAddressedToMe(path, options.key);
  checkRequestBinding(path, serverTarget(request.method, request.url), options.requireRequestBinding ?? true);
  const caller = document === undefined ? undefined : await callerOf(document, path, options, now);
  const crate = await crateOf(crateText, path, options, now);
  const txnToken = options.txnToken ? await checkRequestTxnToken(request, path, options.txnToken, { now, ...(options.clockSkew !== undefined ? { clockSkew: options.clockSkew } : {}) }) : undefined;
  return { token, path, ...(caller ? { caller } : {}), ...(crate ? { crate } : {}), ...(txnToken ? { txnToken } : {}) };
}
