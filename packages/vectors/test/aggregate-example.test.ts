import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ed25519, ristretto255 } from '@noble/curves/ed25519.js';
import { createTrustBundle, decodeToken, DEFAULT_LIMITS, encodeToken, extend, issue, seal, signingKeyFromSeed, verify, type Layer, type Token } from '@nestoken/core';
import { describe, expect, it } from 'vitest';
import { aggregateIntermediates } from '../src/aggregate-math.js';
import { b64u, concat, fromUtf8, hex, scalarBytes, scalarOf, sha256, utf8 } from '../src/bytes.js';
import { jwtHeaderText, jwtSignedHeaderText, signingInput } from '../src/wire/layer.js';
import { ROOT } from './committed.js';

/**
 * The worked example of spec §6.4, recomputed from its stated inputs (keys K1 and K2, ρ bytes
 * 0x01..0x04, the claims) with core making the token and the spec's formulas (§6.1, §6.3, §6.5,
 * written here over noble, not core) giving the values on the way, then compared with the
 * block and the sentence the spec prints: the text cannot drift from the library.
 */
const L = ed25519.Point.Fn.ORDER;
const G = ristretto255.Point.BASE;
const DST = (name: string) => utf8(`nestoken/v1/nst-r255/${name}`);
const H = (...parts: Uint8Array[]): bigint => scalarOf(new Uint8Array(createHash('sha512').update(concat(...parts)).digest())) % L;
const fill = (n: number) => new Uint8Array(32).fill(n);
const enc = (s: bigint) => scalarBytes(s);
const scalar = (s: bigint) => hex(enc(s));
const element = (s: bigint) => hex(G.multiply(s).toBytes());

/** §6.1: the secret scalar of an Ed25519 seed, and its key as a ristretto255 element. */
function keyOf(n: number) {
  const head = new Uint8Array(createHash('sha512').update(fill(n)).digest()).subarray(0, 32);
  head[0]! &= 248;
  head[31]! &= 127;
  head[31]! |= 64;
  const key = signingKeyFromSeed(fill(n));
  return { key, x: scalarOf(head) % L, X: hex(new ristretto255.Point(ed25519.Point.fromBytes(key.publicKey.bytes)).toBytes()) };
}

const claims = [{ exp: 1700003600 }, { data: { hop: 1 } }, {}] as const;

async function example() {
  const k1 = keyOf(1);
  const k2 = keyOf(2);
  const t1 = await issue({ mode: 'anon', key: k1.key, claims: claims[0], random: () => fill(1) });
  const t2 = await extend(t1, { claims: claims[1], random: () => fill(2) });
  const t3 = await extend(t2, { key: k2.key, claims: claims[2], random: () => fill(3) });
  const sealed = seal(t3, () => fill(4));
  return { k1, k2, t2, t3, sealed };
}

const SI = (l: Layer) => signingInput(l.format, l.header, l.claims);
const sentText = (l: Layer) => jwtHeaderText(l.header) || '(nothing)';

/** The block of spec §6.4, each value computed as the line next to it says. */
async function computedBlock(): Promise<{ block: string; sentence: Record<string, string> }> {
  const { k1, k2, t2, t3, sealed } = await example();
  const [l1, l2, l3] = t3.layers as [Layer, Layer, Layer];
  const [i1, i2, i3] = aggregateIntermediates(encodeToken(t3, 'jwt'), (kid) => [k1, k2].find((k) => k.key.publicKey.kid === kid)?.key.publicKey.bytes);
  const slot = (l: Layer, r: bigint) => {
    // What core wrote in the signature slot is [r]G for the nonce the spec derives.
    expect(hex(l.signature)).toBe(element(r));
    return element(r);
  };
  const r1 = H(DST('nonce'), enc(0n), enc(k1.x), fill(1), SI(l1));
  const e1 = H(DST('key'), l1.signature, SI(l1));
  const s1 = (r1 + e1 * k1.x) % L;
  const r2 = H(DST('nonce'), enc(s1), enc(0n), fill(2), SI(l2));
  const c2 = H(DST('challenge'), l2.signature, SI(l2));
  const s2 = (r2 + c2 * s1) % L;
  expect(hex(t2.proof!)).toBe(scalar(s2));
  const r3 = H(DST('nonce'), enc(s2), enc(k2.x), fill(3), SI(l3));
  const c3 = H(DST('challenge'), l3.signature, SI(l3));
  const e3 = H(DST('key'), l3.signature, SI(l3));
  const s3 = (r3 + c3 * s2 + e3 * k2.x) % L;
  expect(element(s3)).toBe(i3!.S);
  const d = sha256(l3.bytes);
  const rs = H(DST('nonce'), enc(s3), fill(4), d);
  const cs = H(DST('seal'), G.multiply(rs).toBytes(), d);
  const z = (rs + cs * s3) % L;
  expect(hex(sealed.proof!)).toBe(element(rs) + scalar(z));

  const si = fromUtf8(SI(l1));
  const siLines = Array.from({ length: Math.ceil(si.length / 90) }, (_, i) => si.slice(i * 90, i * 90 + 90));
  const [h3a, h3b] = splitAfterSecondMember(jwtSignedHeaderText(l3.header));
  const lines = [
    `x_1 (K1)  ${scalar(k1.x)}`,
    `X_1       ${k1.X}`,
    `L_1  header ${jwtSignedHeaderText(l1.header)}`,
    `     sent   ${sentText(l1)}`,
    `     SI  = ${siLines[0]}`,
    ...siLines.slice(1).map((l) => `           ${l}`),
    `     r_1 = ${scalar(r1)}`,
    `           = H(DST_N ‖ enc(0) ‖ enc(x_1) ‖ 01…01 ‖ SI_1)`,
    `     R_1 = ${slot(l1, r1)}`,
    `     e_1 = ${i1!.keyChallenge}`,
    `     s_1 = ${scalar(s1)}   (r_1 + e_1·x_1)`,
    `     S_1 = ${i1!.S}   (R_1 + [e_1]X_1)`,
    `L_2  header ${jwtSignedHeaderText(l2.header)}`,
    `     sent   ${sentText(l2)}, claims ${JSON.stringify(l2.claims)}`,
    `     r_2 = ${scalar(r2)}`,
    `           = H(DST_N ‖ enc(s_1) ‖ enc(0) ‖ 02…02 ‖ SI_2)`,
    `     R_2 = ${slot(l2, r2)}`,
    `     c_2 = ${i2!.challenge}`,
    `     s_2 = ${scalar(s2)}   (r_2 + c_2·s_1)`,
    `     S_2 = ${i2!.S}`,
    `x_3 (K2)  ${scalar(k2.x)}`,
    `X_3       ${k2.X}`,
    `L_3  header ${h3a}`,
    `             ${h3b}, claims ${JSON.stringify(l3.claims)}`,
    `     sent   ${sentText(l3)}`,
    `     r_3 = ${scalar(r3)}`,
    `           = H(DST_N ‖ enc(s_2) ‖ enc(x_3) ‖ 03…03 ‖ SI_3)`,
    `     R_3 = ${slot(l3, r3)}`,
    `     c_3 = ${i3!.challenge}`,
    `     e_3 = ${i3!.keyChallenge}`,
    `     s_3 = ${scalar(s3)}   (never sent: sealed)`,
    `     S_3 = ${i3!.S}   (R_3 + [c_3]S_2 + [e_3]X_3)`,
    `seal d   = SHA-256(L_3) = ${hex(d)}`,
    `     c'  = ${scalar(cs)}`,
    `     R'‖z = ${element(rs)}`,
    `            ${scalar(z)}`,
  ];
  const open = encodeToken(t2, 'jwt');
  return {
    block: lines.join('\n'),
    sentence: {
      openChars: String(open.length),
      openTail: open.slice(open.lastIndexOf('~') + 1),
      sealedChars: String(encodeToken(sealed, 'jwt').length),
      sealedBytes: String(encodeToken(sealed, 'cbor').length),
    },
  };
}

function splitAfterSecondMember(json: string): [string, string] {
  const at = json.indexOf(',"', json.indexOf(',"') + 1) + 1;
  return [json.slice(0, at), json.slice(at)];
}

/** The fenced block after "**Worked example**" in spec §6.4, and the numbers of the sentence after it. */
function printed(): { block: string; sentence: Record<string, string> } {
  const text = readFileSync(`${ROOT}spec/06-aggregate-modes.md`, 'utf8');
  const from = text.indexOf('**Worked example**');
  const [, block, after] = /```\n([\s\S]*?)\n```\n([\s\S]*?)\n## /.exec(text.slice(from))!;
  const m = /open token in the JWT form is (\d+) characters and ends in\s+`~([A-Za-z0-9_-]+)`[\s\S]*?is (\d+) characters \(JWT form\) or (\d+) bytes/.exec(after!);
  expect(m, 'the sentence after the block').not.toBeNull();
  return { block: block!, sentence: { openChars: m![1]!, openTail: m![2]!, sealedChars: m![3]!, sealedBytes: m![4]! } };
}

describe('the worked example of spec §6.4', () => {
  it('prints the values the library and the formulas give for its inputs', async () => {
    const computed = await computedBlock();
    const spec = printed();
    expect(spec.block).toBe(computed.block);
    expect(spec.sentence).toEqual(computed.sentence);
    expect(computed.sentence.openTail).toBe(b64u(decodeToken(encodeToken((await example()).t2, 'jwt'), DEFAULT_LIMITS).token.proof!));
  });

  it('verifies, with either verifier, as the hybrid sealed chain the text says', async () => {
    const { k1, k2, sealed } = await example();
    const trust = createTrustBundle({
      signers: [
        { identity: 'spiffe://example.org/gateway', key: k1.key.publicKey },
        { identity: 'spiffe://example.org/foo', key: k2.key.publicKey },
      ],
    });
    for (const aggregateVerifier of ['msm', 'sequential'] as const) {
      for (const form of ['jwt', 'cbor'] as const) {
        const path = await verify(encodeToken(sealed as Token, form), { trust, now: 1700000000, modes: ['hybrid'], allowAnyAudience: true, aggregateVerifier });
        expect(path).toMatchObject({ mode: 'hybrid', sealed: true });
        expect(path.hops.map((h) => h.identity)).toEqual(['spiffe://example.org/gateway', 'anonymous', 'spiffe://example.org/foo']);
      }
    }
  });
});
