import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPathPolicy, NestokenError, parsePathPolicy, PathPolicyError, PATH_POLICY_RULES, type PathPolicy, type PathPolicyRule, type ProvenPath } from '../src/index.node.js';

/**
 * Spec §7.10 against a model written from the prose alone, over hand-built proven paths: a rule
 * set never accepts a path that breaks one of its rules, never refuses one that keeps them all, and
 * names the first broken rule in the fixed order.
 */
const IDENTITIES = ['spiffe://a.example/gw', 'spiffe://a.example/foo', 'spiffe://b.example/bar', 'spiffe://a.example', 'spiffe:///empty-td', 'https://idp.example', '__proto__'];
const CLAIMS = ['txn', 'scope', 'data', 'constructor'];

interface Hop {
  readonly identity: string;
  readonly anonymous: boolean;
  readonly claims: readonly string[];
}

const hopArb: fc.Arbitrary<Hop> = fc.oneof(
  fc.record({ identity: fc.constantFrom(...IDENTITIES), anonymous: fc.constant(false), claims: fc.subarray(CLAIMS) }),
  fc.record({ identity: fc.constant('anonymous'), anonymous: fc.constant(true), claims: fc.subarray(CLAIMS) }),
);
const pathArb = fc.tuple(fc.constantFrom(...IDENTITIES).map((identity): Hop => ({ identity, anonymous: false, claims: [] })), fc.array(hopArb, { maxLength: 5 })).map(([root, rest]) => [root, ...rest]);

const list = fc.array(fc.constantFrom(...IDENTITIES), { minLength: 1, maxLength: 3 });
const policyArb: fc.Arbitrary<PathPolicy> = fc.record(
  {
    rootIssuers: list,
    maxHops: fc.integer({ min: 1, max: 7 }),
    mustPassThrough: list,
    trustDomains: fc.array(fc.constantFrom('a.example', 'b.example', ''), { minLength: 1, maxLength: 2 }).map((t) => t.filter(Boolean)).filter((t) => t.length > 0),
    noAnonymousAfter: fc.constantFrom(...IDENTITIES),
    requiredClaims: fc.array(fc.tuple(fc.constantFrom('*', ...IDENTITIES), fc.subarray(CLAIMS, { minLength: 1 })), { maxLength: 3 }).map((e) => Object.fromEntries(e)),
  },
  { requiredKeys: [] },
);

const toPath = (hops: readonly Hop[]): ProvenPath =>
  ({
    mode: 'id',
    form: 'jwt',
    issuer: hops[0]!.identity,
    expiresAt: 0,
    sealed: false,
    hops: hops.map((h, index) => ({ index, identity: h.identity, anonymous: h.anonymous, via: h.anonymous ? 'anonymous' : 'trust-bundle', format: 'jwt', digest: '', claims: Object.fromEntries(h.claims.map((c) => [c, 1])) })),
  }) as unknown as ProvenPath;

/** The trust domain of a SPIFFE ID, by string operations instead of the implementation's pattern. */
const domainOf = (id: string): string | undefined => (id.startsWith('spiffe://') ? id.slice('spiffe://'.length).split('/')[0] || undefined : undefined);

/** Whether each rule present holds, straight from spec §7.10. */
function brokenRules(hops: readonly Hop[], p: PathPolicy): PathPolicyRule[] {
  const holds: Record<PathPolicyRule, () => boolean> = {
    rootIssuers: () => p.rootIssuers!.includes(hops[0]!.identity),
    maxHops: () => hops.length <= p.maxHops!,
    mustPassThrough: () => p.mustPassThrough!.every((id) => hops.some((h) => !h.anonymous && h.identity === id)),
    trustDomains: () => hops.every((h) => !h.anonymous && domainOf(h.identity) !== undefined && p.trustDomains!.includes(domainOf(h.identity)!)),
    noAnonymousAfter: () => {
      const from = hops.findIndex((h) => !h.anonymous && h.identity === p.noAnonymousAfter);
      return from < 0 || hops.slice(from + 1).every((h) => !h.anonymous);
    },
    requiredClaims: () =>
      hops.every((h) => {
        const rc = p.requiredClaims!;
        const need = [...(Object.hasOwn(rc, '*') ? rc['*']! : []), ...(h.identity !== '*' && Object.hasOwn(rc, h.identity) ? rc[h.identity]! : [])];
        return need.every((c) => h.claims.includes(c));
      }),
  };
  return PATH_POLICY_RULES.filter((r) => p[r] !== undefined && !holds[r]());
}

describe('path policy against a model (spec §7.10)', () => {
  it('accepts exactly the paths that keep every rule, and names the first broken rule', () => {
    fc.assert(
      fc.property(pathArb, policyArb, (hops, policy) => {
        const broken = brokenRules(hops, policy);
        let named: PathPolicyRule | 'PASS' = 'PASS';
        try {
          checkPathPolicy(toPath(hops), policy);
        } catch (e) {
          expect(e).toBeInstanceOf(PathPolicyError);
          named = (e as PathPolicyError).rule;
        }
        expect(named).toBe(broken[0] ?? 'PASS');
      }),
      { numRuns: 400 },
    );
  });

  it('any policy object and any path: a PathPolicyError, ERR_USAGE, or a pass; never a raw error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything({ maxDepth: 3 }), policyArb), fc.oneof(fc.anything({ maxDepth: 3 }), pathArb.map(toPath), fc.constant({ hops: [{}] })), (policy, path) => {
        try {
          parsePathPolicy(policy);
          checkPathPolicy(path as ProvenPath, policy as PathPolicy);
        } catch (e) {
          expect(e).toBeInstanceOf(NestokenError);
          expect(['ERR_USAGE', 'ERR_PATH_POLICY']).toContain((e as NestokenError).code);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a policy too large to be a policy is refused before it is used', () => {
    const many = Array.from({ length: 257 }, (_, i) => `spiffe://a.example/${i}`);
    for (const policy of [{ mustPassThrough: many }, { requiredClaims: Object.fromEntries(many.map((id) => [id, ['txn']])) }, { rootIssuers: ['x'.repeat(3000)] }, { maxHops: 2 ** 53 }, { extra: 1 }]) {
      expect(() => parsePathPolicy(policy)).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
    }
  });
});
