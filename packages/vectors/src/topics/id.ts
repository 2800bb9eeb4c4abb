import type { Layer, LayerFormat, Token } from '@nestoken/core';
import { encode, Tagged } from 'cborg';
import { hex, scalarBytes, scalarOf, utf8 } from '../bytes.js';
import { HOUR, NOW, hops } from '../cast.js';
import { aggregateChain, digestOf, idChain, type Built } from '../chains.js';
import type { TokenVectorFile } from '../model.js';
import { replaceAt, structuralExpectation, swap, tamperExpectation, without } from '../structure.js';
import { TAG_NESTOKEN, type WireLayer } from '../wire/container.js';
import { canonicalJson } from '../wire/json.js';
import { coseProtectedMap, cwtClaimsMap, reencode, signLayer } from '../wire/layer.js';

/** The layer re-encoded as if after a layer of `previousAlg`: what it must send there (spec §4.6). */
const transcodeTo = (l: Layer, previousAlg: Layer['header']['alg']): Layer => reencode(l, {}, previousAlg);
import { signedCose, signedJws } from '../wire/raw.js';
import { addToken, topicContext } from './context.js';

const ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;

const PATTERNS: ReadonlyArray<readonly LayerFormat[]> = [
  ['jwt'],
  ['cbor'],
  ['jwt', 'jwt'],
  ['cbor', 'cbor'],
  ['jwt', 'cbor'],
  ['cbor', 'jwt'],
  ['jwt', 'cbor', 'jwt'],
  ['cbor', 'jwt', 'cbor', 'jwt'],
  ['jwt', 'jwt', 'cbor', 'cbor', 'jwt', 'cbor', 'cbor', 'jwt'],
  Array.from({ length: 16 }, (_, i) => (i % 3 === 0 ? 'cbor' : 'jwt')),
];

const flipByte = (b: Uint8Array, i: number): Uint8Array => {
  const out = Uint8Array.from(b);
  out[i] = out[i]! ^ 0x01;
  return out;
};

/** S + L: the same Ed25519 equation holds, the encoding is the malleable twin (RFC 8032 §5.1.7 forbids it). */
function malleable(signature: Uint8Array): Uint8Array {
  const out = Uint8Array.from(signature);
  out.set(scalarBytes(scalarOf(signature.subarray(32)) + ORDER), 32);
  return out;
}

export async function idVectors(seed: string): Promise<TokenVectorFile> {
  const { cast, file } = topicContext(seed);
  const roles = [...hops(16), 'stranger'];
  const audienceOf = (n: number) => ({ audience: cast.kid(hops(n)[n]!) });
  const g = file.group({
    comment: 'ID mode: every layer an Ed25519 signature by the key the previous layer named (cnf.jkt). The bundle lists every role but the stranger.',
    keys: cast.publicKeys(roles),
    privateKeys: cast.privateKeys(roles),
    trust: cast.trust(hops(16)),
  });
  const chain = (formats: readonly LayerFormat[], tag: string, extra: Partial<Parameters<typeof idChain>[1]> = {}): Promise<Built> =>
    idChain(cast, { roles: hops(formats.length), formats, tag, ...extra });
  const layersOf = (t: Token): WireLayer[] => [...t.layers];

  // Valid chains in every shape of format.
  for (const [k, formats] of PATTERNS.entries()) {
    const built = await chain(formats, `id${k}`);
    const mixed = new Set(formats).size > 1;
    addToken(g, built.token, {
      comment: `${formats.length} layer(s): ${formats.join(', ')}`,
      flags: ['ValidChain', ...(mixed ? ['MixedFormats'] : []), ...(formats.length >= 8 ? ['LongChain'] : [])],
      options: audienceOf(formats.length),
      expect: { valid: built.path },
    });
  }

  // Structural damage to one mixed chain of four layers.
  const base = await chain(['jwt', 'cbor', 'jwt', 'cbor'], 'base');
  const L = base.token.layers;
  const n = L.length;
  const structural = (layers: readonly Layer[], comment: string, flags: string[]) =>
    addToken(g, { layers }, { comment, flags, options: audienceOf(n), expect: structuralExpectation(layers, 'id') });
  for (let k = 1; k < n; k++) structural(L.slice(0, k), `only the first ${k} of ${n} layers`, ['TailTruncation']);
  for (let k = 1; k < n; k++) structural(L.slice(k), `the first ${k} layer(s) removed`, ['RootRemoved']);
  for (let i = 1; i < n - 1; i++) structural(without(L, i), `layer ${i} removed`, ['LayerRemoved']);
  for (let i = 0; i < n - 1; i++) structural(swap(L, i, i + 1), `layers ${i} and ${i + 1} swapped`, ['Reorder']);
  structural([...L].reverse(), 'layers in reverse order', ['Reorder']);
  structural([...L.slice(1), L[0]!], 'the root moved to the end', ['Reorder']);
  for (let i = 0; i < n; i++) structural([...L.slice(0, i + 1), L[i]!, ...L.slice(i + 1)], `layer ${i} repeated after itself`, ['DuplicateLayer']);
  structural([...L, L[0]!], 'the root repeated at the end', ['DuplicateLayer']);
  const other = await chain(['cbor', 'jwt', 'cbor', 'jwt'], 'other');
  for (let i = 0; i < n - 1; i++) {
    structural([...L.slice(0, i + 1), ...other.token.layers.slice(i + 1)], `layers 0..${i} of one chain, the rest of another by the same signers`, ['Splice']);
  }
  structural([...other.token.layers.slice(0, 2), ...L.slice(2)], 'the first two layers of another chain, then layers 2.. of this one', ['Splice']);
  g.add({ comment: 'no layers at all', flags: ['EmptyToken'], now: NOW, jwt: '', cborHex: hex(encode(new Tagged(TAG_NESTOKEN, [[], []]))), expect: { code: 'ERR_CHAIN_TRUNCATED' } });

  // Content changed after signing, the signature kept.
  for (let i = 0; i < n; i++) {
    const flipped = reencode(L[i]!, { signature: flipByte(L[i]!.signature, 40) });
    addToken(g, { layers: replaceAt(L, i, flipped) }, { comment: `one bit of the S half of layer ${i}'s signature flipped`, flags: ['ModifiedSignature'], options: audienceOf(n), expect: tamperExpectation(i, n, 'id') });
    const changed = reencode(L[i]!, { claims: { ...L[i]!.claims, jti: `changed-${i}` } });
    addToken(g, { layers: replaceAt(L, i, changed) }, { comment: `layer ${i}'s jti changed`, flags: ['ModifiedClaims'], options: audienceOf(n), expect: tamperExpectation(i, n, 'id') });
  }
  for (const k of [1, 2]) {
    const t = k === 1 ? (await chain(['jwt'], 'single-jwt')).token : (await chain(['jwt', 'cbor'], 'pair')).token;
    const last = t.layers.length - 1;
    const twin = reencode(t.layers[last]!, { signature: malleable(t.layers[last]!.signature) });
    addToken(g, { layers: replaceAt(t.layers, last, twin) }, { comment: `the last layer's signature S replaced by S + L (${twin.format})`, flags: ['NonCanonicalSignatureScalar'], options: audienceOf(k), expect: { code: 'ERR_SIGNATURE_INVALID', layer: last } });
    const zero = reencode(t.layers[last]!, { signature: new Uint8Array(64) });
    addToken(g, { layers: replaceAt(t.layers, last, zero) }, { comment: `the last layer's signature is 64 zero bytes (${zero.format})`, flags: ['SmallOrderSignature'], options: audienceOf(k), expect: { code: 'ERR_SIGNATURE_INVALID', layer: last } });
  }

  // Algorithms: none, not nestoken's, and excluded by the verifier.
  const idp = cast.key('idp');
  const rootClaims = canonicalJson({ cnf: { jkt: cast.kid('gateway') }, exp: NOW + HOUR, iss: cast.identity('idp') });
  for (const [alg, flag] of [['none', 'AlgNone'], ['EdDSA', 'AlgDisallowed'], ['HS256', 'AlgDisallowed'], ['ES384', 'AlgDisallowed'], ['RS256', 'AlgDisallowed'], ['ed25519', 'AlgDisallowed']] as const) {
    const headerText = canonicalJson({ alg, kid: cast.kid('idp') });
    const jws = alg === 'none' ? `${(await signedJws(headerText, rootClaims, idp)).split('.').slice(0, 2).join('.')}.` : await signedJws(headerText, rootClaims, idp);
    addToken(g, { layers: [{ format: 'jwt', bytes: utf8(jws) }] }, { comment: `JWT layer with alg ${JSON.stringify(alg)}${alg === 'none' ? ' and an empty signature' : ''}`, flags: [flag], expect: { code: 'ERR_ALG_NOT_ALLOWED', layer: 0 } });
  }
  // A first layer without alg sends what only a later layer may leave out: it extends a missing layer (spec §4.6).
  const noAlg = canonicalJson({ kid: cast.kid('idp') });
  addToken(g, { layers: [{ format: 'jwt', bytes: utf8(await signedJws(noAlg, rootClaims, idp)) }] }, { comment: 'JWT root without alg', flags: ['RootRemoved'], expect: { code: 'ERR_CHAIN_TRUNCATED', layer: 0 } });
  const rootHeader = { alg: 'Ed25519' as const, kid: cast.kid('idp') };
  const rootLayerClaims = { cnf: { jkt: cast.kid('gateway') }, exp: NOW + HOUR, iss: cast.identity('idp') };
  const payload = encode(cwtClaimsMap(rootLayerClaims));
  for (const [alg, flag] of [[-8, 'AlgDisallowed'], [-35, 'AlgDisallowed'], ['none', 'AlgNone'], [undefined, 'AlgNone']] as const) {
    const m = coseProtectedMap(rootHeader);
    if (alg === undefined) m.delete(1);
    else m.set(1, alg);
    const bytes = await signedCose(encode(m), payload, idp);
    addToken(g, { layers: [{ format: 'cbor', bytes }] }, {
      comment: alg === undefined ? 'COSE root without alg (label 1): it extends a missing layer' : `COSE layer with alg ${JSON.stringify(alg)}`,
      flags: [alg === undefined ? 'RootRemoved' : flag],
      expect: { code: alg === undefined ? 'ERR_CHAIN_TRUNCATED' : 'ERR_ALG_NOT_ALLOWED', layer: 0 },
    });
  }
  // ES256 is a nestoken algorithm, but not the algorithm of the Ed25519 key the layer names (spec §7.4).
  const es256Jws = await signedJws(canonicalJson({ alg: 'ES256', kid: cast.kid('idp') }), rootClaims, idp);
  addToken(g, { layers: [{ format: 'jwt', bytes: utf8(es256Jws) }] }, { comment: 'JWT layer with alg "ES256" naming the Ed25519 key of idp', flags: ['AlgKeyMismatch'], expect: { code: 'ERR_ALG_KEY_MISMATCH', layer: 0 } });
  const es256Header = coseProtectedMap(rootHeader);
  es256Header.set(1, -7);
  addToken(g, { layers: [{ format: 'cbor', bytes: await signedCose(encode(es256Header), payload, idp) }] }, { comment: 'COSE layer with alg -7 (ES256) naming the Ed25519 key of idp', flags: ['AlgKeyMismatch'], expect: { code: 'ERR_ALG_KEY_MISMATCH', layer: 0 } });
  addToken(g, base.token, { comment: 'an ID chain where the verifier allows only nst-r255', flags: ['AlgNotAllowedByVerifier'], options: { ...audienceOf(n), algorithms: ['nst-r255'] }, expect: { code: 'ERR_ALG_NOT_ALLOWED', layer: 0 } });
  addToken(g, base.token, { comment: 'an ID chain where the verifier allows only the aggregate modes', flags: ['AlgNotAllowedByVerifier'], options: { ...audienceOf(n), modes: ['anon', 'hybrid'] }, expect: { code: 'ERR_ALG_NOT_ALLOWED' } });
  const anon = await aggregateChain(cast, { root: 'idp', rootFormat: 'jwt', hops: [{ format: 'cbor' }], tag: 'mixed-in' });
  // After an Ed25519 root the link must send its alg (spec §4.6): then it is a mode change.
  addToken(g, { layers: [L[0]!, transcodeTo(anon.token.layers[1]!, 'Ed25519')] }, { comment: 'an anonymous link after an ID-mode root', flags: ['ModeMixed'], expect: { code: 'ERR_MODE_MIXED', layer: 1 } });

  // Keys: who signed, and is that the key the previous layer named.
  const prv = digestOf(L[1]!.bytes);
  const hop2 = { iss: cast.identity('baz'), jti: 'base-2', cnf: { jkt: cast.kid('w5') } };
  const intruder = await signLayer('jwt', cast.key('baz'), { alg: 'Ed25519', kid: cast.kid('baz'), prv }, hop2);
  addToken(g, { layers: [L[0]!, L[1]!, intruder] }, { comment: 'layer 2 signed by baz, a trusted key, though layer 1 handed the token to foo: its kid is implied, foo\'s, and its iss says baz', flags: ['BrokenAudienceBinding'], expect: { code: 'ERR_ISSUER_MISMATCH', layer: 2 } });
  const single = await chain(['cbor'], 'single-cbor');
  const s0 = single.token.layers[0]!;
  addToken(g, { layers: [reencode(s0, { header: { ...s0.header, kid: cast.kid('gateway') } })] }, { comment: 'a root relabelled with the gateway key, iss kept', flags: ['SubstitutedKey', 'IssuerMismatch'], expect: { code: 'ERR_ISSUER_MISMATCH', layer: 0 } });
  addToken(g, { layers: [reencode(s0, { header: { ...s0.header, kid: cast.kid('gateway') }, claims: { ...s0.claims, iss: cast.identity('gateway') } })] }, { comment: 'a root relabelled with the gateway key and its identity', flags: ['SubstitutedKey'], expect: { code: 'ERR_SIGNATURE_INVALID', layer: 0 } });
  const forged = await signLayer(L[n - 1]!.format, cast.key('stranger'), L[n - 1]!.header, L[n - 1]!.claims);
  addToken(g, { layers: replaceAt(L, n - 1, forged) }, { comment: 'the last layer signed by an untrusted key under the rightful kid', flags: ['WrongKey'], options: audienceOf(n), expect: { code: 'ERR_SIGNATURE_INVALID', layer: n - 1 } });
  const viaStranger = await idChain(cast, { roles: ['idp', 'stranger', 'foo'], formats: ['jwt', 'cbor'], tag: 'stranger' });
  addToken(g, viaStranger.token, { comment: 'the root hands the token to a key the bundle does not list, which extends it', flags: ['UntrustedKey'], expect: { code: 'ERR_KEY_UNTRUSTED', layer: 1 } });
  const fromStranger = await idChain(cast, { roles: ['stranger', 'gateway'], formats: ['jwt'], tag: 'rogue-root' });
  addToken(g, fromStranger.token, { comment: 'a root signed by a key the bundle does not list', flags: ['UntrustedKey'], expect: { code: 'ERR_KEY_UNTRUSTED', layer: 0 } });
  const { cnf: _cnf, ...noCnf } = s0.claims;
  addToken(g, { layers: [await signLayer('jwt', idp, s0.header, noCnf)] }, { comment: 'a root without cnf, correctly signed', flags: ['MissingAudienceBinding'], expect: { code: 'ERR_CLAIMS_INVALID', layer: 0 } });
  addToken(g, base.token, { comment: 'the verifier names another key than the last audience', flags: ['AudienceMismatch'], options: { audience: cast.kid('foo') }, expect: { code: 'ERR_AUDIENCE_MISMATCH', layer: n - 1 } });

  // Lifetimes: the intersection of every layer's window (spec §7.6).
  const exp = NOW + HOUR;
  const at = (now: number, clockSkew: number | undefined, valid: boolean, comment: string) =>
    addToken(g, base.token, {
      comment,
      flags: valid ? ['TimeBoundary'] : ['TimeBoundary', 'Expired'],
      now,
      options: { ...audienceOf(n), ...(clockSkew === undefined ? {} : { clockSkew }) },
      expect: valid ? { valid: base.path } : { code: 'ERR_EXPIRED' },
    });
  at(exp + 59, undefined, true, 'one second before exp + the default skew of 60');
  at(exp + 60, undefined, false, 'exactly exp + the default skew');
  at(exp - 1, 0, true, 'one second before exp, no skew');
  at(exp, 0, false, 'exactly exp, no skew');
  at(exp + 86_400, 300, false, 'a day after exp');
  const narrowed = await chain(['jwt', 'cbor', 'jwt'], 'narrow', { hopClaims: (i) => (i === 1 ? { nbf: NOW + 600, exp: NOW + 1800 } : {}) });
  const nbfCase = (now: number, valid: boolean, comment: string) =>
    addToken(g, narrowed.token, { comment, flags: valid ? ['TimeBoundary'] : ['TimeBoundary', 'NotYetValid'], now, options: audienceOf(3), expect: valid ? { valid: narrowed.path } : { code: 'ERR_NOT_YET_VALID' } });
  nbfCase(NOW + 540, true, 'layer 1 sets nbf = now + 600: valid from nbf - skew');
  nbfCase(NOW + 539, false, 'one second before nbf - skew');
  addToken(g, narrowed.token, { comment: 'layer 1 narrows exp to now + 1800: expired after it, though the root runs longer', flags: ['Expired'], now: NOW + 1860, options: audienceOf(3), expect: { code: 'ERR_EXPIRED' } });
  const future = await chain(['cbor', 'jwt'], 'future', { hopClaims: () => ({ iat: NOW + 600 }) });
  addToken(g, future.token, { comment: 'layer 1 issued ten minutes in the future', flags: ['IssuedInFuture'], options: audienceOf(2), expect: { code: 'ERR_NOT_YET_VALID', layer: 1 } });
  for (const [i, format] of [[1, 'jwt'], [3, 'cbor']] as const) {
    const signer = hops(n)[i]!;
    const layer = await signLayer(format, cast.key(signer), { alg: 'Ed25519', kid: cast.kid(signer), prv: digestOf(L[i - 1]!.bytes) }, { iss: cast.identity(signer), exp: exp + 1, jti: `wide-${i}`, cnf: { jkt: cast.kid(hops(n)[i + 1]!) } });
    addToken(g, { layers: [...L.slice(0, i), layer] }, { comment: `layer ${i} sets exp one second after the root's`, flags: ['LifetimeWidened'], expect: { code: 'ERR_LIFETIME_WIDENED', layer: i } });
  }
  const { exp: _exp, ...noExp } = s0.claims;
  addToken(g, { layers: [await signLayer('cbor', idp, s0.header, noExp)] }, { comment: 'a root without exp, correctly signed', flags: ['MissingExpiry'], expect: { code: 'ERR_CLAIMS_INVALID', layer: 0 } });

  // Revocation, given as deny lists.
  const digest1 = digestOf(L[1]!.bytes);
  for (const [revoked, layer, what] of [
    [{ jti: ['base-2'] }, 2, 'jti base-2'],
    [{ digest: [digest1] }, 1, "layer 1's digest"],
    [{ identity: [cast.identity('foo')] }, 2, 'the identity of foo'],
    [{ keyThumbprint: [cast.kid('idp')] }, 0, "the issuer's key"],
  ] as const) {
    addToken(g, base.token, { comment: `the deny list names ${what}`, flags: ['Revoked'], options: { ...audienceOf(n), revoked }, expect: { code: 'ERR_REVOKED', layer } });
  }
  addToken(g, base.token, { comment: 'a deny list that names nothing in the chain', flags: ['VerifierPolicy'], options: { ...audienceOf(n), revoked: { jti: ['other'], identity: [cast.identity('stranger')] } }, expect: { valid: base.path } });

  return file.finish({
    topic: 'id',
    algorithm: 'Ed25519',
    header: [
      'ID mode (spec §5.2): each layer carries its own Ed25519 signature and hands the token to the next key by thumbprint.',
      'Structural damage, content changes, algorithm confusion, key binding, lifetimes and revocation.',
    ],
  });
}
