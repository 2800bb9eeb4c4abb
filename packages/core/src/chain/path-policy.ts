import { NestokenError, printable } from '../errors.js';
import { provenPathOf } from './proven-shape.js';
import type { ProvenHop, ProvenPath } from './verify.js';

/**
 * What a service requires of the path that reached it (spec §7.10), written once instead of by
 * hand over `path.hops` in every service. Every rule is optional; the rules are checked in the
 * order of this interface and the first one broken is named in the error.
 */
export interface PathPolicy {
  /** The root's identity must be one of these. */
  readonly rootIssuers?: readonly string[];
  /** The path has at most this many hops (layers), the root included. */
  readonly maxHops?: number;
  /** Each of these identities signs at least one hop. */
  readonly mustPassThrough?: readonly string[];
  /** Every hop is an identified workload of one of these SPIFFE trust domains (`spiffe://<td>/…`). */
  readonly trustDomains?: readonly string[];
  /** Once this identity has signed a hop, no later hop may be anonymous. */
  readonly noAnonymousAfter?: string;
  /** Claim names each hop must carry: by identity, and `*` for every hop. */
  readonly requiredClaims?: Readonly<Record<string, readonly string[]>>;
}

/** The name of one rule of a path policy. */
export type PathPolicyRule = keyof PathPolicy;
/** Every rule a path policy can hold, in the order they are checked. */
export const PATH_POLICY_RULES: readonly PathPolicyRule[] = ['rootIssuers', 'maxHops', 'mustPassThrough', 'trustDomains', 'noAnonymousAfter', 'requiredClaims'];

/** A path that breaks a policy: `rule` names the rule, `hop` the hop at fault when there is one. */
export class PathPolicyError extends NestokenError {
  readonly rule: PathPolicyRule;
  readonly hop: number | undefined;
  /** A refusal by the named rule, at the hop it concerns when there is one. */
  constructor(rule: PathPolicyRule, message: string, hop?: number) {
    super('ERR_PATH_POLICY', `${printable(rule)}: ${printable(message)}`, hop === undefined ? undefined : { layer: hop });
    this.rule = rule;
    this.hop = hop;
  }
}

/** Bounds on a policy read from outside (a file, a config service), checked before it is used. */
const MAX_ENTRIES = 256;
const MAX_TEXT = 2048;

const usage = (message: string): never => {
  throw new NestokenError('ERR_USAGE', `path policy: ${message}`);
};

function textList(v: unknown, what: string): readonly string[] {
  if (!Array.isArray(v) || v.length > MAX_ENTRIES) return usage(`${what} must be an array of at most ${MAX_ENTRIES} strings`);
  for (const x of v) if (typeof x !== 'string' || x === '' || x.length > MAX_TEXT) usage(`${what} must hold non-empty strings of at most ${MAX_TEXT} characters`);
  return v as string[];
}

/** Checks a policy given as JSON (or built in code): unknown rules and ill-typed values are ERR_USAGE. */
export function parsePathPolicy(input: unknown): PathPolicy {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return usage('a policy is a JSON object');
  const o = input as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!(PATH_POLICY_RULES as readonly string[]).includes(k)) usage(`unknown rule ${JSON.stringify(k.slice(0, 64))}`);
  const out: { -readonly [K in keyof PathPolicy]: PathPolicy[K] } = {};
  if (o.rootIssuers !== undefined) out.rootIssuers = textList(o.rootIssuers, 'rootIssuers');
  if (o.maxHops !== undefined) {
    if (!Number.isSafeInteger(o.maxHops) || (o.maxHops as number) < 1) usage('maxHops must be a whole number of at least 1');
    out.maxHops = o.maxHops as number;
  }
  if (o.mustPassThrough !== undefined) out.mustPassThrough = textList(o.mustPassThrough, 'mustPassThrough');
  if (o.trustDomains !== undefined) out.trustDomains = textList(o.trustDomains, 'trustDomains');
  if (o.noAnonymousAfter !== undefined) out.noAnonymousAfter = textList([o.noAnonymousAfter], 'noAnonymousAfter')[0]!;
  if (o.requiredClaims !== undefined) {
    const rc = o.requiredClaims;
    if (typeof rc !== 'object' || rc === null || Array.isArray(rc) || Object.keys(rc).length > MAX_ENTRIES) usage('requiredClaims maps identities (or "*") to claim names');
    out.requiredClaims = Object.fromEntries(Object.entries(rc as Record<string, unknown>).map(([who, names]) => [textList([who], 'requiredClaims')[0]!, textList(names, `requiredClaims[${who}]`)]));
  }
  return out;
}

const trustDomainOf = (identity: string): string | undefined => /^spiffe:\/\/([^/]+)(\/|$)/.exec(identity)?.[1];

const claimsOf = (hop: ProvenHop): readonly string[] => Object.keys(hop.claims);

/** Applies `policy` to a proven path; throws a PathPolicyError naming the first rule broken. */
export function checkPathPolicy(path: ProvenPath, input: PathPolicy): void {
  const policy = parsePathPolicy(input);
  const hops = provenPathOf(path, 'checkPathPolicy').hops;
  if (policy.rootIssuers && !policy.rootIssuers.includes(path.issuer)) {
    throw new PathPolicyError('rootIssuers', `the chain was started by ${path.issuer}`, 0);
  }
  if (policy.maxHops !== undefined && hops.length > policy.maxHops) {
    throw new PathPolicyError('maxHops', `${hops.length} hops, at most ${policy.maxHops} allowed`);
  }
  for (const identity of policy.mustPassThrough ?? []) {
    if (!hops.some((h) => !h.anonymous && h.identity === identity)) throw new PathPolicyError('mustPassThrough', `the path does not pass through ${identity}`);
  }
  if (policy.trustDomains) {
    for (const h of hops) {
      const td = h.anonymous ? undefined : trustDomainOf(h.identity);
      if (td === undefined || !policy.trustDomains.includes(td)) throw new PathPolicyError('trustDomains', `hop ${h.index} (${h.identity}) is in none of the trust domains allowed`, h.index);
    }
  }
  if (policy.noAnonymousAfter !== undefined) {
    const from = hops.findIndex((h) => !h.anonymous && h.identity === policy.noAnonymousAfter);
    const anonymous = from < 0 ? undefined : hops.slice(from + 1).find((h) => h.anonymous);
    if (anonymous) throw new PathPolicyError('noAnonymousAfter', `hop ${anonymous.index} is anonymous after ${policy.noAnonymousAfter}`, anonymous.index);
  }
  if (policy.requiredClaims) {
    for (const h of hops) {
      const required = [...(policy.requiredClaims['*'] ?? []), ...(Object.hasOwn(policy.requiredClaims, h.identity) && h.identity !== '*' ? policy.requiredClaims[h.identity]! : [])];
      const present = claimsOf(h);
      const missing = required.find((name) => !present.includes(name));
      if (missing !== undefined) throw new PathPolicyError('requiredClaims', `hop ${h.index} (${h.identity}) lacks claim ${missing}`, h.index);
    }
  }
}
