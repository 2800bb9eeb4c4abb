import { loadWitIssuers, NestokenError, witIssuerJwks } from '@nestoken/core';
import { describe, expect, it } from 'vitest';
import { workloadProof } from '../src/proof/make-proof.js';
import { verifyRequest } from '../src/verify-request.js';
import { bar, barOptions, chainOf, foo, gateway, held, hop, ingressCrate, NOW, ORIGIN, requestOf, root, world } from './fixtures.js';
import { TRUST_DOMAIN } from './support/world.js';

/** foo's request to bar again at `at`: the same chain and crate, a proof made then. */
async function againAt(sent: Record<string, string>, at: number): Promise<Record<string, string>> {
  const carried = { Nestoken: sent['Nestoken']!, 'Nestoken-Crate': sent['Nestoken-Crate']! };
  const proof = await workloadProof(`${ORIGIN}/orders`, { key: foo.key, identityDocument: foo.wit!, headers: carried, now: at });
  return { ...carried, 'Workload-Identity-Token': foo.wit!, 'Workload-Proof-Token': proof };
}

/** A chain to bar whose crate's attestation expires at NOW + 10, long before the chain. */
async function shortAttestation() {
  const start = await root(gateway);
  const crate = await ingressCrate('eyJhbGciOiJFZERTQSJ9.e30.c2ln', gateway, { now: NOW, expiresAt: NOW + 10 }, chainOf(start));
  const atFoo = await hop(gateway, foo, start, { crate });
  return { ...(await hop(foo, bar, held(atFoo), { crate })), crate };
}

describe('a verified chain or crate is reused only where verifying again would give the same answer', () => {
  it('a later second verifies the chain again: one that has expired since is refused', async () => {
    const sent = await shortAttestation();
    let now = NOW;
    const options = barOptions({ now: () => now });
    const first = await verifyRequest(requestOf(sent.headers), options);
    expect(Object.isFrozen(first.path.hops)).toBe(true);
    now = NOW + 200;
    const carried = { Nestoken: sent.headers['Nestoken']! };
    const proof = await workloadProof(`${ORIGIN}/orders`, { key: foo.key, identityDocument: foo.wit!, headers: carried, now });
    const refused = await verifyRequest(requestOf({ ...carried, 'Workload-Identity-Token': foo.wit!, 'Workload-Proof-Token': proof }), options).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NestokenError);
    expect((refused as NestokenError).code).toBe('ERR_EXPIRED');
    expect((refused as NestokenError).message).toMatch(/chain/);
  });

  it('within one second, the same token and crate: one frozen report answers both requests', async () => {
    const sent = await shortAttestation();
    const options = barOptions();
    const first = await verifyRequest(requestOf(sent.headers), options);
    const second = await verifyRequest(requestOf(await againAt(sent.headers, NOW)), options);
    expect(second.crate).toBe(first.crate);
    expect(Object.isFrozen(first.crate!.report.attestations[0])).toBe(true);
    expect(first.crate!.report.tokens[0]!.attestedBy).toEqual([gateway.identity]);
  });

  it('a later second verifies again: an attestation that has expired since is refused', async () => {
    const sent = await shortAttestation();
    let now = NOW;
    const options = barOptions({ now: () => now });
    await verifyRequest(requestOf(sent.headers), options);
    now = NOW + 80;
    const refused = await verifyRequest(requestOf(await againAt(sent.headers, now)), options).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NestokenError);
    expect((refused as NestokenError).code).toBe('ERR_EXPIRED');
    expect((refused as NestokenError).message).toMatch(/attestation/);
  });

  it('another token with the same crate is checked against its own chain', async () => {
    const sent = await shortAttestation();
    const options = barOptions();
    await verifyRequest(requestOf(sent.headers), options);
    // Another chain whose hops name the very same crate: its attestation names the first chain.
    const other = await root(gateway);
    const atFoo = await hop(gateway, foo, other, { crate: sent.crate });
    const carried = { Nestoken: (await hop(foo, bar, held(atFoo), { crate: sent.crate })).token, 'Nestoken-Crate': sent.headers['Nestoken-Crate']! };
    const refused = await verifyRequest(requestOf(await againAt(carried, NOW)), options).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NestokenError);
    expect((refused as NestokenError).code).toBe('ERR_ATTESTATION_UNBOUND');
  });

  it('a trust bundle replaced in the options (a rotation) takes effect at once', async () => {
    const sent = await shortAttestation();
    const options = barOptions();
    await verifyRequest(requestOf(sent.headers), options);
    // The workloads' WITs are still trusted; the chain's issuer no longer is.
    (options as { trust: unknown }).trust = loadWitIssuers(witIssuerJwks(world.authority), { trustDomain: TRUST_DOMAIN });
    const refused = await verifyRequest(requestOf(await againAt(sent.headers, NOW)), options).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NestokenError);
    expect((refused as NestokenError).layer).toBe(0);
  });

  it('with a revocation hook, every request asks it again', async () => {
    const sent = await shortAttestation();
    let asked = 0;
    const options = barOptions({ isRevoked: () => (asked++, false) });
    await verifyRequest(requestOf(sent.headers), options);
    const once = asked;
    await verifyRequest(requestOf(await againAt(sent.headers, NOW)), options);
    expect(once).toBeGreaterThan(0);
    expect(asked).toBe(2 * once);
  });
});
