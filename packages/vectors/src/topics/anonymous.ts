import type { Layer, LayerFormat } from '@nestoken/core';
import { hex, scalarBytes, scalarOf } from '../bytes.js';
import { HOUR, NOW } from '../cast.js';
import { anonymousLink } from '../aggregate-math.js';
import { aggregateChain, aggregateExtras, type AggregateSpec, digestOf, idChain } from '../chains.js';
import type { TokenVectorFile } from '../model.js';
import { replaceAt, structuralExpectation, swap, tamperExpectation, without } from '../structure.js';
import { cborForm, jwtForm } from '../wire/container.js';
import { reencode } from '../wire/layer.js';
import { addToken, topicContext } from './context.js';

export const ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;
const P = 2n ** 255n - 19n;

/** 32-byte strings that are not canonical ristretto255 encodings (RFC 9496 §4.3.1): each must fail to decode. */
export const BAD_ELEMENTS: ReadonlyArray<readonly [string, Uint8Array, 'IdentityPoint' | 'NonCanonicalPoint']> = [
  ['the identity (32 zero bytes)', new Uint8Array(32), 'IdentityPoint'],
  ['32 bytes of 0xff', new Uint8Array(32).fill(0xff), 'NonCanonicalPoint'],
  ['the field prime p', scalarBytes(P), 'NonCanonicalPoint'],
  ['p + 2, a non-canonical encoding of 2', scalarBytes(P + 2n), 'NonCanonicalPoint'],
  ['1, a negative field element', scalarBytes(1n), 'NonCanonicalPoint'],
  ['p - 1, a negative field element', scalarBytes(P - 1n), 'NonCanonicalPoint'],
];

const shape = (formats: readonly LayerFormat[]): Pick<AggregateSpec, 'rootFormat' | 'hops'> => ({
  rootFormat: formats[0]!,
  hops: formats.slice(1).map((format) => ({ format })),
});

export async function anonymousVectors(seed: string): Promise<TokenVectorFile> {
  const { cast, file } = topicContext(seed);
  const g = file.group({
    comment: 'Anonymous mode: the issuer (idp) signs the root; every later link is signed with the previous scalar, so only its holder could add it.',
    keys: cast.publicKeys(['idp', 'gateway', 'stranger']),
    trust: cast.trust(['idp', 'gateway']),
  });
  const anon = (formats: readonly LayerFormat[], tag: string, sealed = false) => aggregateChain(cast, { root: 'idp', ...shape(formats), tag, sealed });

  const shapes: ReadonlyArray<readonly LayerFormat[]> = [
    ['jwt'],
    ['cbor'],
    ['jwt', 'cbor'],
    ['cbor', 'jwt'],
    ['jwt', 'jwt', 'jwt'],
    ['cbor', 'cbor', 'cbor', 'cbor'],
    ['jwt', 'cbor', 'cbor', 'jwt', 'jwt', 'cbor', 'jwt', 'cbor'],
    Array.from({ length: 16 }, (_, i) => (i % 2 ? 'cbor' : 'jwt')),
  ];
  for (const [k, formats] of shapes.entries()) {
    for (const sealed of k < 4 || k === 6 ? [false, true] : [false]) {
      const b = await anon(formats, `anon${k}${sealed ? 's' : ''}`, sealed);
      const flags = ['ValidChain', ...(new Set(formats).size > 1 ? ['MixedFormats'] : []), ...(formats.length >= 8 ? ['LongChain'] : []), ...(sealed ? ['Sealed'] : [])];
      addToken(g, b.token, { comment: `${formats.length} link(s): ${formats.join(', ')}${sealed ? ', sealed' : ''}`, flags, expect: { valid: b.path }, ...aggregateExtras(b) });
      if (k === 5 || k === 6) {
        addToken(g, b.token, { comment: `${formats.length} link(s), checked hop by hop${sealed ? ', sealed' : ''}`, flags: [...flags, 'SequentialVerifier'], options: { aggregateVerifier: 'sequential' }, expect: { valid: b.path }, ...aggregateExtras(b) });
      }
      if (sealed && k === 2) {
        addToken(g, b.token, { comment: 'a sealed chain where the verifier requires one', flags: [...flags, 'VerifierPolicy'], options: { requireSealed: true }, expect: { valid: b.path }, ...aggregateExtras(b) });
      }
    }
  }

  const base = await anon(['jwt', 'cbor', 'jwt', 'cbor'], 'base');
  const L = base.token.layers;
  const proof = base.token.proof!;
  const n = L.length;
  const structural = (layers: readonly Layer[], comment: string, flags: string[]) =>
    addToken(g, { layers, proof }, { comment, flags, expect: structuralExpectation(layers, 'aggregate') });
  for (let k = 1; k < n; k++) structural(L.slice(0, k), `only the first ${k} of ${n} links, with the scalar of the whole chain`, ['TailTruncation']);
  for (let k = 1; k < n; k++) structural(L.slice(k), `the first ${k} link(s) removed`, ['RootRemoved']);
  for (let i = 1; i < n - 1; i++) structural(without(L, i), `link ${i} removed`, ['LayerRemoved']);
  for (let i = 0; i < n - 1; i++) structural(swap(L, i, i + 1), `links ${i} and ${i + 1} swapped`, ['Reorder']);
  structural([...L].reverse(), 'links in reverse order', ['Reorder']);
  for (let i = 0; i < n; i++) structural([...L.slice(0, i + 1), L[i]!, ...L.slice(i + 1)], `link ${i} repeated after itself`, ['DuplicateLayer']);
  const other = await anon(['jwt', 'cbor', 'jwt', 'cbor'], 'other');
  for (let i = 0; i < n - 1; i++) structural([...L.slice(0, i + 1), ...other.token.layers.slice(i + 1)], `links 0..${i} of one chain, the rest of another from the same issuer`, ['Splice']);

  for (let i = 0; i < n; i++) {
    const changed = reencode(L[i]!, { claims: { ...L[i]!.claims, jti: `changed-${i}` } });
    addToken(g, { layers: replaceAt(L, i, changed), proof }, { comment: `link ${i}'s jti changed`, flags: ['ModifiedClaims'], expect: tamperExpectation(i, n, 'aggregate') });
    const moved = reencode(L[i]!, { signature: L[(i + 1) % n]!.signature });
    addToken(g, { layers: replaceAt(L, i, moved), proof }, { comment: `link ${i}'s R replaced by that of link ${(i + 1) % n}`, flags: ['ModifiedCommitment'], expect: tamperExpectation(i, n, 'aggregate') });
  }
  const s = scalarOf(proof);
  addToken(g, { layers: L, proof: scalarBytes((s + 1n) % ORDER) }, { comment: 's_n + 1', flags: ['ModifiedScalar'], expect: { code: 'ERR_SIGNATURE_INVALID' } });
  addToken(g, { layers: L, proof: scalarBytes(s + ORDER) }, { comment: 's_n + L: the same residue, not reduced', flags: ['NonCanonicalScalar'], expect: { code: 'ERR_SCALAR_INVALID' } });
  for (const [what, v] of [['L', ORDER], ['L + 1', ORDER + 1n], ['2^256 - 1', 2n ** 256n - 1n]] as const) {
    addToken(g, { layers: L, proof: scalarBytes(v) }, { comment: `s_n = ${what}`, flags: ['NonCanonicalScalar'], expect: { code: 'ERR_SCALAR_INVALID' } });
  }
  addToken(g, { layers: L, proof: new Uint8Array(32) }, { comment: 's_n = 0', flags: ['ZeroScalar'], expect: { code: 'ERR_SCALAR_INVALID' } });
  for (const [what, bytes, flag] of BAD_ELEMENTS) {
    addToken(g, { layers: replaceAt(L, n - 1, reencode(L[n - 1]!, { signature: bytes })), proof }, { comment: `the last R is ${what}`, flags: [flag], expect: { code: 'ERR_POINT_INVALID', layer: n - 1 } });
  }
  addToken(g, { layers: replaceAt(L, 1, reencode(L[1]!, { signature: new Uint8Array(32) })), proof }, { comment: 'an inner R is the identity: refused when the commitments are decoded, before any arithmetic', flags: ['IdentityPoint'], expect: { code: 'ERR_POINT_INVALID', layer: 1 } });
  for (const len of [0, 31, 33, 48, 63, 65]) {
    addToken(g, { layers: L, proof: new Uint8Array(len).fill(7) }, { comment: `a proof of ${len} bytes`, flags: ['ProofLength'], expect: { code: 'ERR_MALFORMED' } });
  }

  // Sealing (spec §6.5).
  const sealed = await anon(['cbor', 'jwt', 'cbor'], 'sealed', true);
  const seal = sealed.token.proof!;
  const SL = sealed.token.layers;
  const withSeal = (commitment: Uint8Array, response: Uint8Array) => Uint8Array.from([...commitment, ...response]);
  addToken(g, { layers: SL, proof: withSeal(new Uint8Array(32), seal.subarray(32)) }, { comment: "the seal's R' is the identity", flags: ['IdentityPoint'], expect: { code: 'ERR_POINT_INVALID' } });
  addToken(g, { layers: SL, proof: withSeal(seal.subarray(0, 32), scalarBytes(ORDER)) }, { comment: "the seal's z is L", flags: ['NonCanonicalScalar'], expect: { code: 'ERR_SCALAR_INVALID' } });
  addToken(g, { layers: SL, proof: withSeal(seal.subarray(0, 32), scalarBytes((scalarOf(seal.subarray(32)) + 1n) % ORDER)) }, { comment: "the seal's z + 1", flags: ['ModifiedScalar'], expect: { code: 'ERR_SIGNATURE_INVALID' } });
  addToken(g, { layers: SL.slice(0, 2), proof: seal }, { comment: 'the seal of a three-link chain on its first two links', flags: ['SealMoved', 'TailTruncation'], expect: { code: 'ERR_SIGNATURE_INVALID' } });
  const otherSealed = await anon(['cbor', 'jwt', 'cbor'], 'sealed-other', true);
  addToken(g, { layers: SL, proof: otherSealed.token.proof! }, { comment: 'the seal of another chain of the same shape', flags: ['SealMoved'], expect: { code: 'ERR_SIGNATURE_INVALID' } });
  addToken(g, base.token, { comment: 'an open chain where the verifier requires a sealed one', flags: ['NotSealed'], options: { requireSealed: true }, expect: { code: 'ERR_NOT_SEALED' } });

  // Proof presence: the forms differ, so each case carries the one form it is about.
  const one = await anon(['jwt'], 'one');
  const jwtLast = await anon(['cbor', 'jwt'], 'jwt-last');
  g.add({ comment: 'JWT form: a one-link chain without its proof', flags: ['ProofMissing'], now: NOW, jwt: jwtForm({ layers: one.token.layers }), expect: { code: 'ERR_MALFORMED' } });
  g.add({ comment: 'JWT form: the proof dropped, so the last link (a CBOR layer, valid base64url) is read as a proof of the wrong length', flags: ['ProofMissing'], now: NOW, jwt: jwtForm({ layers: L }), expect: { code: 'ERR_MALFORMED' } });
  g.add({ comment: 'JWT form: the proof dropped, so the last link (a JWS, with dots) is read as the proof', flags: ['ProofMissing'], now: NOW, jwt: jwtForm({ layers: jwtLast.token.layers }), expect: { code: 'ERR_BASE64' } });
  g.add({ comment: 'CBOR form: an aggregate chain without its proof', flags: ['ProofMissing'], now: NOW, cborHex: hex(cborForm({ layers: L })), expect: { code: 'ERR_MALFORMED' } });
  const idToken = (await idChain(cast, { roles: ['idp', 'gateway'], formats: ['cbor'], tag: 'id-with-proof' })).token;
  g.add({ comment: 'CBOR form: an ID-mode chain with a proof', flags: ['ProofMissing'], now: NOW, cborHex: hex(cborForm({ layers: idToken.layers, proof })), expect: { code: 'ERR_MALFORMED' } });

  // Header, claims, keys, policy.
  const last = L[n - 1]!;
  addToken(g, { layers: replaceAt(L, n - 1, reencode(last, { claims: { ...last.claims, cnf: { jkt: cast.kid('gateway') } } })), proof }, { comment: 'the last link names an audience key', flags: ['AudienceInAggregate'], expect: { code: 'ERR_CLAIMS_INVALID', layer: n - 1 } });
  const { kid: _kid, ...anonymousRoot } = one.token.layers[0]!.header;
  addToken(g, { layers: [reencode(one.token.layers[0]!, { header: anonymousRoot })], proof: one.token.proof! }, { comment: 'a root link without kid: a first layer that does not name its key extends a missing layer', flags: ['AnonymousRoot'], expect: { code: 'ERR_CHAIN_TRUNCATED', layer: 0 } });
  const rogue = await aggregateChain(cast, { root: 'stranger', ...shape(['jwt', 'cbor']), tag: 'rogue-root' });
  addToken(g, rogue.token, { comment: 'a root signed by a key the bundle does not list', flags: ['UntrustedKey'], expect: { code: 'ERR_KEY_UNTRUSTED', layer: 0 } });
  addToken(g, base.token, { comment: 'the root signer is not an accepted issuer', flags: ['IssuerNotAccepted'], options: { issuers: ['https://other.example'] }, expect: { code: 'ERR_KEY_UNTRUSTED', layer: 0 } });
  addToken(g, base.token, { comment: 'an accepted issuer', flags: ['VerifierPolicy'], options: { issuers: [cast.identity('idp')] }, expect: { valid: base.path } });
  addToken(g, base.token, { comment: 'an anonymous chain where the verifier allows only Ed25519', flags: ['AlgNotAllowedByVerifier'], options: { algorithms: ['Ed25519'] }, expect: { code: 'ERR_ALG_NOT_ALLOWED', layer: 0 } });
  addToken(g, base.token, { comment: 'an anonymous chain where the verifier accepts only ID and hybrid chains', flags: ['AlgNotAllowedByVerifier'], options: { modes: ['id', 'hybrid'] }, expect: { code: 'ERR_ALG_NOT_ALLOWED' } });
  addToken(g, { layers: [L[0]!, idToken.layers[0]!], proof }, { comment: 'an ID-mode layer after an anonymous root', flags: ['ModeMixed'], expect: { code: 'ERR_MODE_MIXED', layer: 1 } });
  addToken(g, base.token, { comment: 'the chain an hour and a minute later', flags: ['Expired'], now: NOW + HOUR + 60, expect: { code: 'ERR_EXPIRED' } });
  addToken(g, base.token, { comment: 'revoked by the digest of link 2', flags: ['Revoked'], options: { revoked: { digest: [base.path.hops[2]!.digest] } }, expect: { code: 'ERR_REVOKED', layer: 2 } });

  // An anonymous link proves no identity, so it names none (spec §7.4). extend refuses to write one: built from spec §6.3.
  const named = await anon(['jwt', 'cbor'], 'anon-named');
  const nonce = cast.seeded.random('chain/anon-named-links');
  const prv = digestOf(named.token.layers[1]!.bytes);
  const withClaims = (claims: Record<string, unknown>, format: LayerFormat) =>
    anonymousLink(format, { alg: 'nst-r255', prv }, { jti: 'anon-named-2', ...claims }, named.token.proof!, nonce(32));
  const control = withClaims({}, 'jwt');
  addToken(g, { layers: [...named.token.layers, control.layer], proof: control.proof }, { comment: 'a hand-built anonymous link (the control case)', flags: ['ValidChain'], expect: { valid: { ...named.path, hops: [...named.path.hops, { index: 2, identity: 'anonymous', via: 'anonymous', format: 'jwt', digest: digestOf(control.layer.bytes) }] } } });
  for (const format of ['jwt', 'cbor'] as const) {
    const iss = withClaims({ iss: cast.identity('gateway') }, format);
    addToken(g, { layers: [...named.token.layers, iss.layer], proof: iss.proof }, { comment: `an anonymous ${format} link that says iss`, flags: ['IdentityOnAnonymousLink'], expect: { code: 'ERR_ISSUER_MISMATCH', layer: 2 } });
    const sub = withClaims({ sub: 'mallory' }, format);
    addToken(g, { layers: [...named.token.layers, sub.layer], proof: sub.proof }, { comment: `an anonymous ${format} link that says sub`, flags: ['IdentityOnAnonymousLink'], expect: { code: 'ERR_CLAIMS_INVALID', layer: 2 } });
  }
  const both = withClaims({ iss: cast.identity('gateway'), sub: 'mallory' }, 'cbor');
  addToken(g, { layers: [...named.token.layers, both.layer], proof: both.proof }, { comment: 'an anonymous link that says iss and sub: iss is checked first', flags: ['IdentityOnAnonymousLink', 'CheckOrder'], expect: { code: 'ERR_ISSUER_MISMATCH', layer: 2 } });

  return file.finish({
    topic: 'anonymous',
    algorithm: 'nst-r255',
    header: [
      'Anonymous mode (spec §6): Schnorr signature concatenation over ristretto255; each link carries its R, the token the last scalar (or a seal).',
      'randomness lists the 32-byte values the generator fed to the nonce derivation, in order, so that valid chains can be rebuilt byte for byte.',
    ],
  });
}
