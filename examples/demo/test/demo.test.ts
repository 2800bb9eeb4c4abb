import { describe, expect, it } from 'vitest';
import { expectRefusal } from '../src/outcome.js';
import { render } from '../src/render.js';
import { runDemo, type DemoResult } from '../src/run.js';
import { txnTokenKeys } from '../src/txn-token-service.js';
import { transactionRules } from '../src/transaction-rules.js';
import { verifyRequest } from '@nestoken/http';
import { toActClaim, toCallChain, verifyTxnBound } from '@nestoken/oauth';

const NOW = 1_800_000_000;
const result: DemoResult = await runDemo({ now: () => NOW });
const outcome = (name: string) => result.outcomes.find((o) => o.name === name)!;

describe('the demo, in process on loopback', () => {
  it('bar proves the request came issuer -> gateway -> foo -> bar, keys vouched for by WITs', () => {
    const report = result.main.report!;
    expect(result.main.answer.status).toBe(200);
    expect(report.service).toBe('spiffe://nestoken.test/bar');
    expect(report.mode).toBe('id');
    expect(report.hops).toEqual([
      { identity: 'https://issuer.nestoken.test', via: 'trust-bundle', audienceKey: result.world.workloads.gateway.key.publicKey.kid },
      { identity: 'spiffe://nestoken.test/gateway', via: 'identity-document', audienceKey: result.world.workloads.foo.key.publicKey.kid },
      { identity: 'spiffe://nestoken.test/foo', via: 'identity-document', audienceKey: result.world.workloads.bar.key.publicKey.kid },
    ]);
    expect(report.caller).toBe('spiffe://nestoken.test/foo');
  });

  it('the access token reaches bar in the crate, attested by the gateway, and the crate is drawn', () => {
    const crate = result.main.report!.crate!;
    const token = crate.tokens.find((t) => t.role === 'access_token')!;
    expect(token).toEqual(expect.objectContaining({ format: 'jwt', bucket: 'ingress', attestedBy: ['spiffe://nestoken.test/gateway'] }));
    expect(crate.attestations).toEqual([{ attester: 'spiffe://nestoken.test/gateway', subjects: [token.cid] }]);
    expect(crate.trimmed).toEqual([]);
    expect(crate.graph).toMatch(/^flowchart TD\n/);
  });

  it.each([
    ['path', /issuer -> gateway -> foo -> bar/],
    ['crate', /attested by gateway/],
    ['trimmed', /same root/],
    ['replay', /401 ERR_AUDIENCE_MISMATCH$/],
    ['route', /401 ERR_REQUEST_MISMATCH$/],
    ['drop', /400 ERR_IDENTITY_DOCUMENT$/],
    ['splice', /401 ERR_KEY_UNTRUSTED$/],
    ['swap', /400 ERR_PROOF_MISMATCH$/],
    ['upstream', /401 ERR_DOCUMENT_MISMATCH$/],
    ['wpt-reuse', /400 ERR_PROOF_REPLAYED$/],
    ['readdress', /ERR_SEALED.*401 ERR_AUDIENCE_MISMATCH$/],
    ['copied-wit', /401 ERR_PROOF_MISSING$/],
    ['transplant', /401 ERR_ATTESTATION_UNBOUND$/],
    ['anonymous', /issuer -> anonymous -> anonymous -> bar/],
    ['hybrid', /issuer -> gateway -> foo -> bar \(hybrid/],
    ['txn-token', /issuer -> gateway -> foo -> bar \(RFC 8693 Txn-Token/],
    ['txn-swap', /401 ERR_TXN_TOKEN_MISMATCH$/],
  ])('outcome %s holds', (name, text) => {
    expect(outcome(name)).toEqual({ name, ok: true, text: expect.stringMatching(text) });
  });

  it('the Txn-Token route: bar gets the Txn-Token claims beside the path, and its act export nests as RFC 8693 §4.1 says', async () => {
    const { world, trade } = result;
    expect(trade.report!.txn).toEqual({ txn: expect.stringMatching(/^txn-\d+$/), sub: 'demo-client', scope: 'orders:write', req_wl: world.workloads.gateway.identity });
    // The Txn-Token bar received is the one the gateway got, forwarded by foo unmodified.
    expect(trade.fromFoo!.headers['txn-token']).toBe(trade.toFoo!.headers['txn-token']);
    const { path } = await verifyTxnBound(trade.fromFoo!.headers.nestoken!, trade.fromFoo!.headers['txn-token']!, {
      chain: { trust: world.trust, now: NOW, audience: world.workloads.bar.key.publicKey },
      txnToken: { keys: txnTokenKeys(world), trustDomain: 'nestoken.test' },
    });
    const act = toActClaim(path);
    // Outermost: the current actor (foo, which called bar); nested: the prior actors; deepest: the issuer.
    expect(act).toEqual({ sub: 'spiffe://nestoken.test/foo', act: { sub: 'spiffe://nestoken.test/gateway', act: { sub: 'https://issuer.nestoken.test' } } });
    const levels: Array<Record<string, unknown>> = [];
    for (let a: Record<string, unknown> | undefined = act as never; a; a = a.act as Record<string, unknown> | undefined) levels.push(a);
    for (const level of levels) expect(Object.keys(level).filter((k) => k !== 'act')).toEqual(['sub']); // no exp, nbf, aud inside act
    expect(levels.map((l) => l.sub)).toEqual([...toCallChain(path)].reverse());
  });

  it("bar's /trade refuses a request without its Txn-Token, and a path that skipped the gateway", async () => {
    const { world, trade, main } = result;
    const bar = world.workloads.bar;
    // The Txn-Token rules alone: the captured requests without their proofs (which bind the Txn-Token too, `tth`).
    const options = { trust: world.trust, key: bar.key, identity: bar.identity, now: world.now, acceptUnprovenRequests: true, ...transactionRules(world) };
    const headersOf = (h: Record<string, string>) =>
      Object.fromEntries(Object.entries(h).filter(([k]) => k !== 'workload-proof-token' && k !== 'workload-identity-token').map(([k, v]) => [k, [v]]));
    const { 'txn-token': _dropped, ...withoutTxn } = trade.fromFoo!.headers;
    await expect(verifyRequest({ method: 'POST', url: '/trade', headersDistinct: headersOf(withoutTxn) }, options)).rejects.toMatchObject({ code: 'ERR_TOKEN_MISSING' });
    // The /orders chain (no Txn-Token binding) shown with a Txn-Token: the chain is bound to none.
    const orders = { ...main.fromFoo!.headers, 'txn-token': trade.fromFoo!.headers['txn-token']! };
    await expect(verifyRequest({ method: 'POST', url: '/orders', headersDistinct: headersOf(orders) }, options)).rejects.toMatchObject({ code: 'ERR_TXN_TOKEN_MISMATCH' });
    const noGateway = { ...options, pathPolicy: { mustPassThrough: ['spiffe://nestoken.test/elsewhere'] } };
    await expect(verifyRequest({ method: 'POST', url: '/trade', headersDistinct: headersOf(trade.fromFoo!.headers) }, noGateway)).rejects.toMatchObject({ code: 'ERR_PATH_POLICY', rule: 'mustPassThrough' });
  });

  it('prints a summary line and nothing unexpected', () => {
    const lines = render(result);
    expect(lines.at(-1)).toBe(`demo: ${result.outcomes.length}/${result.outcomes.length} outcomes as expected`);
    expect(lines.join('\n')).not.toMatch(/FAIL|Error|at .*\.js:/);
  });

  it('given the same clock, prints the same output', async () => {
    const again = await runDemo({ now: () => NOW });
    expect(render(again)).toEqual(render(result));
  });

  it('an outcome that did not hold is reported as failed', () => {
    const accepted = expectRefusal('replay', 'x', { status: 200, body: {} }, 'ERR_AUDIENCE_MISMATCH');
    expect(accepted).toEqual({ name: 'replay', ok: false, text: 'x: expected 401 ERR_AUDIENCE_MISMATCH, got 200' });
    const other = expectRefusal('drop', 'y', { status: 401, body: { code: 'ERR_KEY_BINDING' } }, 'ERR_CHAIN_LINK');
    expect(other.ok).toBe(false);
  });
});
