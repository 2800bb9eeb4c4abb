import * as dagCbor from '@ipld/dag-cbor';
import { CarBufferReader } from '@ipld/car';
import { decode, encode, Tagged, Tokenizer } from 'cborg';
import { compactVerify, importJWK, type JWK } from 'jose';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { describe, expect, it } from 'vitest';
import { allTests, committed } from './committed.js';

/**
 * The parts standard tools can read, read by them and not by nestoken: every JWT-form layer of
 * every valid ID-mode vector by jose, every CBOR structure of every valid vector by cborg in
 * strict mode, every crate node by @ipld/dag-cbor with CIDs recomputed by multiformats.
 */
const tags: Record<number, (d: () => unknown) => unknown> = [] as never;
tags[18] = (d) => new Tagged(18, d());
tags[0x7b2d0002] = (d) => new Tagged(0x7b2d0002, d());
const STRICT = { strict: true, rejectDuplicateMapKeys: true, allowIndefinite: false, allowUndefined: false, allowNaN: false, allowInfinity: false, useMaps: true, tags } as const;
const bytes = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'));

/**
 * cborg reads text through a TextDecoder that drops a leading byte-order mark, which spec §4.4.1
 * forbids (text starting with U+FEFF is text). Told so here, in a few lines of the test's own:
 * a string token whose bytes start with ef bb bf gets its U+FEFF back.
 */
class ExactText extends Tokenizer {
  constructor(private readonly input: Uint8Array) {
    super(input, STRICT);
  }
  override next(): ReturnType<Tokenizer['next']> {
    const start = this.pos();
    const token = super.next();
    if (token.type.name === 'string') {
      const info = this.input[start]! & 0x1f;
      const from = start + (info < 24 ? 1 : info === 24 ? 2 : info === 25 ? 3 : info === 26 ? 5 : 9);
      if (this.input[from] === 0xef && this.input[from + 1] === 0xbb && this.input[from + 2] === 0xbf && from + 2 < this.pos()) token.value = `\uFEFF${token.value as string}`;
    }
    return token;
  }
}

function strict(b: Uint8Array): unknown {
  const value = decode(b, { ...STRICT, tokenizer: new ExactText(b) });
  expect(Buffer.from(encode(value)).equals(Buffer.from(b))).toBe(true);
  return value;
}

/** A COSE_Sign1 layer: strictly decoded, its protected header and payload too. */
function coseLayer(b: Uint8Array): void {
  const outer = strict(b) as Tagged;
  expect(outer.tag).toBe(18);
  const [protectedBytes, unprotected, payload, signature] = outer.value as [Uint8Array, Map<unknown, unknown>, Uint8Array, Uint8Array];
  expect(unprotected.size).toBe(0);
  // typ is implied (spec §4.6): a token layer never sends it; an empty header is h'' (RFC 9052 §3).
  if (protectedBytes.length > 0) expect((strict(protectedBytes) as Map<unknown, unknown>).has(16)).toBe(false);
  expect(strict(payload)).toBeInstanceOf(Map);
  expect([32, 64]).toContain(signature.length);
}

const sha256b64u = async (b: Uint8Array): Promise<string> => Buffer.from(await crypto.subtle.digest('SHA-256', b)).toString('base64url');
const sortedJson = (o: Record<string, unknown>): string => JSON.stringify(Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1))));

/**
 * The JWS a JOSE library verifies (spec §4.2): the sent header with what the layer's position
 * implies put back (alg unless sent, the previous layer's cnf.jkt as kid, the SHA-256 of the
 * previous layer's bytes as prv) and typ, in canonical JSON, over the payload and signature as sent.
 */
async function rebuilt(part: string, alg: string, before: { readonly part: string; readonly audienceKey: string } | undefined): Promise<string> {
  const [h, p, sig] = part.split('.');
  const sent = h === '' ? {} : (JSON.parse(Buffer.from(h!, 'base64url').toString('utf8')) as Record<string, unknown>);
  const previousBytes = before === undefined ? undefined : before.part.includes('.') ? new Uint8Array(Buffer.from(before.part, 'ascii')) : new Uint8Array(Buffer.from(before.part, 'base64url'));
  const implied = before === undefined ? {} : { alg, kid: before.audienceKey, prv: await sha256b64u(previousBytes!) };
  return `${Buffer.from(sortedJson({ ...implied, ...sent, typ: 'nst+jwt' })).toString('base64url')}.${p}.${sig}`;
}

const tokenFiles = committed.filter((c) => c.json.schema === 'token-vectors.schema.json');
const validTokens = tokenFiles.flatMap((c) => allTests(c).filter(({ test }) => test.result === 'valid'));

describe('independent readers', () => {
  it('jose verifies every JWT-form layer of every valid ID-mode vector (alg Ed25519 or ES256, as the key says)', async () => {
    let verified = 0;
    let es256 = 0;
    for (const { group, test } of validTokens) {
      const path = test.path as { mode: string; hops: Array<{ keyThumbprint: string }> };
      if (path.mode !== 'id' || typeof test.jwt !== 'string') continue;
      const keys = Object.values(group.keys as Record<string, JWK & { kid: string }>);
      // The chain, without the documents section after `!`.
      const parts = (test.jwt as string).split('!')[0]!.split('~');
      const hops = path.hops as Array<{ keyThumbprint: string; audienceKey: string }>;
      for (const [i, part] of parts.entries()) {
        if (!part.includes('.')) continue;
        const jwk = keys.find((k) => k.kid === hops[i]!.keyThumbprint);
        expect(jwk, `test ${String(test.tcId)} layer ${i}: key in the group`).toBeDefined();
        const alg = jwk!.kty === 'EC' ? 'ES256' : 'Ed25519';
        const jws = await rebuilt(part, alg, i === 0 ? undefined : { part: parts[i - 1]!, audienceKey: hops[i - 1]!.audienceKey });
        const { protectedHeader } = await compactVerify(jws, await importJWK(jwk!, alg), { algorithms: [alg] });
        expect(protectedHeader).toMatchObject({ alg, typ: 'nst+jwt', kid: jwk!.kid });
        verified++;
        if (alg === 'ES256') es256++;
      }
    }
    expect(verified).toBeGreaterThan(50);
    expect(es256).toBeGreaterThan(10);
  });

  it("jose's check has teeth: a layer under another key, or changed, fails", async () => {
    const { group, test } = validTokens.find(({ test }) => (test.path as { mode: string }).mode === 'id' && typeof test.jwt === 'string' && !test.jwt.includes('~'))!;
    const keys = Object.values(group.keys as Record<string, JWK & { kid: string }>);
    const own = keys.find((k) => k.kid === (test.path as { hops: Array<{ keyThumbprint: string }> }).hops[0]!.keyThumbprint)!;
    const other = keys.find((k) => k.kid !== own.kid && k.kty === 'OKP')!;
    const jws = await rebuilt(test.jwt as string, 'Ed25519', undefined);
    await compactVerify(jws, await importJWK(own, 'Ed25519'), { algorithms: ['Ed25519'] });
    await expect(compactVerify(jws, await importJWK(other, 'Ed25519'), { algorithms: ['Ed25519'] })).rejects.toThrow();
    const [h, p, s] = jws.split('.');
    await expect(compactVerify(`${h}.${p}x.${s}`, await importJWK(own, 'Ed25519'), { algorithms: ['Ed25519'] })).rejects.toThrow();
    // The header as sent, without the implied typ, is not what was signed.
    await expect(compactVerify(test.jwt as string, await importJWK(own, 'Ed25519'), { algorithms: ['Ed25519'] })).rejects.toThrow();
  });

  it('txn-tokens.json without nestoken: jose verifies each valid Txn-Token, and the root JWT layer carries tth = SHA-256 of its exact text (node:crypto)', async () => {
    const { createHash } = await import('node:crypto');
    const { decodeJwt, jwtVerify, createLocalJWKSet } = await import('jose');
    const file = committed.find((c) => c.name === 'txn-tokens.json')!;
    let checked = 0;
    for (const { group, test } of allTests(file)) {
      if (test.result !== 'valid' || typeof test.jwt !== 'string') continue;
      const keys = createLocalJWKSet(group.txnTokenKeys as { keys: JWK[] });
      const { payload, protectedHeader } = await jwtVerify(test.txnToken as string, keys, { typ: 'txntoken+jwt', audience: group.txnTrustDomain as string, currentDate: new Date((test.now as number) * 1000), algorithms: ['EdDSA'] });
      expect(protectedHeader.kid).toBeDefined();
      const rootPart = (test.jwt as string).split('!')[0]!.split('~')[0]!;
      if (!rootPart.includes('.')) continue; // a CBOR root: its claims are read by cborg below
      const root = decodeJwt(rootPart);
      expect(root.tth).toBe(createHash('sha256').update(test.txnToken as string, 'ascii').digest('base64url'));
      expect(root.txn).toBe(payload.txn);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('cborg in strict mode decodes every CBOR-form token and every CBOR layer of every valid vector, and re-encodes the same bytes', () => {
    let layers = 0;
    for (const { test } of validTokens) {
      if (typeof test.cborHex === 'string') {
        const token = strict(bytes(test.cborHex)) as Tagged;
        expect(token.tag).toBe(0x7b2d0002);
        const [documents, list, proof] = token.value as [unknown[], unknown[], Uint8Array | undefined];
        for (const d of documents) expect(typeof d === 'string' || (Array.isArray(d) && d.every((c) => c instanceof Uint8Array))).toBe(true);
        for (const layer of list) {
          if (layer instanceof Uint8Array) {
            coseLayer(layer);
            layers++;
          } else expect(typeof layer).toBe('string');
        }
        if (proof !== undefined) expect([32, 64]).toContain(proof.length);
      }
      if (typeof test.jwt === 'string') {
        for (const part of (test.jwt as string).split('!')[0]!.split('~')) {
          const raw = Buffer.from(part, 'base64url');
          if (!part.includes('.') && raw[0] === 0xd2) coseLayer(new Uint8Array(raw));
        }
      }
    }
    expect(layers).toBeGreaterThan(40);
  });

  it('@ipld/dag-cbor decodes every crate node of every valid crate vector, and multiformats recomputes the CIDs', () => {
    const crates = committed.find((c) => c.name === 'crates.json')!;
    const cidOf = (b: Uint8Array) => CID.createV1(0x71, sha256.digest(b) as never).toString();
    const nodesOfCompact = (text: string) => {
      const [version, nodes] = dagCbor.decode(Buffer.from(text.trim(), 'base64url')) as [number, Uint8Array[]];
      expect(version).toBe(1);
      return nodes;
    };
    let nodes = 0;
    for (const { test } of allTests(crates)) {
      if (test.result !== 'valid') continue;
      const report = test.report as { root: string; proven: Array<{ cid: string; type: string }> } | undefined;
      const decoded = (list: Uint8Array[]) =>
        list.map((b) => {
          // dag-cbor's options, text read exactly (a leading U+FEFF is text, spec §10.3.1).
          const node = decode(b, { ...dagCbor.decodeOptions, tokenizer: new ExactText(b) }) as { type: string };
          expect(Buffer.from(dagCbor.encode(node)).equals(Buffer.from(b))).toBe(true);
          nodes++;
          return { cid: cidOf(b), type: node.type };
        });
      if (typeof test.compact === 'string') {
        const proven = decoded(nodesOfCompact(test.compact));
        if (report) expect(proven).toEqual(report.proven);
      }
      if (typeof test.carHex === 'string') {
        const car = CarBufferReader.fromBytes(bytes(test.carHex));
        expect(String(car.getRoots()[0])).toBe(report!.root);
        for (const block of car.blocks()) {
          expect(cidOf(block.bytes)).toBe(block.cid.toString());
          dagCbor.decode(block.bytes);
          nodes++;
        }
      }
      const merge = test.merge as { a: string; b: string } | undefined;
      if (merge) for (const side of [merge.a, merge.b]) decoded(nodesOfCompact(side));
    }
    expect(nodes).toBeGreaterThan(100);
  });
});
