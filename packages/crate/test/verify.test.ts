import { createTrustBundle, encodeToken, generateSigningKey, issue, issueIdentityDocument, loadWitIssuers, verify, witIssuerJwks, type SigningKey } from '@nestoken/core';
import { describe, expect, it } from 'vitest';
import {
  ATTESTATION_CONTEXT,
  blockFromNode,
  CrateBuilder,
  DEFAULT_CRATE_LIMITS,
  fromCar,
  fromCompact,
  linkCrate,
  present,
  toCar,
  toCompact,
  trim,
  verifyCrate,
  type Crate,
  type CrateBlock,
  type NodeCid,
} from '../src/index.js';
import { attesters, NOW, nestokens, outsider, trust } from './fixtures.js';

const code = (c: string) => expect.objectContaining({ code: c });

function base(): Crate {
  const b = new CrateBuilder();
  const access = b.bucket({ name: 'access', items: [b.token({ format: 'nestoken', bytes: nestokens[0]! }), b.token({ format: 'jwt', bytes: 'eyJ.e30.sig' })] });
  b.bucket({ name: 'hops', items: [b.token({ format: 'nestoken', bytes: nestokens[2]! }), access] });
  return b.build();
}

/** An attestation node built by hand, to try statements the builder would never sign. */
async function withStatement(c: Crate, subjects: NodeCid[], statement: Uint8Array): Promise<Crate> {
  const att = blockFromNode({ type: 'attestation', subjects, statement }, DEFAULT_CRATE_LIMITS);
  const root = blockFromNode({ type: 'crate', version: 1, buckets: [], attestations: [att.cid], prev: c.root }, DEFAULT_CRATE_LIMITS);
  const blocks = new Map<string, CrateBlock>([...c.blocks, [att.cid.toString(), att], [root.cid.toString(), root]]);
  return linkCrate(root.cid, blocks, DEFAULT_CRATE_LIMITS);
}

async function statement(key: SigningKey, data: unknown, audience = key.publicKey, format: 'cbor' | 'jwt' = 'cbor', typed = format === 'cbor'): Promise<Uint8Array> {
  const t = await issue({ key, audienceKey: audience, claims: { exp: NOW + 600, data: data as never }, format, ...(typed ? { use: 'attestation' as const } : {}) });
  return format === 'cbor' ? encodeToken(t, 'cbor') : new TextEncoder().encode(encodeToken(t, 'jwt'));
}

describe('verifyCrate', () => {
  it('proves every node, verifies nestokens and attestations, and names each token by its path', async () => {
    const c0 = base();
    const b = new CrateBuilder(c0);
    await b.attest({ key: attesters[0], subjects: [c0.root], expiresAt: NOW + 600, issuer: 'spiffe://example.org/gateway' });
    const c = b.build();
    const report = await verifyCrate(c, { trust, now: NOW });
    expect(report.root).toBe(c.root.toString());
    expect(report.proven.map((p) => p.cid)).toEqual([...c.blocks.keys()]);
    expect(report.trimmed).toEqual([]);
    expect(report.tokens.map((t) => [t.format, t.buckets.join('/'), t.chain?.issuer])).toEqual([
      ['nestoken', 'hops', 'spiffe://example.org/gateway'],
      ['nestoken', 'hops/access', 'spiffe://example.org/gateway'],
      ['jwt', 'hops/access', undefined],
    ]);
    for (const t of report.tokens) expect(t.path[0]).toBe(c.root.toString());
    expect(report.attestations).toEqual([
      expect.objectContaining({ attester: 'spiffe://example.org/gateway', subjects: [c0.root.toString()], via: 'trust-bundle', expiresAt: NOW + 600 }),
    ]);
  });

  it('lists trimmed nodes and checks only what is present', async () => {
    const c = base();
    const jwt = [...c.blocks.values()].find((b) => b.node.type === 'token' && b.node.format === 'jwt')!;
    const t = trim(c, [jwt.cid]);
    const report = await verifyCrate(t, { trust, now: NOW });
    expect(report.tokens.map((x) => x.cid)).toEqual([jwt.cid.toString()]);
    expect(report.trimmed.length).toBe(2);
    // Expired nestokens inside are not checked once trimmed away.
    await expect(verifyCrate(c, { trust, now: NOW + 10_000 })).rejects.toMatchObject({ code: 'ERR_EXPIRED' });
    await expect(verifyCrate(t, { trust, now: NOW + 10_000 })).resolves.toBeTruthy();
  });

  it('passes token options through and names the failing token', async () => {
    await expect(verifyCrate(base(), { trust, now: NOW, tokens: { audience: outsider.publicKey } })).rejects.toMatchObject({
      code: 'ERR_AUDIENCE_MISMATCH',
      message: expect.stringMatching(/^token bafy/),
    });
    await expect(verifyCrate(base(), { trust: createTrustBundle({}), now: NOW })).rejects.toMatchObject({ code: 'ERR_KEY_UNTRUSTED' });
    await expect(verifyCrate(base(), undefined as never)).rejects.toMatchObject({ code: 'ERR_USAGE' });
  });

  it('refuses attestations by untrusted, expired or unlisted attesters', async () => {
    const c0 = base();
    const by = async (key: SigningKey, expiresAt = NOW + 600) => {
      const b = new CrateBuilder(c0);
      await b.attest({ key, subjects: [c0.root], expiresAt });
      return b.build();
    };
    await expect(verifyCrate(await by(outsider), { trust, now: NOW })).rejects.toMatchObject({ code: 'ERR_KEY_UNTRUSTED', message: expect.stringMatching(/^attestation /) });
    await expect(verifyCrate(await by(attesters[1], NOW + 10), { trust, now: NOW + 100, tokens: {} })).rejects.toMatchObject({ code: 'ERR_EXPIRED' });
    await expect(verifyCrate(await by(attesters[1]), { trust, now: NOW, attesters: ['spiffe://example.org/gateway'] })).rejects.toMatchObject({ code: 'ERR_KEY_UNTRUSTED' });
    await expect(verifyCrate(await by(attesters[1]), { trust, now: NOW, attesters: ['spiffe://example.org/foo'] })).resolves.toBeTruthy();
  });

  it('accepts an attester vouched for by an identity document', async () => {
    const authority = generateSigningKey(new Uint8Array(32).fill(5));
    const worker = generateSigningKey(new Uint8Array(32).fill(6));
    const wit = await issueIdentityDocument({ authority, subject: 'spiffe://example.org/worker', key: worker.publicKey, expiresAt: NOW + 3600 });
    const bundle = loadWitIssuers(witIssuerJwks(authority), { trustDomain: 'example.org' });
    const c0 = new CrateBuilder().build();
    const b = new CrateBuilder(c0);
    await b.attest({ key: worker, subjects: [c0.root], expiresAt: NOW + 600, identityDocument: wit });
    const report = await verifyCrate(b.build(), { trust: bundle, now: NOW });
    expect(report.attestations[0]).toMatchObject({ attester: 'spiffe://example.org/worker', via: 'identity-document' });
  });

  it('refuses a statement that vouches for other CIDs, is addressed to someone else, or is not a crate statement', async () => {
    const c = base();
    const [rootCid, other] = [c.root, [...c.blocks.values()][1]!.cid];
    const attests = (cids: NodeCid[]) => ({ ctx: ATTESTATION_CONTEXT, attests: cids.map(String) });
    await expect(verifyCrate(await withStatement(c, [rootCid], await statement(attesters[0], attests([rootCid]))), { trust, now: NOW })).resolves.toBeTruthy();
    const cases: Array<[Uint8Array, string]> = [
      [await statement(attesters[0], attests([other])), 'ERR_CRATE_NODE_INVALID'],
      [await statement(attesters[0], attests([rootCid, other])), 'ERR_CRATE_NODE_INVALID'],
      [await statement(attesters[0], { attests: [rootCid.toString()] }), 'ERR_CRATE_NODE_INVALID'],
      [await statement(attesters[0], { ...attests([rootCid]), more: 1 }), 'ERR_CRATE_NODE_INVALID'],
      [await statement(attesters[0], attests([rootCid]), attesters[1].publicKey), 'ERR_CRATE_NODE_INVALID'],
      // An ordinary token is not a statement, whatever it says (spec §10.4.2).
      [await statement(attesters[0], attests([rootCid]), attesters[0].publicKey, 'jwt'), 'ERR_HEADER_INVALID'],
      [await statement(attesters[0], attests([rootCid]), attesters[0].publicKey, 'cbor', false), 'ERR_HEADER_INVALID'],
      [Uint8Array.of(1, 2, 3), 'ERR_MALFORMED'],
    ];
    for (const [s, expected] of cases) {
      await expect(verifyCrate(await withStatement(c, [rootCid], s), { trust, now: NOW })).rejects.toMatchObject({ code: expected });
    }
  });

  it('re-hashes present nodes and re-checks the declared trimmed list of a crate held in memory', async () => {
    const c = base();
    const t = trim(c, []);
    const forged = { ...t, trimmed: t.trimmed.slice(1) };
    await expect(verifyCrate(forged, { trust, now: NOW })).rejects.toMatchObject({ code: 'ERR_CRATE_DANGLING_LINK' });
    expect(() => present(c, ['bafyreiaaaa'])).toThrow(code('ERR_USAGE'));
    for (const junk of [null, {}, { root: 1, blocks: [], trimmed: [] }]) {
      await expect(verifyCrate(junk as never, { trust, now: NOW })).rejects.toMatchObject({ code: 'ERR_USAGE' });
    }
    const swapped = new Map([...c.blocks].map(([k, b], i, all) => [k, { ...b, bytes: all[(i + 1) % all.length]![1].bytes }]));
    await expect(verifyCrate({ ...c, blocks: swapped }, { trust, now: NOW })).rejects.toMatchObject({ code: 'ERR_CRATE_CID_MISMATCH' });
    await expect(verifyCrate({ ...c, root: 'bafy' as never }, { trust, now: NOW })).rejects.toMatchObject({ code: 'ERR_CRATE_NODE_INVALID' });
  });

  it('verifies what the bytes of a read crate say, whatever its node objects were changed to since', async () => {
    const b = new CrateBuilder(base());
    await b.attest({ key: attesters[0], subjects: [base().root], expiresAt: NOW + 600, issuer: 'spiffe://example.org/gateway' });
    const c = b.build();
    const expected = await verifyCrate(c, { trust, now: NOW });
    for (const read of [fromCar(toCar(c)), fromCompact(toCompact(c))]) {
      for (const block of read.blocks.values()) {
        const node = block.node as unknown as Record<string, unknown>;
        if (node.type === 'token') {
          (node.bytes as Uint8Array).fill(0);
          node.format = node.format === 'nestoken' ? 'other' : 'nestoken';
        }
        if (node.type === 'attestation') (node.statement as Uint8Array).fill(0);
        if (node.type === 'bucket') node.name = 'changed';
        for (const link of block.links) link.cid.bytes[9] ^= 1;
      }
      expect(await verifyCrate(read, { trust, now: NOW })).toEqual(expected);
      const victim = [...read.blocks.values()].find((x) => x.node.type === 'token')!;
      victim.bytes[victim.bytes.length - 1] ^= 1;
      await expect(verifyCrate(read, { trust, now: NOW })).rejects.toMatchObject({ code: 'ERR_CRATE_CID_MISMATCH' });
    }
  });

  it('checks every node of a read crate again under limits stricter than those it was read with', async () => {
    const c = base();
    const read = fromCar(toCar(c), { maxFanout: 2 });
    await expect(verifyCrate(read, { trust, now: NOW })).resolves.toMatchObject({ root: c.root.toString() });
    const roomy = new CrateBuilder(c);
    roomy.bucket({ name: 'three', items: [...c.blocks.values()].filter((x) => x.node.type === 'token').map((x) => x.cid) });
    const wide = fromCompact(toCompact(roomy.build()));
    await expect(verifyCrate(wide, { trust, now: NOW, limits: { maxFanout: 2 } })).rejects.toMatchObject({ code: 'ERR_LIMIT_EXCEEDED' });
  });

  it('an attestation statement never verifies as a token', async () => {
    const s = await statement(attesters[0], { ctx: ATTESTATION_CONTEXT, attests: [base().root.toString()] });
    await expect(verify(s, { trust, now: NOW, audience: attesters[0].publicKey })).rejects.toMatchObject({ code: 'ERR_HEADER_INVALID' });
  });
});
