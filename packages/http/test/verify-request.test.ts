import { b64u, decodeToken, DEFAULT_LIMITS, documentDigest, encodeToken, extend, issueIdentityDocument, mergeTrustBundles, NestokenError, verifyIdentityDocument } from '@nestoken/core';
import { toCompact, trim } from '@nestoken/crate';
import { describe, expect, it } from 'vitest';
import { checkVerifierOptions, verifyRequest } from '../src/verify-request.js';
import { accessCrate, ingressCrate, bar, barOptions, chainToBar, foo, gateway, held, hop, NOW, receivedBy, requestOf, root, sentBy, world } from './fixtures.js';

/** The same trust as the world's, as a new bundle: its verifier holds no document yet (spec §4.6.3). */
const freshTrust = () => mergeTrustBundles(world.trust);
const code = (c: string) => expect.objectContaining({ name: 'NestokenError', code: c });
/** One of the codes a layer out of place can fail first (spec §4.6.1), at that layer. */
const oneOf = (codes: readonly string[], layer: number) => expect.objectContaining({ name: 'NestokenError', code: expect.toSatisfy((c: string) => codes.includes(c)), layer });

describe('verifyRequest', () => {
  it('proves the path of a valid chain and names the caller', async () => {
    const sent = await chainToBar();
    const ctx = await verifyRequest(requestOf(sent.headers), barOptions());
    expect(ctx.path.hops.map((h) => h.identity)).toEqual(['https://issuer.nestoken.test', gateway.identity, foo.identity]);
    expect(ctx.path.hops.map((h) => h.via)).toEqual(['trust-bundle', 'identity-document', 'identity-document']);
    expect(ctx.caller).toEqual({ identity: foo.identity, keyThumbprint: foo.key.publicKey.kid });
    // The token to extend carries foo's WIT again: the next service gets no header for foo.
    expect(ctx.token).toBe(held(sent));
    expect(ctx.token).toBe(`${sent.token}!${foo.wit}`);
    expect(ctx.crate).toBeUndefined();
  });

  it('refuses a request without a token', async () => {
    await expect(verifyRequest(requestOf({}), barOptions())).rejects.toEqual(code('ERR_TOKEN_MISSING'));
    await expect(verifyRequest(requestOf({ Nestoken: '  ' }), barOptions())).rejects.toEqual(code('ERR_TOKEN_MISSING'));
  });

  it('bounds every header before decoding it', async () => {
    const sent = await chainToBar();
    const limits = { maxTokenChars: sent.token.length - 1 };
    await expect(verifyRequest(requestOf(sent.headers), barOptions({ headerLimits: limits }))).rejects.toEqual(code('ERR_INPUT_TOO_LARGE'));
    const big = { ...sent.headers, 'Nestoken-Crate': 'A'.repeat(20_000) };
    await expect(verifyRequest(requestOf(big), barOptions())).rejects.toEqual(code('ERR_INPUT_TOO_LARGE'));
    const wit = { ...sent.headers, 'Workload-Identity-Token': 'A'.repeat(9000) };
    await expect(verifyRequest(requestOf(wit), barOptions())).rejects.toEqual(code('ERR_INPUT_TOO_LARGE'));
  });

  it('refuses a header sent twice instead of picking one', async () => {
    const sent = await chainToBar();
    const request = { method: 'POST', url: '/orders', headersDistinct: { nestoken: [sent.token, sent.token] } };
    await expect(verifyRequest(request, barOptions())).rejects.toEqual(code('ERR_MALFORMED'));
    // The Fetch API joins repeated lines with ", ": no value of the binding has a comma.
    await expect(verifyRequest(requestOf({ ...sent.headers, Nestoken: `${sent.token}, ${sent.token}` }), barOptions())).rejects.toEqual(code('ERR_MALFORMED'));
    const raw = Object.entries(sent.headers).flat();
    await expect(verifyRequest({ method: 'POST', url: '/orders', rawHeaders: [...raw, 'nestoken', sent.token] }, barOptions())).rejects.toEqual(code('ERR_MALFORMED'));
    // However many fields come first: at or above the bound the request is refused, never read partly.
    const padding = Array.from({ length: 1500 }, (_, i) => [`x-${i}`, 'y']).flat();
    await expect(verifyRequest({ method: 'POST', url: '/orders', rawHeaders: [...raw, ...padding, 'Nestoken', sent.token] }, barOptions())).rejects.toEqual(code('ERR_INPUT_TOO_LARGE'));
  });

  it('refuses a chain handed to another key', async () => {
    const sent = await chainToBar();
    await expect(verifyRequest(requestOf(sent.headers), barOptions({ key: foo.key, identity: bar.identity }))).rejects.toEqual(code('ERR_AUDIENCE_MISMATCH'));
    await expect(verifyRequest(requestOf(sent.headers), barOptions({ identity: foo.identity }))).rejects.toEqual(code('ERR_AUDIENCE_MISMATCH'));
  });

  it('binds the last layer to the method and path it was made for', async () => {
    const sent = await chainToBar();
    await expect(verifyRequest(requestOf(sent.headers, 'DELETE'), barOptions())).rejects.toEqual(code('ERR_REQUEST_MISMATCH'));
    await expect(verifyRequest(requestOf(sent.headers, 'POST', '/admin'), barOptions())).rejects.toEqual(code('ERR_REQUEST_MISMATCH'));
    await expect(verifyRequest(requestOf(sent.headers, 'POST', '/orders?x=1'), barOptions())).resolves.toBeDefined();
    await expect(verifyRequest(requestOf(sent.headers, 'POST', 'http://bar.example/orders'), barOptions())).resolves.toBeDefined();
    // The proof names the target URI too: another origin for the same path is refused.
    await expect(verifyRequest({ ...requestOf(sent.headers), origin: 'http://127.0.0.1:2' }, barOptions())).rejects.toEqual(code('ERR_PROOF_MISMATCH'));
  });

  it('requires the request binding unless told otherwise', async () => {
    // A hop written with core directly names no request.
    const atFoo = await hop(gateway, foo, await root());
    const bare = encodeToken(await extend(atFoo.token, { key: foo.key, audienceKey: bar.key.publicKey, identityDocument: foo.wit!, claims: { aud: bar.identity } }), 'jwt');
    await expect(verifyRequest(requestOf({ Nestoken: bare }), barOptions())).rejects.toEqual(code('ERR_CLAIMS_INVALID'));
    const unbound = barOptions({ requireRequestBinding: false, acceptUnprovenRequests: true });
    await expect(verifyRequest(requestOf({ Nestoken: bare }), unbound)).resolves.toBeDefined();
  });

  it('refuses an identity document other than the one the last layer names, before any proof is read (spec §11.1)', async () => {
    const sent = await chainToBar();
    const substituted = async (wit: string) => {
      const err = await verifyRequest(requestOf({ ...sent.headers, 'Workload-Identity-Token': wit }), barOptions()).catch((e: unknown) => e);
      expect(err).toEqual(expect.objectContaining({ code: 'ERR_DOCUMENT_MISMATCH', layer: 2 }));
      expect((err as Error).message).toContain(documentDigest({ wit }));
    };
    // Another workload's WIT; one for foo's identity and key from an authority the bundle does not know.
    await substituted(gateway.wit!);
    await substituted(await issueIdentityDocument({ authority: world.issuerKey, subject: foo.identity, key: foo.key.publicKey, expiresAt: NOW + 60 }));
    // A WIT that verifies, for foo's identity and key, but is not the one foo's layer names.
    const reissued = await issueIdentityDocument({ authority: world.authority, subject: foo.identity, key: foo.key.publicKey, issuedAt: NOW, expiresAt: NOW + 1800 });
    await expect(verifyIdentityDocument(reissued, world.trust, { now: NOW, clockSkew: 60 })).resolves.toMatchObject({ identity: foo.identity });
    await substituted(reissued);
  });

  it('the WIT travels once: beside the token, not in it; missing from both or sent in both is refused (spec §11.1)', async () => {
    const sent = await chainToBar();
    const fooDoc = documentDigest({ wit: foo.wit! });
    // The client left foo's WIT out of the token: it is in Workload-Identity-Token only.
    expect(sent.headers['Workload-Identity-Token']).toBe(foo.wit);
    expect(sent.token.split('!')).not.toContain(foo.wit);
    expect(sent.token.split('!')).toContain(gateway.wit);
    // Without the header, the document is missing (the proof is not even looked for), naming its digest.
    const { 'Workload-Identity-Token': _, 'Workload-Proof-Token': __, ...bare } = sent.headers;
    const missing = await verifyRequest(requestOf(bare), barOptions({ acceptUnprovenRequests: true, trust: freshTrust() })).catch((e: unknown) => e);
    expect(missing).toEqual(expect.objectContaining({ code: 'ERR_DOCUMENT_MISSING', layer: 2 }));
    expect((missing as Error).message).toContain(fooDoc);
    // In the token and in the header: sent twice. The proof binds the token as sent, so sign one for it.
    const both = held(sent);
    const twice = await sentBy(foo, { Nestoken: both }, '/orders');
    await expect(verifyRequest(requestOf(twice), barOptions())).rejects.toEqual(expect.objectContaining({ code: 'ERR_NONCANONICAL', layer: 2 }));
    // The CBOR form as text keeps its form in the token handed on, the caller's WIT back in it.
    const cbor = b64u(encodeToken(decodeToken(sent.token, DEFAULT_LIMITS).token, 'cbor'));
    const ctx = await verifyRequest(requestOf(await sentBy(foo, { Nestoken: cbor }, '/orders')), barOptions());
    expect(ctx.token.startsWith('2nst')).toBe(true);
    expect([...decodeToken(ctx.token, DEFAULT_LIMITS).token.documents!.keys()]).toEqual([documentDigest({ wit: gateway.wit! }), fooDoc]);
    // In the token only, without the header: what a service that accepts unproven requests gets.
    await expect(verifyRequest(requestOf({ Nestoken: both }), barOptions({ acceptUnprovenRequests: true }))).resolves.toMatchObject({ path: { hops: [{}, {}, { identity: foo.identity }] } });
  });

  it('refuses an identity document beside an anonymous last hop', async () => {
    const atFoo = await hop(gateway, foo, await root(gateway, 'anon'), { anonymous: true, seal: false });
    const sent = await hop(foo, bar, await receivedBy(atFoo, foo), { anonymous: true });
    expect(sent.headers['Workload-Identity-Token']).toBeUndefined();
    const ctx = await verifyRequest(requestOf(sent.headers), barOptions({ anonymousLastHop: 'sealed' }));
    expect(ctx.path.hops.map((h) => h.identity)).toEqual(['https://issuer.nestoken.test', 'anonymous', 'anonymous']);
    await expect(verifyRequest(requestOf({ ...sent.headers, 'Workload-Identity-Token': foo.wit! }), barOptions({ anonymousLastHop: 'sealed' }))).rejects.toEqual(code('ERR_IDENTITY_DOCUMENT'));
  });

  it('accepts only the modes it is told to', async () => {
    const atFoo = await hop(gateway, foo, await root(gateway, 'hybrid'), { seal: false });
    const sent = await hop(foo, bar, await receivedBy(atFoo, foo));
    expect((await verifyRequest(requestOf(sent.headers), barOptions())).path.mode).toBe('hybrid');
    await expect(verifyRequest(requestOf(sent.headers), barOptions({ modes: ['id'] }))).rejects.toEqual(code('ERR_ALG_NOT_ALLOWED'));
  });

  it('verifies the crate the chain names, trimmed or not', async () => {
    const sent = await chainToBar({ crate: true });
    const crate = sent.crate!;
    const ctx = await verifyRequest(requestOf(sent.headers), barOptions());
    expect(ctx.crate?.crate.root.toString()).toBe(crate.root.toString());
    expect(ctx.crate?.boundBy).toBe(2);
    expect(ctx.crate?.report.attestations.map((a) => a.attester)).toEqual([gateway.identity]);
    const token = [...crate.blocks.values()].find((b) => b.node.type === 'token')!.cid;
    const trimmed = trim(crate, [...crate.blocks.keys()].filter((k) => k !== token.toString()));
    // foo trims before it signs its proof: the root its layer names does not change.
    const atFoo = await hop(gateway, foo, sent.root, { crate, seal: false });
    const trimmedSent = await hop(foo, bar, held(atFoo), { crate: trimmed });
    const ctx2 = await verifyRequest(requestOf(trimmedSent.headers), barOptions());
    expect(ctx2.crate?.report.trimmed).toEqual([token.toString()]);
    expect(ctx2.crate?.report.tokens).toEqual([]);
  });

  it('refuses a crate no hop names, or another crate than the one named', async () => {
    const start = await root();
    const crate = await accessCrate(start);
    // foo itself sends a crate no layer names (its proof covers it: the sender is foo).
    const atFoo = await hop(gateway, foo, start, { seal: false });
    const unbound = await hop(foo, bar, held(atFoo));
    const withCrate = await sentBy(foo, { ...unbound.headers, 'Nestoken-Crate': toCompact(crate) });
    await expect(verifyRequest(requestOf(withCrate), barOptions())).rejects.toEqual(code('ERR_CRATE_UNBOUND'));
    // In transit, a crate exchanged for another: the proof no longer covers it.
    const bound = await chainToBar({ crate: true });
    const other = await ingressCrate('x.y.z', undefined, { now: NOW, expiresAt: NOW + 1 });
    await expect(verifyRequest(requestOf({ ...bound.headers, 'Nestoken-Crate': toCompact(other) }), barOptions())).rejects.toEqual(code('ERR_PROOF_MISMATCH'));
    // A hop that swaps the crate itself and signs its proof over the swap: the chain names another root.
    const swapped = await sentBy(foo, { ...bound.headers, 'Nestoken-Crate': toCompact(other) });
    await expect(verifyRequest(requestOf(swapped), barOptions())).rejects.toEqual(code('ERR_CRATE_UNBOUND'));
  });

  it('lets a hop drop the crate unless the service requires it', async () => {
    const start = await root();
    const atFoo = await hop(gateway, foo, start, { crate: await accessCrate(start), seal: false });
    const without = await hop(foo, bar, held(atFoo));
    await expect(verifyRequest(requestOf(without.headers), barOptions())).resolves.toBeDefined();
    await expect(verifyRequest(requestOf(without.headers), barOptions({ requireCrate: true }))).rejects.toEqual(code('ERR_CRATE_MISSING'));
    // Dropped in transit instead: the proof covered it.
    const sent = await chainToBar({ crate: true });
    const { 'Nestoken-Crate': _, ...stripped } = sent.headers;
    await expect(verifyRequest(requestOf(stripped), barOptions())).rejects.toEqual(code('ERR_PROOF_MISMATCH'));
  });

  it('finds a dropped layer and a layer spliced onto the root', async () => {
    const sent = await chainToBar();
    const received = decodeToken(sent.token, DEFAULT_LIMITS).token;
    const { layers } = received;
    // Layer 2 after layer 0 implies layer 0's cnf.jkt as its key and layer 0's digest as prv (spec §4.6): it fails there.
    const dropped = encodeToken({ ...received, layers: [layers[0]!, layers[2]!] }, 'jwt');
    await expect(verifyRequest(requestOf({ ...sent.headers, Nestoken: dropped }), barOptions())).rejects.toEqual(oneOf(['ERR_SIGNATURE_INVALID', 'ERR_ISSUER_MISMATCH', 'ERR_IDENTITY_DOCUMENT'], 1));
    // foo tries to sign onto the issuer's layer as if it had been handed to foo, by dressing the layer
    // object up: a Token object is read from its bytes (spec §2.5), so the disguise is seen through
    // before anything is signed. (A verifier refuses such a splice built by hand: the key-binding vectors.)
    const disguised = { layers: [{ ...layers[0]!, claims: { ...layers[0]!.claims, cnf: { jkt: foo.key.publicKey.kid } } }] };
    await expect(hop(foo, bar, disguised)).rejects.toMatchObject({ code: 'ERR_KEY_BINDING' });
  });

  it('checks its options when the service is set up', () => {
    expect(() => checkVerifierOptions(barOptions({ identity: undefined as never }))).toThrow(NestokenError);
    expect(() => checkVerifierOptions(barOptions({ key: undefined as never }))).toThrow(NestokenError);
    expect(() => checkVerifierOptions(barOptions({ headerLimits: { maxTokenChars: 0 } }))).toThrow(NestokenError);
    expect(() => checkVerifierOptions({ trust: world.trust, key: bar.key })).not.toThrow();
  });

  it('hands an aggregate chain on sealed, reopened only by the service its scalar was encrypted to', async () => {
    const fooOptions = barOptions({ key: foo.key, identity: foo.identity, anonymousLastHop: 'sealed' });
    const atFoo = await hop(gateway, foo, await root(gateway, 'anon'), { anonymous: true, seal: false });
    const ctx = await verifyRequest(requestOf(atFoo.headers), fooOptions);
    expect(ctx.path.sealed).toBe(true);
    expect(ctx.token).not.toBe(atFoo.token);
    const onward = await hop(foo, bar, ctx.token, { anonymous: true });
    expect((await verifyRequest(requestOf(onward.headers), barOptions({ anonymousLastHop: 'sealed' }))).path.hops).toHaveLength(3);
    // A sealed anonymous hop is good once.
    await expect(verifyRequest(requestOf(atFoo.headers), fooOptions)).rejects.toEqual(code('ERR_PROOF_REPLAYED'));
    // Without its private key a service cannot reopen the chain.
    await expect(verifyRequest(requestOf(atFoo.headers), { ...fooOptions, key: foo.key.publicKey })).rejects.toEqual(code('ERR_USAGE'));
  });
});
