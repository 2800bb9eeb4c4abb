import { ed25519 } from '@noble/curves/ed25519.js';
import { exportPublicJwk, thumbprintUri, type ErrorCode, type LayerFormat } from '@nestoken/core';
import { b64u, scalarBytes } from '../bytes.js';
import type { GroupInit } from '../builder.js';
import { HOUR, NOW } from '../cast.js';
import { aggregateChain, idChain, type Built } from '../chains.js';
import type { Expectation } from '../expectation.js';
import type { TokenVectorFile } from '../model.js';
import { ed25519Signer, identityDocument, p256Signer, type DocumentSigner } from '../wire/document.js';
import { reencode } from '../wire/layer.js';
import { ed25519CaKeys, mintRootCertificate } from '../x509-svid-mint.js';
import { addToken, topicContext } from './context.js';

const TD = 'example.org';
const API = 'spiffe://example.org/api';
const DB = 'spiffe://example.org/db';

export async function trustVectors(seed: string): Promise<TokenVectorFile> {
  const { cast, file } = topicContext(seed);

  // A plain JWKS: identities from sub; audience, issuers and iss policy.
  const roles = ['idp', 'gateway', 'foo', 'verifier'];
  const plain = file.group({ comment: 'A JWKS whose keys carry their identity in sub (spec §5.1), and the verifier policies of §7.4 and §7.8.', keys: cast.publicKeys([...roles, 'stranger']), trust: cast.jwks(roles) });
  const chain3 = await idChain(cast, { roles, formats: ['jwt', 'cbor', 'jwt'], tag: 'plain', hopClaims: (i) => (i === 2 ? { aud: [cast.identity('verifier'), 'https://other.example'] } : {}) });
  const verifierKey = cast.kid('verifier');
  const policy = (options: object, comment: string, flags: string[], expect: Expectation) => addToken(plain, chain3.token, { comment, flags, options, expect });
  policy({ audience: verifierKey }, 'the last layer hands the token to the verifier key', ['ValidChain', 'VerifierPolicy'], { valid: chain3.path });
  policy({ audience: cast.kid('foo') }, 'the verifier is foo, but the token was handed to another key', ['AudienceMismatch'], { code: 'ERR_AUDIENCE_MISMATCH', layer: 2 });
  policy({ audienceIdentity: cast.identity('verifier') }, 'aud lists the verifier identity', ['ValidChain', 'VerifierPolicy'], { valid: chain3.path });
  policy({ audienceIdentity: cast.identity('gateway') }, 'aud does not list the verifier identity', ['AudienceMismatch'], { code: 'ERR_AUDIENCE_MISMATCH', layer: 2 });
  policy({ issuers: [cast.identity('idp'), 'https://other.example'] }, 'the root signer is an accepted issuer', ['ValidChain', 'VerifierPolicy'], { valid: chain3.path });
  policy({ issuers: [cast.identity('gateway')] }, 'the root signer is not an accepted issuer', ['IssuerNotAccepted'], { code: 'ERR_KEY_UNTRUSTED', layer: 0 });
  const noAud = await idChain(cast, { roles, formats: ['cbor', 'cbor', 'cbor'], tag: 'no-aud' });
  addToken(plain, noAud.token, { comment: 'the verifier asks for its identity in aud, and no layer has aud', flags: ['AudienceMismatch'], options: { audienceIdentity: cast.identity('verifier') }, expect: { code: 'ERR_AUDIENCE_MISMATCH', layer: 2 } });
  const lying = await idChain(cast, { roles, formats: ['jwt', 'jwt', 'cbor'], tag: 'lying', hopClaims: (i) => (i === 1 ? { iss: cast.identity('idp') } : {}) });
  addToken(plain, lying.token, { comment: "the gateway's layer claims to be the idp's", flags: ['IssuerMismatch'], expect: { code: 'ERR_ISSUER_MISMATCH', layer: 1 } });
  const stray = await idChain(cast, { roles: ['idp', 'stranger', 'verifier'], formats: ['jwt', 'jwt'], tag: 'stray' });
  addToken(plain, stray.token, { comment: 'a hop key that neither the bundle nor an identity document vouches for', flags: ['UntrustedKey'], expect: { code: 'ERR_KEY_UNTRUSTED', layer: 1 } });

  // Identity without sub: a bundle's kid, else the thumbprint URI.
  const labelled = file.group({
    comment: 'Bundle keys without sub: the idp key has a kid label, which becomes its identity; the gateway key has no kid, so its identity is its thumbprint URI (spec §5.1).',
    keys: cast.publicKeys(['idp', 'gateway', 'foo']),
    trust: { keys: [{ ...exportPublicJwk(cast.key('idp')), kid: 'idp-signing-key' }, { kty: 'OKP', crv: 'Ed25519', x: cast.publicJwk('gateway').x }] },
  });
  const identities = ['idp-signing-key', thumbprintUri(cast.kid('gateway'))];
  const unnamed = await idChain(cast, { roles: ['idp', 'gateway', 'foo'], formats: ['jwt', 'cbor'], tag: 'unnamed', omitIss: true, identities });
  addToken(labelled, unnamed.token, { comment: 'identities from kid and from the thumbprint', flags: ['BundleIdentity', 'ValidChain'], expect: { valid: unnamed.path } });
  const named = await idChain(cast, { roles: ['idp', 'gateway', 'foo'], formats: ['jwt', 'cbor'], tag: 'named' });
  addToken(labelled, named.token, { comment: 'iss says https://idp.example, but this bundle calls the key idp-signing-key', flags: ['BundleIdentity', 'IssuerMismatch'], expect: { code: 'ERR_ISSUER_MISMATCH', layer: 0 } });

  // A SPIFFE bundle with authorities: hops proven by identity documents.
  const edAuthority = cast.key('authority');
  const ecAuthority = p256Signer(seed, 'authority');
  const rogue = ed25519Signer(cast.key('rogue-authority'));
  const ed = ed25519Signer(edAuthority);
  const x509Root = await mintRootCertificate(TD, await ed25519CaKeys(cast.key('x509-root').seed), NOW - HOUR, NOW + HOUR);
  const spiffe = file.group({
    comment:
      'A SPIFFE bundle scoped to the trust domain example.org: the idp as a signer, an Ed25519 and a P-256 JWT-SVID authority, and keys a verifier skips ' +
      '(an RSA authority, a P-384 key), and an X.509-SVID root, which vouches for x5c chains only (spec §5.4). The api and db hops are proven by identity documents (spec §5.3).',
    keys: { ...cast.publicKeys(['idp', 'api', 'db', 'verifier', 'authority', 'rogue-authority']), 'authority-p256': ecAuthority.jwk },
    privateKeys: cast.privateKeys(['api', 'db']),
    trust: {
      spiffe_sequence: 12,
      spiffe_refresh_hint: 300,
      keys: [
        cast.signer('idp'),
        { ...exportPublicJwk(edAuthority), kid: 'authority-ed', use: 'jwt-svid' },
        { ...ecAuthority.jwk, kid: 'authority-p256', use: 'jwt-svid' },
        { kty: 'OKP', crv: 'Ed25519', use: 'x509-svid', x: cast.publicJwk('x509-root').x, x5c: [btoa(String.fromCharCode(...x509Root))] },
        { kty: 'RSA', use: 'jwt-svid', kid: 'rsa', n: 'AQAB', e: 'AQAB' },
        { kty: 'EC', crv: 'P-384', kid: 'p384', x: 'skipped', y: 'skipped' },
      ],
    },
    trustDomain: TD,
  } satisfies GroupInit);
  const cnf = (role: string) => ({ jwk: { kty: 'OKP', crv: 'Ed25519', x: cast.publicJwk(role).x } });
  const wit = (sub: string, role: string, over: object = {}, headerOver: object = {}, signer: DocumentSigner = ed) =>
    identityDocument(
      { alg: signer.alg, kid: signer === ed ? 'authority-ed' : signer.alg === 'ES256' ? 'authority-p256' : 'rogue', typ: signer.alg === 'ES256' ? 'JWT' : 'wit+jwt', ...headerOver },
      { iss: 'https://authority.example', sub, exp: NOW + HOUR, ...over, cnf: cnf(role), ...('cnf' in over ? { cnf: (over as { cnf: unknown }).cnf } : {}) },
      signer,
    );
  const spiffeChain = async (docs: Record<number, string>, tag: string, formats: readonly LayerFormat[] = ['jwt', 'cbor', 'jwt']): Promise<Built> =>
    idChain(cast, { roles: ['idp', 'api', 'db', 'verifier'].slice(0, formats.length + 1), formats, tag, documents: docs, identities: ['https://idp.example', API, DB] });
  const good = await spiffeChain({ 1: await wit(API, 'api'), 2: await wit(DB, 'db', {}, {}, ecAuthority) }, 'spiffe');
  addToken(spiffe, good.token, { comment: 'api vouched for by a WIT (Ed25519), db by a JWT-SVID (ES256)', flags: ['ValidChain', 'IdentityDocument', 'SpiffeBundle', 'Es256Authority'], options: { audience: cast.kid('verifier') }, expect: { valid: good.path } });
  let docs = 0;
  const doc = async (docText: string, comment: string, flags: string[], expect: Expectation | 'valid') => {
    const t = await spiffeChain({ 1: docText }, `doc${docs++}`, ['cbor', 'jwt']);
    addToken(spiffe, t.token, { comment, flags, expect: expect === 'valid' ? { valid: t.path } : expect });
  };
  const at1 = (code: ErrorCode): Expectation => ({ code, layer: 1 });
  await doc(await wit(API, 'api', { nbf: NOW - 600, iat: NOW - 600, jti: 'svid-1' }), 'a WIT with nbf, iat and jti', ['IdentityDocument'], 'valid');
  await doc(await wit(API, 'api', { exp: NOW - 61 }), 'a WIT that expired 61 seconds ago', ['DocumentExpired'], at1('ERR_EXPIRED'));
  await doc(await wit(API, 'api', { exp: NOW - 59 }), 'a WIT that expired 59 seconds ago, within the skew', ['IdentityDocument', 'TimeBoundary'], 'valid');
  await doc(await wit(API, 'api', { nbf: NOW + 120 }), 'a WIT valid from two minutes on', ['DocumentNotYetValid'], at1('ERR_NOT_YET_VALID'));
  await doc(await wit(API, 'db'), "a WIT that binds db's key to the api identity", ['DocumentWrongKey'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(await wit(API, 'api', { cnf: { jwk: { kty: 'OKP', crv: 'Ed25519', x: b64u(scalarBytes(1n)) } } }), 'a WIT whose cnf.jwk is the identity point (small order)', ['DocumentWrongKey'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(await wit(API, 'api', { cnf: { jwk: { ...ecAuthority.jwk } } }), 'a WIT whose cnf.jwk is a P-256 key', ['DocumentWrongKey'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(await wit('spiffe://evil.example/api', 'api'), 'a WIT for an identity in another trust domain', ['DocumentOutsideTrustDomain'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(await wit(API, 'api', {}, { kid: 'rogue' }, rogue), 'a WIT signed by an authority the bundle does not list', ['DocumentUntrustedAuthority'], at1('ERR_KEY_UNTRUSTED'));
  await doc(await wit(API, 'api', {}, { kid: 'authority-p256' }), "a WIT signed by the Ed25519 authority that names the P-256 authority's kid", ['DocumentUntrustedAuthority'], at1('ERR_KEY_UNTRUSTED'));
  await doc(await wit(API, 'api', {}, { kid: 'authority-ed', alg: 'ES256' }, ecAuthority), "an ES256 JWT-SVID that names the Ed25519 authority's kid", ['DocumentUntrustedAuthority'], at1('ERR_KEY_UNTRUSTED'));
  await doc(await wit(API, 'api', {}, { alg: 'none' }), 'a WIT with alg none', ['DocumentAlg'], at1('ERR_ALG_NOT_ALLOWED'));
  await doc(await wit(API, 'api', {}, { alg: 'RS256' }), 'a WIT with alg RS256', ['DocumentAlg'], at1('ERR_ALG_NOT_ALLOWED'));
  await doc(await wit(API, 'api', {}, { alg: 'HS256' }), 'a WIT with alg HS256', ['DocumentAlg'], at1('ERR_ALG_NOT_ALLOWED'));
  await doc(await wit(API, 'api', {}, { alg: 'Ed25519' }), 'a WIT with the fully specified alg Ed25519', ['IdentityDocument'], 'valid');
  await doc(await wit(API, 'api', {}, { crit: ['exp'] }), 'a WIT with crit', ['DocumentCritical'], at1('ERR_CRIT_UNSUPPORTED'));
  await doc(await wit(API, 'api', {}, { typ: 'at+jwt' }), 'a document of typ at+jwt', ['DocumentMalformed'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(await wit(API, 'api', {}, { typ: undefined }), 'a JWT-SVID without typ', ['IdentityDocument'], 'valid');
  await doc(await wit('', 'api'), 'a WIT with an empty sub', ['DocumentMalformed'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(await wit(API, 'api', { exp: 'tomorrow' }), 'a WIT whose exp is text', ['DocumentMalformed'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(await wit(API, 'api', { cnf: { jkt: cast.kid('api') } }), 'a WIT with cnf.jkt instead of cnf.jwk', ['DocumentMalformed'], at1('ERR_IDENTITY_DOCUMENT'));
  const goodWit = await wit(API, 'api');
  const [wh, wc, ws] = goodWit.split('.') as [string, string, string];
  await doc(`${wh}.${wc}`, 'a WIT of two parts', ['DocumentMalformed'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(`${b64u(new TextEncoder().encode('not json'))}.${wc}.${ws}`, 'a WIT whose header is not JSON', ['DocumentMalformed'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(`${wh}.${wc}.${ws.slice(0, 5)}${ws[5] === 'A' ? 'B' : 'A'}${ws.slice(6)}`, 'a WIT with a changed signature', ['DocumentUntrustedAuthority'], at1('ERR_KEY_UNTRUSTED'));
  await doc(`${wh}.${wc}.${ws}=`, 'a WIT with a padded signature', ['NonCanonicalBase64'], at1('ERR_BASE64'));
  const apiAsDb = await idChain(cast, { roles: ['idp', 'api', 'verifier'], formats: ['jwt', 'jwt'], tag: 'api-as-db', documents: { 1: goodWit }, hopClaims: () => ({ iss: DB }) });
  addToken(spiffe, apiAsDb.token, { comment: "a layer whose iss is not its document's sub", flags: ['IssuerMismatch'], expect: { code: 'ERR_ISSUER_MISMATCH', layer: 1 } });
  const bundled = await idChain(cast, { roles: ['idp', 'idp', 'verifier'], formats: ['jwt', 'cbor'], tag: 'bundled', documents: { 1: await wit(API, 'api', { exp: NOW - 3600 }) } });
  const bundleWins = { ...bundled.path, hops: bundled.path.hops.map((h) => ({ ...h, via: 'trust-bundle' as const })) };
  addToken(spiffe, bundled.token, { comment: 'a layer signed by a bundle key carries an expired document for another key: the bundle wins, the document is not read', flags: ['ValidChain', 'IdentityDocument'], expect: { valid: bundleWins } });
  const anon = await aggregateChain(cast, { root: 'idp', rootFormat: 'jwt', hops: [{ format: 'cbor' }], tag: 'wit-anon' });
  const [r, a] = anon.token.layers as [never, (typeof anon.token.layers)[number]];
  addToken(spiffe, { layers: [r, reencode(a, { header: { ...a.header, wit: goodWit } })], proof: anon.token.proof! }, { comment: 'an anonymous link that carries wit but no kid', flags: ['HeaderInvalid'], expect: { code: 'ERR_HEADER_INVALID', layer: 1 } });

  // Bundles that cannot be read.
  const token = (await idChain(cast, { roles: ['idp', 'gateway'], formats: ['jwt'], tag: 'bundle-test' })).token;
  const P = 2n ** 255n - 19n;
  const torsion = ed25519.Point.fromBytes(cast.key('idp').publicKey.bytes).add(ed25519.Point.fromHex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a')).toBytes();
  const idpJwk = cast.signer('idp');
  const broken: Array<[string, unknown, string[]]> = [
    ['a bundle that is a JSON string', 'not a bundle', ['InvalidTrustBundle']],
    ['a bundle whose keys is not an array', { keys: { idp: idpJwk } }, ['InvalidTrustBundle']],
    ['a bundle that is an array of keys', [idpJwk], ['InvalidTrustBundle']],
    ['a key that is a number', { keys: [idpJwk, 5] }, ['InvalidTrustBundle']],
    ['a signer with an empty sub', { keys: [{ ...idpJwk, sub: '' }] }, ['InvalidTrustBundle']],
    ['a signer key that is the identity point (small order)', { keys: [idpJwk, { kty: 'OKP', crv: 'Ed25519', x: b64u(scalarBytes(1n)), sub: 'spiffe://example.org/x' }] }, ['InvalidBundleKey', 'InvalidTrustBundle']],
    ['a signer key with y = p (non-canonical)', { keys: [idpJwk, { kty: 'OKP', crv: 'Ed25519', x: b64u(scalarBytes(P)), sub: 'spiffe://example.org/x' }] }, ['InvalidBundleKey', 'InvalidTrustBundle']],
    ['a signer key with a torsion component', { keys: [idpJwk, { kty: 'OKP', crv: 'Ed25519', x: b64u(torsion), sub: 'spiffe://example.org/x' }] }, ['InvalidBundleKey', 'InvalidTrustBundle']],
    ['a signer key of 31 bytes', { keys: [idpJwk, { kty: 'OKP', crv: 'Ed25519', x: idpJwk.x.slice(0, 42), sub: 'spiffe://example.org/x' }] }, ['InvalidBundleKey', 'InvalidTrustBundle']],
    ['an Ed25519 authority key that is the identity point', { keys: [idpJwk, { kty: 'OKP', crv: 'Ed25519', use: 'jwt-svid', x: b64u(scalarBytes(1n)) }] }, ['InvalidBundleKey', 'InvalidTrustBundle']],
    ['a P-256 authority off the curve', { keys: [idpJwk, { ...ecAuthority.jwk, y: ecAuthority.jwk.x, use: 'jwt-svid' }] }, ['InvalidTrustBundle']],
    ['a P-256 authority without y', { keys: [idpJwk, { kty: 'EC', crv: 'P-256', x: ecAuthority.jwk.x, use: 'jwt-svid' }] }, ['InvalidTrustBundle']],
  ];
  for (const [comment, trust, flags] of broken) {
    const g = file.group({ comment: `A trust bundle that cannot be read: ${comment}.`, keys: cast.publicKeys(['idp', 'gateway']), trust });
    addToken(g, token, { comment: `a valid one-layer chain, checked against ${comment}`, flags, expect: { code: 'ERR_TRUST_BUNDLE' } });
  }

  return file.finish({
    topic: 'trust',
    algorithm: 'Ed25519, ES256 (identity documents)',
    header: [
      'Trust (spec §5, §7.4, §7.8): JWKS and SPIFFE bundles, identities from sub, kid or thumbprint, identity documents (WIT, JWT-SVID) and their rules, issuers and audience.',
      'A group whose bundle cannot be read fails every test with ERR_TRUST_BUNDLE.',
    ],
  });
}
