import { decodeToken, DEFAULT_LIMITS, encodeToken, extend, isNestokenError } from '@nestoken/core';
import { CrateBuilder, merge, toCompact, verifyCrate } from '@nestoken/crate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reopenChain } from '../src/aggregate/scalar-transport.js';
import { withNestoken } from '../src/middleware.js';
import { verifyRequest, type NestokenVerifierOptions } from '../src/verify-request.js';
import { verifyWorkloadProof } from '../src/proof/verify-proof.js';
import { accessCrate, bar, barOptions, chainOf, foo, gateway, held, hop, ingressCrate, NOW, ORIGIN, partner, receivedBy, requestOf, root, sentBy, world } from './fixtures.js';
import { serve, type Running } from './support/serve.js';

/** One service under attack, reached either by calling the verifier or over real HTTP on 127.0.0.1. */
interface Target {
  readonly origin: string;
  /** 'accepted', or the code of the refusal. */
  send(headers: Record<string, string>, method?: string, path?: string): Promise<string>;
}

const fooOptions = (): NestokenVerifierOptions => ({ ...barOptions(), key: foo.key, identity: foo.identity });

function libraryTarget(options: NestokenVerifierOptions): Target {
  return {
    origin: ORIGIN,
    send: (headers, method = 'POST', path = '/orders') =>
      verifyRequest(requestOf(headers, method, path), options).then(
        () => 'accepted',
        (e: unknown) => (isNestokenError(e) ? e.code : Promise.reject(e)),
      ),
  };
}

const servers: Running[] = [];
async function httpTarget(options: NestokenVerifierOptions): Promise<Target> {
  const running = await serve(withNestoken(options, (_req, res) => res.end('ok')));
  servers.push(running);
  return {
    origin: running.url,
    send: async (headers, method = 'POST', path = '/orders') => {
      const r = await fetch(`${running.url}${path}`, { method, headers });
      return r.status === 200 ? 'accepted' : ((await r.json()) as { code: string }).code;
    },
  };
}
afterAll(async () => {
  for (const s of servers) await s.close();
});

describe.each(['library', 'http'] as const)('attacks from the issue, %s', (transport) => {
  let atFoo: Target;
  let atBar: Target;
  beforeAll(async () => {
    atFoo = transport === 'library' ? libraryTarget(fooOptions()) : await httpTarget(fooOptions());
    atBar = transport === 'library' ? libraryTarget(barOptions()) : await httpTarget(barOptions());
  });

  it('upstream replay (ID mode): the gateway->foo request sent to foo again, or re-presented by bar, is refused', async () => {
    const start = await root();
    const crate = await accessCrate(start);
    const toFoo = await hop(gateway, foo, start, { crate, origin: atFoo.origin });
    expect(await atFoo.send(toFoo.headers)).toBe('accepted');
    // Captured and sent again, byte for byte.
    expect(await atFoo.send(toFoo.headers)).toBe('ERR_PROOF_REPLAYED');
    // bar, holding foo->bar, drops foo's layer and presents the rest to foo with its own WIT and proof.
    const { layers } = decodeToken(toFoo.token, DEFAULT_LIMITS).token;
    const dropped = encodeToken({ layers }, 'jwt');
    const asBar = await sentBy(bar, { Nestoken: dropped, 'Nestoken-Crate': toCompact(crate) }, '/orders', atFoo.origin);
    // bar's WIT is not the document the last layer (the gateway's) names (spec §11.1).
    expect(await atFoo.send(asBar)).toBe('ERR_DOCUMENT_MISMATCH');
    // Or with the gateway's own WIT, which every layer header carries, but no proof.
    expect(await atFoo.send({ Nestoken: dropped, 'Workload-Identity-Token': gateway.wit! })).toBe('ERR_PROOF_MISSING');
    // Or with the gateway's WIT and a proof bar signed.
    const forged = await sentBy(bar, { Nestoken: dropped }, '/orders', atFoo.origin);
    expect(await atFoo.send({ ...forged, 'Workload-Identity-Token': gateway.wit! })).toBe('ERR_PROOF_INVALID');
  });

  it('re-addressing (aggregate modes): the chain travels sealed, its scalar encrypted to the next hop; an anonymous last hop is refused by default', async () => {
    for (const mode of ['anon', 'hybrid'] as const) {
      const toFoo = await hop(gateway, foo, await root(gateway, mode), { seal: false, anonymous: mode === 'anon', origin: atFoo.origin });
      // An eavesdropper on gateway -> foo holds a sealed chain and a scalar it cannot decrypt: nothing to extend.
      await expect(extend(toFoo.token, { claims: { aud: bar.identity } })).rejects.toMatchObject({ code: 'ERR_SEALED' });
      // Sent on as it is, to bar as DELETE /admin/wipe: addressed to foo.
      const asIs = { Nestoken: toFoo.token };
      expect(await atBar.send(asIs, 'DELETE', '/admin/wipe')).toBe('ERR_AUDIENCE_MISMATCH');
      // foo itself can extend; a link it adds anonymously (or anyone holding the open chain adds) is refused by default.
      const open = await receivedBy(toFoo, foo);
      const rogue = encodeToken(await extend(open, { claims: { aud: bar.identity, iat: NOW, data: { http: { method: 'DELETE', path: '/admin/wipe' } } } }), 'jwt');
      expect(await atBar.send({ Nestoken: rogue }, 'DELETE', '/admin/wipe')).toBe('ERR_PROOF_MISSING');
      // The scalar header is bound to the chain and to foo: bar cannot open it, nor can it be moved to another chain.
      await expect(reopenChain(toFoo.token, toFoo.headers['Nestoken-Scalar']!, bar.key)).rejects.toMatchObject({ code: 'ERR_PROOF_INVALID' });
      const other = await hop(gateway, foo, await root(gateway, mode), { seal: false, anonymous: mode === 'anon' });
      await expect(reopenChain(other.token, toFoo.headers['Nestoken-Scalar']!, foo.key)).rejects.toMatchObject({ code: 'ERR_PROOF_INVALID' });
    }
  });

  it('copied identity documents: a WIT without a proof of its key proves nothing', async () => {
    const start = await root();
    const toFoo = await hop(gateway, foo, start, { origin: atFoo.origin });
    const { 'Workload-Proof-Token': _, ...withoutProof } = toFoo.headers;
    expect(await atFoo.send(withoutProof)).toBe('ERR_PROOF_MISSING');
    // The partner copies the gateway's WIT and signs a proof with its own key.
    const copied = await sentBy(partner, { Nestoken: toFoo.token }, '/orders', atFoo.origin);
    expect(await atFoo.send({ ...copied, 'Workload-Identity-Token': gateway.wit! })).toBe('ERR_PROOF_INVALID');
  });

  it('a crate attestation from another request, transplanted into this one, is refused', async () => {
    const other = await root();
    const transplanted = await ingressCrate('eyJhbGciOiJFZERTQSJ9.e30.c2ln', gateway, { now: NOW, expiresAt: NOW + 120 }, chainOf(other));
    const start = await root();
    const atFooHop = await hop(gateway, foo, start, { crate: transplanted });
    const toBar = await hop(foo, bar, held(atFooHop), { crate: transplanted, origin: atBar.origin });
    expect(await atBar.send(toBar.headers)).toBe('ERR_ATTESTATION_UNBOUND');
    // Made for this chain, but by a workload that is not a hop of it.
    const byPartner = await ingressCrate('eyJhbGciOiJFZERTQSJ9.e30.c2ln', world.workloads.bar, { now: NOW, expiresAt: NOW + 120 }, chainOf(start));
    const viaFoo = await hop(gateway, foo, start, { crate: byPartner });
    const toBar2 = await hop(foo, bar, held(viaFoo), { crate: byPartner, origin: atBar.origin });
    expect(await atBar.send(toBar2.headers)).toBe('ERR_ATTESTATION_UNBOUND');
  });

  it('a second Nestoken line placed after many other header fields is refused', async () => {
    const start = await root();
    const toFoo = await hop(gateway, foo, start, { origin: atFoo.origin });
    const padded: Record<string, string> = { ...toFoo.headers };
    for (let i = 0; i < 1200; i++) padded[`x-pad-${i}`] = '1';
    // Over HTTP Node joins nothing but would stop counting at maxHeadersCount; the verifier refuses first.
    expect(await atFoo.send(padded)).toBe('ERR_INPUT_TOO_LARGE');
  });
});

describe('hooks fail closed', () => {
  it('a revocation hook that never settles refuses the request within the timeout', async () => {
    const start = await root();
    const atFooHop = await hop(gateway, foo, start);
    const toBar = await hop(foo, bar, held(atFooHop));
    // Core refuses a revocation check that fails as revoked (spec §7.7); the timeout makes "never answers" a failure.
    const options = barOptions({ isRevoked: () => new Promise<boolean>(() => {}), hookTimeoutMs: 20 });
    await expect(verifyRequest(requestOf(toBar.headers), options)).rejects.toMatchObject({ code: 'ERR_REVOKED', cause: expect.objectContaining({ code: 'ERR_HOOK_FAILED' }) });
    const throwing = barOptions({ isRevoked: () => { throw new Error('db down'); } });
    await expect(verifyRequest(requestOf(toBar.headers), throwing)).rejects.toMatchObject({ code: 'ERR_REVOKED' });
    const slowCache = barOptions({ replayCache: { firstUse: () => new Promise<boolean>(() => {}) }, hookTimeoutMs: 20 });
    await expect(verifyRequest(requestOf(toBar.headers), slowCache)).rejects.toMatchObject({ code: 'ERR_HOOK_FAILED' });
  });
});

describe('the issuer trusts a proof, not a copied WIT (library)', () => {
  it('verifyWorkloadProof refuses a WIT alone and a WIT beside another key\'s proof', async () => {
    const proof = await sentBy(gateway, {}, '/token');
    const options = { trust: world.trust, now: () => NOW, origin: ORIGIN };
    expect((await verifyWorkloadProof(requestOf(proof, 'POST', '/token'), options)).identity).toBe(gateway.identity);
    await expect(verifyWorkloadProof(requestOf({ 'Workload-Identity-Token': gateway.wit! }, 'POST', '/token'), options)).rejects.toMatchObject({ code: 'ERR_PROOF_MISSING' });
    const partnerProof = await sentBy(partner, {}, '/token');
    await expect(verifyWorkloadProof(requestOf({ ...partnerProof, 'Workload-Identity-Token': gateway.wit! }, 'POST', '/token'), options)).rejects.toMatchObject({ code: 'ERR_PROOF_INVALID' });
  });
});

describe('crate reports say who attested each token', () => {
  it('a token merged in from a forged extension is reported unattested', async () => {
    const start = await root();
    const real = await accessCrate(start);
    const b = new CrateBuilder(real);
    const forgedToken = b.token({ format: 'jwt', bytes: 'eyJhbGciOiJub25lIn0.eyJhZG1pbiI6dHJ1ZX0.', meta: { role: 'access_token' } });
    b.bucket({ name: 'ingress', items: [forgedToken] });
    const forged = await b.build();
    const merged = merge(real, forged);
    const report = await verifyCrate(merged, { trust: world.trust, now: NOW });
    const byCid = Object.fromEntries(report.tokens.map((t) => [t.cid, t.attestedBy]));
    expect(byCid[forgedToken.toString()]).toEqual([]);
    expect(Object.values(byCid).filter((a) => a.length === 1)).toEqual([[gateway.identity]]);
  });
});
