import { p384 } from '@noble/curves/nist.js';
import type { ErrorCode, LayerFormat } from '@nestoken/core';
import { HOUR, NOW, type Cast } from '../cast.js';
import { idChain, type Built } from '../chains.js';
import type { Expectation } from '../expectation.js';
import type { TokenVectorFile } from '../model.js';
import { reencode, signLayer } from '../wire/layer.js';
import { ed25519CaKeys, KEY_USAGE, mintSvidChain, type CaKeys, type SvidChainInit } from '../x509-svid-mint.js';
import { addToken, topicContext } from './context.js';

const TD = 'example.org';
const API = 'spiffe://example.org/api';
const DB = 'spiffe://example.org/db';
const std = (der: Uint8Array): string => btoa(String.fromCharCode(...der));

/**
 * Certificates are reproducible from the seed: every CA is Ed25519 with its key derived from
 * the seed (cast.key), and Ed25519 signatures are deterministic (RFC 8032); serials and
 * validity are fixed. No ECDSA-signed certificate appears here, since WebCrypto's ECDSA signs
 * with fresh randomness. Leaf keys are the hops' Ed25519 keys.
 */
const caKeys = (cast: Cast, role: string): Promise<CaKeys> => ed25519CaKeys(cast.key(role).seed);

export async function x509SvidVectors(seed: string): Promise<TokenVectorFile> {
  const { cast, file } = topicContext(seed);
  const root = await caKeys(cast, 'x509-root');
  const intermediate = await caKeys(cast, 'x509-intermediate');
  const svid = (role: string, over: Partial<SvidChainInit> = {}) =>
    mintSvidChain({ trustDomain: TD, leafKey: cast.key(role).publicKey.bytes, uris: [cast.identity(role)], root, intermediates: [intermediate], notBefore: NOW - HOUR, notAfter: NOW + HOUR, ...over });
  /** The api workload as an ES256 signer: its leaf holds a P-256 key (`ec-` roles are P-256, cast.ts). */
  const EC_API = 'ec-api';
  const rootDer = (await svid('api')).root;

  const g = file.group({
    comment:
      'X.509-SVIDs (spec §5.6): a SPIFFE bundle for example.org with the idp as a signer and one x509-svid root (an Ed25519 CA). ' +
      'The api and db hops name their certificate chains by digest (doc); each chain travels once in the documents section and must validate to that root at the test time.',
    keys: cast.publicKeys(['idp', 'api', EC_API, 'db', 'verifier', 'x509-root']),
    privateKeys: cast.privateKeys(['api', EC_API, 'db']),
    trust: {
      signers: { keys: [cast.signer('idp')] },
      spiffeBundles: { [TD]: { spiffe_sequence: 3, keys: [{ kty: 'OKP', crv: 'Ed25519', x: cast.publicJwk('x509-root').x, use: 'x509-svid', x5c: [std(rootDer)] }] } },
    },
  });

  let n = 0;
  const chainOf = async (chains: Record<number, readonly Uint8Array[]>, formats: readonly LayerFormat[] = ['jwt', 'cbor'], api = 'api'): Promise<Built> =>
    idChain(cast, { roles: ['idp', api, 'db', 'verifier'].slice(0, formats.length + 1), formats, tag: `x509-${n++}`, x509Chains: chains, identities: ['https://idp.example', cast.identity(api), DB] });
  const valid = async (chain: readonly Uint8Array[], comment: string, flags: string[], formats?: readonly LayerFormat[], api?: string) => {
    const b = await chainOf({ 1: chain }, formats, api);
    addToken(g, b.token, { comment, flags: ['X509Svid', ...flags], expect: { valid: b.path } });
  };
  const at1 = (code: ErrorCode): Expectation => ({ code, layer: 1 });
  const invalid = async (chain: readonly Uint8Array[], comment: string, flags: string[], code: ErrorCode, options?: object) => {
    const b = await chainOf({ 1: chain });
    addToken(g, b.token, { comment, flags, ...(options ? { options } : {}), expect: at1(code) });
  };

  // Valid chains.
  const full = await svid('api');
  await valid(full.chain, 'root -> intermediate -> leaf, the api hop in the COSE form', ['ValidChain']);
  await valid(full.chain, 'root -> intermediate -> leaf, the api hop in the JWT form', ['ValidChain'], ['cbor', 'jwt']);
  await valid((await svid('api', { intermediates: [] })).chain, 'root -> leaf: one certificate, a byte string in x5chain', ['ValidChain'], ['jwt', 'cbor']);
  await valid([...full.chain, full.root], 'the chain ends with the root itself', ['ValidChain']);
  await valid((await svid('api', { leaf: { notAfter: NOW - 59 } })).chain, 'a leaf that expired 59 seconds ago, within the skew', ['TimeBoundary']);
  const both = await chainOf({ 1: full.chain, 2: (await svid('db')).chain }, ['jwt', 'cbor', 'jwt']);
  addToken(g, both.token, { comment: 'api and db both proven by X.509-SVIDs', flags: ['X509Svid', 'ValidChain', 'MixedFormats'], options: { audience: cast.kid('verifier') }, expect: { valid: both.path } });
  const ecFull = await svid(EC_API);
  await valid(ecFull.chain, 'an ES256 api hop whose leaf holds its P-256 key, in the COSE form', ['ValidChain', 'Es256Layer'], ['jwt', 'cbor'], EC_API);
  await valid(ecFull.chain, 'an ES256 api hop whose leaf holds its P-256 key, in the JWT form', ['ValidChain', 'Es256Layer'], ['cbor', 'jwt'], EC_API);
  const mixed = await chainOf({ 1: ecFull.chain, 2: (await svid('db')).chain }, ['cbor', 'jwt', 'cbor'], EC_API);
  addToken(g, mixed.token, { comment: 'an ES256 hop and an Ed25519 hop, both proven by X.509-SVIDs', flags: ['X509Svid', 'ValidChain', 'MixedFormats', 'Es256Layer'], options: { audience: cast.kid('verifier') }, expect: { valid: mixed.path } });

  // Time.
  await invalid((await svid('api', { leaf: { notAfter: NOW - 61 } })).chain, 'a leaf that expired 61 seconds ago', ['X509Expired'], 'ERR_EXPIRED');
  await invalid((await svid('api', { intermediate: { notAfter: NOW - 61 } })).chain, 'an intermediate that expired 61 seconds ago', ['X509Expired'], 'ERR_EXPIRED');
  await invalid((await svid('api', { leaf: { notBefore: NOW + 120 } })).chain, 'a leaf valid from two minutes on', ['X509NotYetValid'], 'ERR_NOT_YET_VALID');

  // Trust.
  await invalid((await svid('api', { root: await caKeys(cast, 'x509-rogue-root') })).chain, 'a chain under a root the bundle does not list', ['X509UntrustedRoot'], 'ERR_KEY_UNTRUSTED');
  await invalid((await svid('api', { uris: ['spiffe://other.example/api'] })).chain, 'a leaf in another trust domain, issued under the example.org root', ['X509OutsideTrustDomain'], 'ERR_KEY_UNTRUSTED');

  // The leaf profile (SPIFFE X509-SVID §4, §5.2).
  const leafCases: Array<[Partial<SvidChainInit>, string]> = [
    [{ leaf: { ca: true } }, 'a leaf that is a CA'],
    [{ uris: [API, 'spiffe://example.org/other'] }, 'a leaf with two URI SANs'],
    [{ uris: [] }, 'a leaf without a URI SAN'],
    [{ uris: ['https://example.org/api'] }, 'a leaf whose URI SAN is not a SPIFFE ID'],
    [{ uris: ['spiffe://example.org'] }, 'a leaf whose SPIFFE ID has no path'],
    [{ uris: ['spiffe://EXAMPLE.org/api'] }, 'a leaf whose trust domain is not lower case'],
    [{ leaf: { keyUsage: KEY_USAGE.keyCertSign } }, 'a leaf without the digitalSignature key usage'],
    [{ leaf: { keyUsage: undefined } }, 'a leaf without a key usage extension'],
    [{ leaf: { keyUsage: KEY_USAGE.digitalSignature | KEY_USAGE.cRLSign } }, 'a leaf that may sign CRLs'],
  ];
  for (const [over, comment] of leafCases) await invalid((await svid('api', over)).chain, comment, ['X509NotSvid'], 'ERR_X509_SVID');
  // A SPIFFE ID that parses but names no trust domain under the one scoping rule (spec §5.4).
  for (const [uri, comment] of [['spiffe://example..org/api', 'a leaf whose trust domain holds ".."'], ['spiffe://.example.org/api', 'a leaf whose trust domain starts with "."']]) {
    await invalid((await svid('api', { uris: [uri!] })).chain, comment!, ['X509OutsideScope'], 'ERR_TRUST_DOMAIN');
  }

  // Signing certificates (RFC 5280 §6.1, SPIFFE X509-SVID §3.2, §4.1).
  const i2 = await caKeys(cast, 'x509-intermediate-2');
  const chainCases: Array<[Partial<SvidChainInit>, string]> = [
    [{ intermediate: { ca: false } }, 'an intermediate whose basic constraints say it is not a CA'],
    [{ intermediate: { ca: undefined } }, 'an intermediate without basic constraints'],
    [{ intermediate: { keyUsage: KEY_USAGE.digitalSignature } }, 'an intermediate without the keyCertSign key usage'],
    [{ intermediates: [intermediate, i2], intermediate: { pathLength: 0 } }, 'two intermediates under one whose path length is 0'],
    [{ intermediate: { uris: ['spiffe://example.org/ca'] } }, 'an intermediate whose SPIFFE ID has a path'],
  ];
  for (const [over, comment] of chainCases) await invalid((await svid('api', over)).chain, comment, ['X509ChainInvalid'], 'ERR_X509_CHAIN');
  const two = await svid('api', { intermediates: [intermediate, i2] });
  await invalid([two.chain[0]!, two.chain[2]!, two.chain[1]!], 'intermediates out of order', ['X509ChainInvalid'], 'ERR_X509_CHAIN');

  // Certificates a verifier cannot use.
  await invalid((await svid('api', { leaf: { extra: [['1.2.3.4', true, Uint8Array.of(5, 0)]] } })).chain, 'a leaf with an unknown critical extension', ['X509Malformed'], 'ERR_X509_INVALID');
  await invalid([new TextEncoder().encode('not a certificate')], 'x5c holds bytes that are not DER', ['X509Malformed'], 'ERR_X509_INVALID');
  await invalid([Uint8Array.from([...full.chain[0]!, 0])], 'a leaf with a trailing byte', ['X509Malformed'], 'ERR_X509_INVALID');

  // Keys.
  await invalid((await svid('db', { uris: [API] })).chain, "a chain whose leaf holds db's key, presented by api", ['X509WrongKey'], 'ERR_IDENTITY_DOCUMENT');
  const p384Secret = Uint8Array.from([...cast.key('x509-p384-leaf').seed, ...cast.key('x509-p384-leaf').seed.subarray(0, 16)]);
  await invalid((await svid('api', { leafKey: p384.getPublicKey(p384Secret, false) })).chain, 'a leaf with a P-384 key, which signs no layer', ['X509WrongKey'], 'ERR_ALG_NOT_ALLOWED');
  await invalid(ecFull.chain, "an Ed25519 api hop presenting the ES256 api's chain", ['X509WrongKey'], 'ERR_IDENTITY_DOCUMENT');
  const ecHonest = await chainOf({ 1: ecFull.chain }, ['jwt', 'cbor'], EC_API);
  const [e0, e1] = ecHonest.token.layers as [never, (typeof ecHonest.token.layers)[number]];
  const relabelled = await signLayer(e1.format, cast.key('api'), { ...e1.header, alg: 'Ed25519' }, e1.claims, 'Ed25519');
  addToken(g, { ...ecHonest.token, layers: [e0, relabelled] }, { comment: 'the ES256 hop relabelled Ed25519 and signed with an Ed25519 key: kid and leaf still name the P-256 key', flags: ['X509WrongKey'], expect: at1('ERR_ALG_KEY_MISMATCH') });
  const honest = await chainOf({ 1: full.chain });
  const [l0, l1] = honest.token.layers as [never, (typeof honest.token.layers)[number]];
  const forged = await signLayer(l1.format, cast.key('db'), l1.header, l1.claims);
  addToken(g, { ...honest.token, layers: [l0, forged] }, { comment: "the api hop's layer and chain, signed with db's key", flags: ['X509WrongKey'], expect: { code: 'ERR_SIGNATURE_INVALID', layer: 1 } });

  // The documents section (spec §4.6): the chain travels once, as DER, named by its digest.
  const jwtHonest = await chainOf({ 1: full.chain }, ['cbor', 'jwt']);
  const [j0, j1] = jwtHonest.token.layers as [never, (typeof jwtHonest.token.layers)[number]];
  const digest = j1.header.doc!;
  const other = (await svid('api', { intermediates: [] })).chain;
  const substituted = { ...jwtHonest.token, documents: new Map([[digest, { x5c: other.map(std) }]]) };
  addToken(g, substituted, { comment: 'another valid chain for the same key in place of the one the layer names', flags: ['DocumentSubstituted'], expect: { code: 'ERR_DOCUMENT_MISMATCH' } });
  const twice = { ...jwtHonest.token, layers: [j0, reencode(j1, { header: { ...j1.header, doc: digest } })] };
  addToken(g, twice, { comment: 'the honest layers, the chain sent once: the control for the cases above', flags: ['X509Svid'], expect: { valid: jwtHonest.path } });

  // Limits, set in the options.
  const len = full.chain.map((c) => c.length);
  const limit = (limits: object, comment: string, expect: Expectation, flags: string[]) => addToken(g, jwtHonest.token, { comment, flags, options: { limits }, expect });
  limit({ maxCertificates: 2 }, 'a chain of two certificates: maxCertificates = 2', { valid: jwtHonest.path }, ['AtLimit']);
  limit({ maxCertificates: 1 }, 'a chain of two certificates: maxCertificates = 1', { code: 'ERR_LIMIT_EXCEEDED' }, ['X509Limit']);
  limit({ maxCertificateBytes: Math.max(...len) }, `the largest certificate is ${Math.max(...len)} bytes: maxCertificateBytes at that`, { valid: jwtHonest.path }, ['AtLimit']);
  limit({ maxCertificateBytes: Math.max(...len) - 1 }, `the largest certificate is ${Math.max(...len)} bytes: maxCertificateBytes one less`, { code: 'ERR_INPUT_TOO_LARGE' }, ['X509Limit']);
  const total = len.reduce((a, b) => a + b, 0);
  limit({ maxCertificateChainBytes: total }, `the chain is ${total} bytes: maxCertificateChainBytes at that`, { valid: jwtHonest.path }, ['AtLimit']);
  limit({ maxCertificateChainBytes: total - 1 }, `the chain is ${total} bytes: maxCertificateChainBytes one less`, { code: 'ERR_INPUT_TOO_LARGE' }, ['X509Limit']);

  // A verifier holds the documents it verified (spec §4.6), so a document left out is missing
  // only where it has not been seen: a group of its own, whose one test is the first to name it.
  const unseen = file.group({
    comment: 'The same SPIFFE bundle, read afresh: this verifier has verified no document yet.',
    keys: cast.publicKeys(['idp', 'api', 'db', 'verifier', 'x509-root']),
    trust: {
      signers: { keys: [cast.signer('idp')] },
      spiffeBundles: { [TD]: { spiffe_sequence: 3, keys: [{ kty: 'OKP', crv: 'Ed25519', x: cast.publicJwk('x509-root').x, use: 'x509-svid', x5c: [std(rootDer)] }] } },
    },
  });
  addToken(unseen, { layers: jwtHonest.token.layers }, { comment: 'the chain left out of the token, and this verifier has not seen it', flags: ['DocumentMissing'], expect: at1('ERR_DOCUMENT_MISSING') });

  // A bundle without the root: nothing vouches for the chain.
  const bare = file.group({
    comment: 'The same SPIFFE bundle without its x509-svid entry: example.org does not support X.509-SVIDs here.',
    keys: cast.publicKeys(['idp', 'api', 'verifier']),
    trust: { signers: { keys: [cast.signer('idp')] }, spiffeBundles: { [TD]: { keys: [] } } },
  });
  addToken(bare, (await chainOf({ 1: full.chain })).token, { comment: 'a valid X.509-SVID chain and no roots for its trust domain', flags: ['X509UntrustedRoot'], expect: at1('ERR_KEY_UNTRUSTED') });

  // Roots that cannot be read fail the bundle, not the chain.
  const unreadable: Array<[string, unknown]> = [
    ['an x509-svid entry whose x5c holds bytes that are not a certificate', [std(new TextEncoder().encode('not a certificate'))]],
    ['an x509-svid entry whose x5c is base64url, not base64', [std(rootDer).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') + '-_']],
  ];
  for (const [comment, entryX5c] of unreadable) {
    const broken = file.group({
      comment: `A trust bundle that cannot be read: ${comment}.`,
      keys: cast.publicKeys(['idp', 'api', 'verifier']),
      trust: { signers: { keys: [cast.signer('idp')] }, spiffeBundles: { [TD]: { keys: [{ kty: 'OKP', crv: 'Ed25519', x: cast.publicJwk('x509-root').x, use: 'x509-svid', x5c: entryX5c }] } } },
    });
    addToken(broken, (await chainOf({ 1: full.chain })).token, { comment: `a valid X.509-SVID chain, checked against ${comment}`, flags: ['InvalidTrustBundle'], expect: { code: 'ERR_TRUST_BUNDLE' } });
  }

  return file.finish({
    topic: 'x509-svid',
    algorithm: 'Ed25519 and ES256 layers; X.509-SVID chains signed by Ed25519 CAs',
    header: [
      'X.509-SVIDs as identity documents (spec §5.6): a layer carries its signer\'s certificate chain in x5c (JWT) or x5chain (COSE, RFC 9360); the leaf\'s SPIFFE ID is the hop identity.',
      "Certificates are DER; every CA key is Ed25519, derived from the seed, so the certificates are reproducible. The root is in the group's trust bundle, the x5c of its x509-svid entry.",
    ],
  });
}
