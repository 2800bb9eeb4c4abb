import { describe, expect, it } from 'vitest';
import { idChain, NOW, world } from './world.js';

describe('nestoken verify --policy FILE (spec §7.10)', () => {
  it('applies the path policy: a path that follows it verifies, one that breaks it names the rule (exit 1), a bad file is a usage error (exit 2)', async () => {
    const io = await world();
    const last = await idChain(io, ['jwt', 'cbor', 'jwt']);
    const verify = (policy: string) => {
      io.files.set('policy.json', new TextEncoder().encode(policy));
      return io.run(['verify', '--trust', 'trust.json', '--in', last, '--audience', 'b.pub', '--now', String(NOW + 10), '--policy', 'policy.json']);
    };
    expect((await verify('{"mustPassThrough":["spiffe://example.org/gateway"],"maxHops":3}')).code).toBe(0);
    const broken = await verify('{"maxHops":2}');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^ERR_PATH_POLICY: maxHops: 3 hops, at most 2 allowed/);
    expect((await verify('{"trustDomains":["example.org"]}')).stderr).toMatch(/^ERR_PATH_POLICY: trustDomains: hop 0/);
    expect((await verify('{"maxHop":2}')).code).toBe(2);
    expect((await verify('not json')).code).toBe(2);
    expect((await verify('{"maxHops":2,"maxHops":9}')).code).toBe(2); // a repeated rule is not "the last one wins"
    expect((await verify('{"requiredClaims":{"*":["txn"],"*":[]}}')).code).toBe(2);
  });
});
