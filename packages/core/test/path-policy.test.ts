import { describe, expect, it } from 'vitest';
import { aggregateChain, identity, idChain, NOW, receiverOf, trust } from './fixtures.js';
import { checkPathPolicy, parsePathPolicy, PathPolicyError, verify, type PathPolicy, type ProvenPath } from '../src/index.node.js';

const pathOf = async (n: number): Promise<ProvenPath> => verify(await idChain(Array(n).fill('jwt')), { trust, now: NOW, audience: receiverOf(n).publicKey });

function ruleOf(path: ProvenPath, policy: PathPolicy): string {
  try {
    checkPathPolicy(path, policy);
    return 'PASS';
  } catch (e) {
    expect(e).toBeInstanceOf(PathPolicyError);
    expect((e as PathPolicyError).code).toBe('ERR_PATH_POLICY');
    return (e as PathPolicyError).rule;
  }
}

describe('path policy (spec §7.10)', () => {
  it('each rule passes a path that follows it and names itself when broken', async () => {
    const p = await pathOf(3); // idp.example -> w1 -> w2
    const cases: Array<[PathPolicy, string]> = [
      [{ rootIssuers: [identity(0)] }, 'PASS'],
      [{ rootIssuers: ['https://other.example'] }, 'rootIssuers'],
      [{ maxHops: 3 }, 'PASS'],
      [{ maxHops: 2 }, 'maxHops'],
      [{ mustPassThrough: [identity(1), identity(2)] }, 'PASS'],
      [{ mustPassThrough: [identity(5)] }, 'mustPassThrough'],
      [{ trustDomains: ['example.org'] }, 'trustDomains'], // the root is https://idp.example
      [{ requiredClaims: { '*': ['jti'], [identity(1)]: ['data'] } }, 'PASS'],
      [{ requiredClaims: { [identity(0)]: ['data'] } }, 'requiredClaims'],
      [{ noAnonymousAfter: identity(1) }, 'PASS'],
    ];
    for (const [policy, rule] of cases) expect(ruleOf(p, policy), JSON.stringify(policy)).toBe(rule);
  });

  it('rules are checked in a fixed order, so the first broken one is named', async () => {
    const p = await pathOf(3);
    expect(ruleOf(p, { maxHops: 1, rootIssuers: ['x'], mustPassThrough: ['y'] })).toBe('rootIssuers');
    expect(ruleOf(p, { maxHops: 1, mustPassThrough: ['y'] })).toBe('maxHops');
  });

  it('no anonymous hop after a named hop; anonymous hops are in no trust domain', async () => {
    const t = await aggregateChain(['jwt', 'cbor', 'jwt', 'jwt'], [false, true, false, true]);
    const p = await verify(t, { trust, now: NOW, allowAnyAudience: true } as Parameters<typeof verify>[1]).catch(() => verify(t, { allowAnyAudience: true, trust, now: NOW }));
    expect(ruleOf(p, { noAnonymousAfter: identity(1) })).toBe('noAnonymousAfter');
    expect(ruleOf(p, { noAnonymousAfter: identity(3) })).toBe('PASS');
  });

  it('verify applies a pathPolicy option as its last step', async () => {
    const t = await idChain(['jwt', 'cbor']);
    await expect(verify(t, { trust, now: NOW, audience: receiverOf(2).publicKey, pathPolicy: { mustPassThrough: [identity(1)] } })).resolves.toBeDefined();
    await expect(verify(t, { trust, now: NOW, audience: receiverOf(2).publicKey, pathPolicy: { mustPassThrough: [identity(9)] } })).rejects.toMatchObject({ code: 'ERR_PATH_POLICY', rule: 'mustPassThrough' });
  });

  it('a policy from outside is checked: unknown rules, wrong types and oversize lists are ERR_USAGE', () => {
    for (const bad of [null, [], { maxHop: 3 }, { maxHops: 0 }, { maxHops: 1.5 }, { rootIssuers: 'x' }, { rootIssuers: [''] }, { trustDomains: Array(300).fill('a') }, { requiredClaims: { '*': 'jti' } }, { noAnonymousAfter: 7 }]) {
      expect(() => parsePathPolicy(bad), JSON.stringify(bad)?.slice(0, 40)).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
    }
    expect(parsePathPolicy({ maxHops: 4, requiredClaims: { '*': ['txn'] } })).toEqual({ maxHops: 4, requiredClaims: { '*': ['txn'] } });
  });
});
