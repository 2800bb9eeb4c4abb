import { describe, expect, it } from 'vitest';
import { expectRefusal } from '../src/outcome.js';
import { render } from '../src/render.js';
import { runDemo, type DemoResult } from '../src/run.js';

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
    ['drop', /401 ERR_CHAIN_LINK$/],
    ['splice', /401 ERR_KEY_BINDING$/],
    ['swap', /400 ERR_PROOF_MISMATCH$/],
    ['upstream', /400 ERR_IDENTITY_DOCUMENT$/],
    ['wpt-reuse', /400 ERR_PROOF_REPLAYED$/],
    ['readdress', /ERR_SEALED.*401 ERR_AUDIENCE_MISMATCH$/],
    ['copied-wit', /401 ERR_PROOF_MISSING$/],
    ['transplant', /401 ERR_ATTESTATION_UNBOUND$/],
    ['anonymous', /issuer -> anonymous -> anonymous -> bar/],
    ['hybrid', /issuer -> gateway -> foo -> bar \(hybrid/],
  ])('outcome %s holds', (name, text) => {
    expect(outcome(name)).toEqual({ name, ok: true, text: expect.stringMatching(text) });
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
