import { LAYER_ALGS, type LayerAlg } from '../crypto/algorithms.js';
import type { IdentityDocument } from '../encoding/documents.js';
import { fail } from '../errors.js';
import { thumbprintOf, type PublicKey, type SigningKey } from '../keys.js';
import { MAX_EPOCH_SECONDS, resolveLimits, type Limits } from '../limits.js';
import { checkOptions, checks, describedCheck } from '../options.js';
import type { AggregateVerifier } from '../modes/aggregate.js';
import { isTrustBundle, type TrustBundle } from '../trust/bundle.js';
import { DEFAULT_HOOK_TIMEOUT_MS } from './hooks.js';
import { parsePathPolicy, type PathPolicy } from './path-policy.js';
import type { RevocationCheck } from './policy.js';

/** The mode a verified chain was in. */
export type ChainMode = 'id' | 'anon' | 'hybrid';

/** What `verify` checks a token against: the trust bundle, the time, the audience and policy. */
export interface VerifyOptions {
  readonly trust: TrustBundle;
  /** The verifier's own key (or its RFC 7638 thumbprint): the last layer must name it in `cnf.jkt` (ID mode). */
  readonly audience?: PublicKey | SigningKey | string;
  /** The verifier's identity (e.g. a SPIFFE ID): the last layer's `aud` must contain it. */
  readonly audienceIdentity?: string;
  /**
   * Opt-in: accept a chain addressed to anyone. Without `audience` or `audienceIdentity` this must
   * be given, since then a prefix of a chain, addressed to an earlier hop, verifies too (spec §7.8).
   */
  readonly allowAnyAudience?: boolean;
  /**
   * Identities allowed to start a chain. Default: only a direct signer of the trust bundle;
   * a workload vouched for by an identity document starts a chain only when listed here.
   */
  readonly issuers?: readonly string[];
  /**
   * Opt-in, without `issuers`: a root signer that only an identity document vouches for may
   * start the chain too (for one-layer statements such as crate attestations, which start no call chain).
   */
  readonly allowVouchedIssuer?: boolean;
  /** Whole seconds since the epoch (not milliseconds: above 10^11 is refused); default: the clock. */
  readonly now?: number;
  /** Seconds of tolerance on every time check, at most one day; default 60. */
  readonly clockSkew?: number;
  readonly algorithms?: readonly LayerAlg[];
  readonly modes?: readonly ChainMode[];
  /** Called once per layer (spec §7.7); must answer `true` or `false` within `hookTimeoutMs`. */
  readonly isRevoked?: RevocationCheck;
  /** Milliseconds `isRevoked` may take per layer before verification fails closed (`ERR_REVOKED`, its cause `ERR_HOOK_FAILED`); default 2000. */
  readonly hookTimeoutMs?: number;
  readonly limits?: Partial<Limits>;
  /** Aggregate chains: one multi-scalar multiplication (default) or the hop-by-hop reference. */
  readonly aggregateVerifier?: AggregateVerifier;
  /** Aggregate chains: refuse chains that could still be extended. */
  readonly requireSealed?: boolean;
  /** Verify a crate attestation statement (spec §10.4.2) instead of a token; only the crate package does. */
  readonly use?: 'attestation';
  /** Rules the proven path must follow (spec §7.10), checked last. */
  readonly pathPolicy?: PathPolicy;
  /**
   * The last layer's identity document, when it came beside the token rather than in it (HTTP:
   * the caller's `Workload-Identity-Token`, spec §11.1): it must be the one the last layer names,
   * and not also in the token (spec §4.6.3).
   */
  readonly lastLayerDocument?: IdentityDocument;
}

/** `verify`'s options after step 0: checked, defaults applied, the audience key as a thumbprint. */
export interface ResolvedVerifyOptions extends Omit<VerifyOptions, 'limits' | 'audience'> {
  readonly limits: Limits;
  readonly now: number;
  readonly clockSkew: number;
  readonly hookTimeoutMs: number;
  readonly aggregateVerifier: AggregateVerifier;
  readonly audienceKey?: string;
}

const MAX_CLOCK_SKEW = 86_400;

const VERIFY_OPTIONS = {
  trust: describedCheck('a trust bundle from createTrustBundle', isTrustBundle),
  audience: describedCheck('a key or its thumbprint', (v) => typeof v === 'string' || (typeof v === 'object' && v !== null)),
  audienceIdentity: checks.text,
  allowAnyAudience: checks.boolean,
  issuers: checks.listOf(checks.text),
  allowVouchedIssuer: checks.boolean,
  now: describedCheck('whole seconds since the epoch', (v) => Number.isSafeInteger(v) && (v as number) >= 0),
  clockSkew: checks.whole(0, MAX_CLOCK_SKEW),
  algorithms: checks.listOf(checks.oneOf(...LAYER_ALGS)),
  modes: checks.listOf(checks.oneOf('id', 'anon', 'hybrid')),
  isRevoked: checks.function,
  hookTimeoutMs: checks.whole(1, 600_000),
  limits: checks.object,
  aggregateVerifier: checks.oneOf('msm', 'sequential'),
  requireSealed: checks.boolean,
  use: checks.oneOf('attestation'),
  pathPolicy: checks.object,
  lastLayerDocument: describedCheck('an identity document, { wit } or { x5c }', (v) => typeof v === 'object' && v !== null && ('wit' in v ? typeof v.wit === 'string' : 'x5c' in v && Array.isArray(v.x5c))),
};

/** A string given as `audience` that is no thumbprint is most likely an identity, as jose's `audience` takes one. */
function audienceThumbprint(audience: VerifyOptions['audience']): string {
  if (typeof audience === 'string' && !/^[A-Za-z0-9_-]{43}$/.test(audience)) {
    fail('ERR_USAGE', `verify: audience ${JSON.stringify(audience.slice(0, 64))} is not a key thumbprint; to require an identity in aud, use audienceIdentity`);
  }
  return thumbprintOf(audience!);
}

/** Step 0 of spec §7: the options, checked before the token is looked at. */
export function resolveVerifyOptions(input: unknown): ResolvedVerifyOptions {
  const o = checkOptions<VerifyOptions & { now: number; clockSkew: number; hookTimeoutMs: number; aggregateVerifier: AggregateVerifier }>(input, 'verify', VERIFY_OPTIONS, ['trust'], {
    now: Math.floor(Date.now() / 1000),
    clockSkew: 60,
    hookTimeoutMs: DEFAULT_HOOK_TIMEOUT_MS,
    aggregateVerifier: 'msm',
  });
  if (o.now > MAX_EPOCH_SECONDS) fail('ERR_USAGE', `verify: now ${o.now} is above 10^11: times are seconds since the epoch, not milliseconds (Date.now() / 1000)`);
  if (o.audience === undefined && o.audienceIdentity === undefined && o.allowAnyAudience !== true) {
    fail('ERR_USAGE', 'verify: give audience (this verifier\'s key) or audienceIdentity (its identity); without either, a prefix of a chain addressed to an earlier hop verifies too. allowAnyAudience: true accepts that explicitly');
  }
  // Resolved in place rather than copied through a rest pattern (verify does this on every
  // call); the caller's `audience` stays beside its thumbprint, unread.
  const resolved = o as unknown as { -readonly [K in keyof ResolvedVerifyOptions]: ResolvedVerifyOptions[K] };
  const { audience, limits, pathPolicy } = o;
  resolved.limits = resolveLimits(limits);
  if (audience !== undefined) resolved.audienceKey = audienceThumbprint(audience);
  if (pathPolicy !== undefined) resolved.pathPolicy = parsePathPolicy(pathPolicy);
  return resolved;
}
