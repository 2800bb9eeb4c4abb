import { ed25519 } from '@noble/curves/ed25519.js';
import { documentDigest, exportPublicJwk, witIssuerJwks, type ErrorCode, type LayerFormat } from '@nestoken/core';
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
  const plain = file.group({ comment: 'A JWKS whose keys carry their identity in sub (spec §5.1), and the verifier policies of §7.4 and §7.8.', keys: cast.publicKeys([...roles, 'stranger']), trust: cast.trust(roles) });
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

  // WITs (spec §5.3): WIT issuers of example.org in the plain WIMSE form, a SPIFFE bundle of svid.example.
  const edAuthority = cast.key('authority');
  const ecAuthority = p256Signer(seed, 'authority');
  const svidAuthority = p256Signer(seed, 'svid-authority');
  const jwtOnly = p256Signer(seed, 'jwt-svid-authority');
  const rogue = ed25519Signer(cast.key('rogue-authority'));
  const ed = ed25519Signer(edAuthority);
  const x509Root = await mintRootCertificate('svid.example', await ed25519CaKeys(cast.key('x509-root').seed), NOW - HOUR, NOW + HOUR);
  const kidOf = (signer: DocumentSigner): string =>
    signer === ed ? 'authority-ed' : signer === ecAuthority ? 'authority-p256' : signer === svidAuthority ? 'svid-p256' : signer === jwtOnly ? 'jwt-only' : 'rogue';
  const spiffe = file.group({
    comment:
      'WIT issuers of example.org as a plain JWK Set (an Ed25519 and a P-256 key, WIMSE rules), the idp as the direct signer, and the SPIFFE bundle of svid.example: ' +
      'a wit-svid P-256 key (WIT-SVID profile), a jwt-svid key (never vouches for a hop), an X.509 root, a key without use and an Ed25519 wit-svid key, both ignored (spec §5.1, §5.3).',
    keys: { ...cast.publicKeys(['idp', 'api', 'db', 'ec-api', 'verifier', 'authority', 'rogue-authority']), 'authority-p256': ecAuthority.jwk, 'svid-p256': svidAuthority.jwk, 'jwt-only': jwtOnly.jwk },
    privateKeys: cast.privateKeys(['api', 'db']),
    trust: {
      signers: { keys: [cast.signer('idp')] },
      witIssuers: {
        [TD]: { keys: [{ ...exportPublicJwk(edAuthority), kid: 'authority-ed', use: 'wit-svid', alg: 'Ed25519' }, { ...ecAuthority.jwk, kid: 'authority-p256' }] },
      },
      spiffeBundles: {
        'svid.example': {
          spiffe_sequence: 12,
          spiffe_refresh_hint: 300,
          keys: [
            { ...svidAuthority.jwk, kid: 'svid-p256', use: 'wit-svid' },
            { ...jwtOnly.jwk, kid: 'jwt-only', use: 'jwt-svid' },
            { kty: 'OKP', crv: 'Ed25519', use: 'x509-svid', x: cast.publicJwk('x509-root').x, x5c: [btoa(String.fromCharCode(...x509Root))] },
            { ...exportPublicJwk(cast.key('rogue-authority')), kid: 'no-use' },
            { ...exportPublicJwk(cast.key('rogue-authority')), kid: 'ed-wit-svid', use: 'wit-svid' },
          ],
        },
      },
    },
  } satisfies GroupInit);
  const cnf = (role: string, alg = 'Ed25519') => ({ jwk: { kty: 'OKP', crv: 'Ed25519', x: cast.publicJwk(role).x, alg } });
  const wit = (sub: string, role: string, over: object = {}, headerOver: object = {}, signer: DocumentSigner = ed) =>
    identityDocument(
      { alg: signer.alg, kid: kidOf(signer), typ: 'wit+jwt', ...headerOver },
      { iss: 'https://authority.example', sub, exp: NOW + HOUR, ...over, cnf: cnf(role), ...('cnf' in over ? { cnf: (over as { cnf: unknown }).cnf } : {}) },
      signer,
    );
  const spiffeChain = async (docs: Record<number, string>, tag: string, formats: readonly LayerFormat[] = ['jwt', 'cbor', 'jwt']): Promise<Built> =>
    idChain(cast, { roles: ['idp', 'api', 'db', 'verifier'].slice(0, formats.length + 1), formats, tag, documents: docs, identities: ['https://idp.example', API, DB] });
  const good = await spiffeChain({ 1: await wit(API, 'api'), 2: await wit(DB, 'db', {}, {}, ecAuthority) }, 'spiffe');
  addToken(spiffe, good.token, { comment: 'api vouched for by a WIT signed Ed25519, db by one signed ES256', flags: ['ValidChain', 'IdentityDocument', 'Es256Authority', 'SpiffeBundle'], options: { audience: cast.kid('verifier') }, expect: { valid: good.path } });
  const wimse = await idChain(cast, {
    roles: ['idp', 'api', 'verifier'],
    formats: ['jwt', 'cbor'],
    tag: 'wimse',
    documents: { 1: await wit('wimse://example.org/api', 'api', {}, { alg: 'EdDSA' }) },
    identities: ['https://idp.example', 'wimse://example.org/api'],
    hopClaims: () => ({ iss: 'wimse://example.org/api' }),
  });
  addToken(spiffe, wimse.token, { comment: 'a wimse:// identity, the header alg EdDSA (the same algorithm as Ed25519)', flags: ['IdentityDocument'], expect: { valid: wimse.path } });
  let docs = 0;
  const doc = async (docText: string, comment: string, flags: string[], expect: Expectation | 'valid') => {
    const t = await spiffeChain({ 1: docText }, `doc${docs++}`, ['cbor', 'jwt']);
    addToken(spiffe, t.token, { comment, flags, expect: expect === 'valid' ? { valid: t.path } : expect });
  };
  const at1 = (code: ErrorCode): Expectation => ({ code, layer: 1 });
  const SVID = 'spiffe://svid.example/api';
  await doc(await wit(API, 'api', { nbf: NOW - 600, iat: NOW - 600, jti: 'svid-1' }), 'a WIT with nbf, iat and jti', ['IdentityDocument'], 'valid');
  await doc(await wit(API, 'api', { exp: NOW - 61 }), 'a WIT that expired 61 seconds ago', ['DocumentExpired'], at1('ERR_EXPIRED'));
  await doc(await wit(API, 'api', { exp: NOW - 59 }), 'a WIT that expired 59 seconds ago, within the skew', ['IdentityDocument', 'TimeBoundary'], 'valid');
  await doc(await wit(API, 'api', { nbf: NOW + 120 }), 'a WIT valid from two minutes on', ['DocumentNotYetValid'], at1('ERR_NOT_YET_VALID'));
  await doc(await wit(API, 'db'), "a WIT that binds db's key to the api identity", ['DocumentWrongKey'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(await wit(API, 'api', { cnf: { jwk: { kty: 'OKP', crv: 'Ed25519', x: b64u(scalarBytes(1n)), alg: 'Ed25519' } } }), 'a WIT whose cnf.jwk is the identity point (small order)', ['DocumentWrongKey'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(await wit(API, 'api', { cnf: { jwk: { ...ecAuthority.jwk, alg: 'ES256' } } }), 'a WIT that confirms a P-256 key for ES256 proofs, presented by an Ed25519 layer', ['DocumentAlgMismatch'], at1('ERR_ALG_NOT_ALLOWED'));
  await doc(await wit(API, 'api', { cnf: { jwk: { kty: 'OKP', crv: 'Ed25519', x: cast.publicJwk('api').x } } }), 'a WIT whose cnf.jwk has no alg', ['DocumentMalformed'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(await wit(API, 'api', { cnf: cnf('api', 'ES256') }), 'a WIT whose cnf.jwk.alg ES256 does not fit its Ed25519 key', ['DocumentMalformed'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(await wit(API, 'api', { cnf: cnf('api', 'HS256') }), 'a WIT whose cnf.jwk.alg is HS256', ['DocumentAlg'], at1('ERR_ALG_NOT_ALLOWED'));
  await doc(await wit('spiffe://evil.example/api', 'api'), 'a WIT for an identity in a trust domain the bundle has no WIT issuer for', ['DocumentOutsideTrustDomain'], at1('ERR_TRUST_DOMAIN'));
  await doc(await wit(API, 'api', {}, { kid: 'svid-p256' }, svidAuthority), "a WIT for example.org signed by svid.example's issuer: the trust domain of sub selects the keys", ['DocumentUntrustedAuthority', 'TrustDomainScope'], at1('ERR_KEY_UNTRUSTED'));
  await doc(await wit('https://example.org/api', 'api'), 'a WIT whose sub is an https URI, not a workload identifier', ['DocumentMalformed'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(await wit(API, 'api', {}, { kid: 'rogue' }, rogue), 'a WIT signed by an issuer the bundle does not list', ['DocumentUntrustedAuthority'], at1('ERR_KEY_UNTRUSTED'));
  await doc(await wit(API, 'api', {}, { kid: 'authority-p256' }), "a WIT signed by the Ed25519 issuer that names the P-256 issuer's kid", ['DocumentUntrustedAuthority'], at1('ERR_KEY_UNTRUSTED'));
  await doc(await wit(API, 'api', {}, { kid: 'authority-ed', alg: 'ES256' }, ecAuthority), "an ES256 WIT that names the Ed25519 issuer's kid", ['DocumentUntrustedAuthority'], at1('ERR_KEY_UNTRUSTED'));
  await doc(await wit(API, 'api', {}, { alg: 'none' }), 'a WIT with alg none', ['DocumentAlg'], at1('ERR_ALG_NOT_ALLOWED'));
  await doc(await wit(API, 'api', {}, { alg: 'RS256' }), 'a WIT with alg RS256 but an Ed25519 signature (no RSA issuer)', ['DocumentUntrustedAuthority'], at1('ERR_KEY_UNTRUSTED'));
  await doc(await wit(API, 'api', {}, { alg: 'HS256' }), 'a WIT with alg HS256', ['DocumentAlg'], at1('ERR_ALG_NOT_ALLOWED'));
  await doc(await wit(API, 'api', {}, { crit: ['exp'] }), 'a WIT with crit', ['DocumentCritical'], at1('ERR_CRIT_UNSUPPORTED'));
  await doc(await wit(API, 'api', {}, { typ: 'at+jwt' }), 'a document of typ at+jwt', ['DocumentMalformed'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(await wit(API, 'api', {}, { typ: 'JWT' }), 'a JWT-SVID style document of typ JWT', ['DocumentMalformed'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(await wit(API, 'api', {}, { typ: undefined }), 'a document without typ', ['DocumentMalformed'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(await wit('', 'api'), 'a WIT with an empty sub', ['DocumentMalformed'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(await wit(API, 'api', { exp: 'tomorrow' }), 'a WIT whose exp is text', ['DocumentMalformed'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(await wit(API, 'api', { cnf: { jkt: cast.kid('api') } }), 'a WIT with cnf.jkt instead of cnf.jwk', ['DocumentMalformed'], at1('ERR_IDENTITY_DOCUMENT'));
  // The WIT-SVID profile (SPIFFE): kid required, no aud, RS/PS/ES only for the document and cnf.jwk.
  const svidCnf = { jwk: { ...ecAuthority.jwk, alg: 'ES256' } };
  await doc(await wit(SVID, 'api', {}, { kid: 'svid-p256' }, svidAuthority), 'a WIT-SVID that confirms an Ed25519 key: SPIFFE lists no EdDSA for cnf.jwk', ['WitSvidProfile'], at1('ERR_ALG_NOT_ALLOWED'));
  await doc(await wit(SVID, 'api', { cnf: svidCnf }, { kid: 'svid-p256' }, svidAuthority), 'a WIT-SVID that confirms a P-256 key, presented by an Ed25519 layer', ['WitSvidProfile', 'DocumentAlgMismatch'], at1('ERR_ALG_NOT_ALLOWED'));
  await doc(await wit(SVID, 'api', { cnf: svidCnf, aud: 'spiffe://svid.example/db' }, { kid: 'svid-p256' }, svidAuthority), 'a WIT-SVID with aud', ['WitSvidProfile'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(await wit(SVID, 'api', { cnf: svidCnf }, { kid: undefined }, svidAuthority), 'a WIT-SVID without kid', ['WitSvidProfile'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(await wit(SVID, 'api', { cnf: svidCnf }, { kid: 'svid-p256', alg: 'Ed25519' }, ed), 'a WIT-SVID signed Ed25519: SPIFFE lists no EdDSA', ['WitSvidProfile'], at1('ERR_ALG_NOT_ALLOWED'));
  await doc(await wit('wimse://svid.example/api', 'api', { cnf: svidCnf }, { kid: 'svid-p256' }, svidAuthority), 'a WIT-SVID whose sub is not a SPIFFE ID', ['WitSvidProfile'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(await wit(SVID, 'api', { cnf: svidCnf }, { kid: 'jwt-only' }, jwtOnly), 'a WIT signed by a jwt-svid key: that key verifies JWT-SVIDs only', ['DocumentUntrustedAuthority', 'KeyRole'], at1('ERR_KEY_UNTRUSTED'));
  // ES256 hops: a WIT-SVID can vouch for them (spec §5.3).
  const SVID_EC = 'spiffe://svid.example/ec-api';
  const ecCnf = (role: string) => {
    const { kty, crv, x, y } = cast.publicJwk(role) as unknown as Record<string, string>;
    return { jwk: { kty, crv, x, y, alg: 'ES256' } };
  };
  const svidChain = await idChain(cast, {
    roles: ['idp', 'ec-api', 'verifier'],
    formats: ['cbor', 'jwt'],
    tag: 'wit-svid',
    documents: { 1: await wit(SVID_EC, 'ec-api', { cnf: ecCnf('ec-api'), nbf: NOW - 60, jti: 'svid-7' }, { kid: 'svid-p256' }, svidAuthority) },
    identities: ['https://idp.example', SVID_EC],
    hopClaims: () => ({ iss: SVID_EC }),
  });
  addToken(spiffe, svidChain.token, { comment: 'a SPIFFE WIT-SVID (ES256, kid, no aud) vouches for an ES256 hop', flags: ['ValidChain', 'IdentityDocument', 'SpiffeBundle', 'Es256Layer'], options: { audience: cast.kid('verifier') }, expect: { valid: svidChain.path } });
  const ecMismatch = await idChain(cast, { roles: ['idp', 'ec-api', 'verifier'], formats: ['jwt', 'cbor'], tag: 'ec-mismatch', documents: { 1: await wit(API, 'api') }, identities: ['https://idp.example', API], hopClaims: () => ({ iss: API }) });
  addToken(spiffe, ecMismatch.token, { comment: 'an ES256 hop whose WIT confirms an Ed25519 key (cnf.jwk.alg Ed25519)', flags: ['DocumentAlgMismatch'], expect: { code: 'ERR_ALG_NOT_ALLOWED', layer: 1 } });
  const goodWit = await wit(API, 'api');
  const [wh, wc, ws] = goodWit.split('.') as [string, string, string];
  await doc(`${wh}.${wc}`, 'a WIT of two parts', ['DocumentMalformed'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(`${b64u(new TextEncoder().encode('not json'))}.${wc}.${ws}`, 'a WIT whose header is not JSON', ['DocumentMalformed'], at1('ERR_IDENTITY_DOCUMENT'));
  await doc(`${b64u(new TextEncoder().encode('{"alg":"EdDSA","alg":"Ed25519","kid":"authority-ed","typ":"wit+jwt"}'))}.${wc}.${ws}`, 'a WIT whose header repeats alg', ['DuplicateKeyJson'], at1('ERR_DUPLICATE_KEY'));
  await doc(`${wh}.${wc}.${ws.slice(0, 5)}${ws[5] === 'A' ? 'B' : 'A'}${ws.slice(6)}`, 'a WIT with a changed signature', ['DocumentUntrustedAuthority'], at1('ERR_KEY_UNTRUSTED'));
  await doc(`${wh}.${wc}.${ws}=`, 'a WIT with a padded signature', ['NonCanonicalBase64'], at1('ERR_BASE64'));
  const apiAsDb = await idChain(cast, { roles: ['idp', 'api', 'verifier'], formats: ['jwt', 'jwt'], tag: 'api-as-db', documents: { 1: goodWit }, hopClaims: () => ({ iss: DB }) });
  addToken(spiffe, apiAsDb.token, { comment: "a layer whose iss is not its document's sub", flags: ['IssuerMismatch'], expect: { code: 'ERR_ISSUER_MISMATCH', layer: 1 } });
  const bundled = await idChain(cast, { roles: ['idp', 'idp', 'verifier'], formats: ['jwt', 'cbor'], tag: 'bundled', documents: { 1: await wit(API, 'api', { exp: NOW - 3600 }) } });
  const bundleWins = { ...bundled.path, hops: bundled.path.hops.map((h) => ({ ...h, via: 'trust-bundle' as const })) };
  addToken(spiffe, bundled.token, { comment: 'a layer signed by a bundle key carries an expired document for another key: the bundle wins, the document is not read', flags: ['ValidChain', 'IdentityDocument'], expect: { valid: bundleWins } });
  // Who may start a chain (spec §7.4): by default only a direct signer of the bundle.
  const vouchedRoot = await idChain(cast, { roles: ['api', 'db', 'verifier'], formats: ['jwt', 'cbor'], tag: 'vouched-root', documents: { 0: await wit(API, 'api'), 1: await wit(DB, 'db') }, identities: [API, DB] });
  addToken(spiffe, vouchedRoot.token, { comment: 'a chain started by a workload that only a WIT vouches for, issuers not given', flags: ['IssuerNotAccepted'], expect: { code: 'ERR_KEY_UNTRUSTED', layer: 0 } });
  addToken(spiffe, vouchedRoot.token, { comment: 'the same chain, its root identity listed in issuers', flags: ['ValidChain', 'IdentityDocument', 'VerifierPolicy'], options: { issuers: [API] }, expect: { valid: vouchedRoot.path } });
  const anon = await aggregateChain(cast, { root: 'idp', rootFormat: 'jwt', hops: [{ format: 'cbor' }], tag: 'wit-anon' });
  const [r, a] = anon.token.layers as [never, (typeof anon.token.layers)[number]];
  const goodDoc = documentDigest({ wit: goodWit });
  addToken(spiffe, { layers: [r, reencode(a, { header: { ...a.header, doc: goodDoc } })], proof: anon.token.proof!, documents: new Map([[goodDoc, { wit: goodWit }]]) }, { comment: 'an anonymous link that names an identity document but no kid', flags: ['HeaderInvalid'], expect: { code: 'ERR_HEADER_INVALID', layer: 1 } });

  // Bundles that cannot be read.
  const token = (await idChain(cast, { roles: ['idp', 'gateway'], formats: ['jwt'], tag: 'bundle-test' })).token;
  const P = 2n ** 255n - 19n;
  const torsion = ed25519.Point.fromBytes(cast.key('idp').publicKey.bytes).add(ed25519.Point.fromHex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a')).toBytes();
  const idpJwk = cast.signer('idp');
  const signers = (keys: unknown, extra: object = {}) => ({ signers: { keys }, ...extra });
  const broken: Array<[string, unknown, string[], ErrorCode?]> = [
    ['a trust that is a JSON string', 'not a bundle', ['InvalidTrustBundle']],
    ['a signer JWKS that is a JSON string', { signers: 'not a bundle' }, ['InvalidTrustBundle']],
    ['a signer JWKS whose keys is not an array', { signers: { keys: { idp: idpJwk } } }, ['InvalidTrustBundle']],
    ['a signer JWKS that is an array of keys', { signers: [idpJwk] }, ['InvalidTrustBundle']],
    ['a key that is a number', signers([idpJwk, 5]), ['InvalidTrustBundle']],
    ['a signer with an empty sub', signers([{ ...idpJwk, sub: '' }]), ['InvalidTrustBundle']],
    ['a signer without sub', signers([{ ...idpJwk, sub: undefined }]), ['InvalidTrustBundle']],
    ['a signer key that is the identity point (small order)', signers([idpJwk, { kty: 'OKP', crv: 'Ed25519', x: b64u(scalarBytes(1n)), sub: 'spiffe://example.org/x' }]), ['InvalidBundleKey', 'InvalidTrustBundle']],
    ['a signer key with y = p (non-canonical)', signers([idpJwk, { kty: 'OKP', crv: 'Ed25519', x: b64u(scalarBytes(P)), sub: 'spiffe://example.org/x' }]), ['InvalidBundleKey', 'InvalidTrustBundle']],
    ['a signer key with a torsion component', signers([idpJwk, { kty: 'OKP', crv: 'Ed25519', x: b64u(torsion), sub: 'spiffe://example.org/x' }]), ['InvalidBundleKey', 'InvalidTrustBundle']],
    ['a signer key of 31 bytes', signers([idpJwk, { kty: 'OKP', crv: 'Ed25519', x: idpJwk.x.slice(0, 42), sub: 'spiffe://example.org/x' }]), ['InvalidBundleKey', 'InvalidTrustBundle']],
    ['a WIT issuer key in the signer JWKS: an identity issuer cannot sign layers', signers([idpJwk, { ...cast.publicJwk('authority'), use: 'wit-svid' }]), ['InvalidTrustBundle', 'KeyRole']],
    ['an Ed25519 WIT issuer key that is the identity point', { witIssuers: { [TD]: { keys: [{ kty: 'OKP', crv: 'Ed25519', use: 'wit-svid', x: b64u(scalarBytes(1n)) }] } } }, ['InvalidBundleKey', 'InvalidTrustBundle']],
    ['a P-256 WIT issuer off the curve', { witIssuers: { [TD]: { keys: [{ ...ecAuthority.jwk, y: ecAuthority.jwk.x }] } } }, ['InvalidTrustBundle']],
    ['a P-256 WIT issuer without y', { witIssuers: { [TD]: { keys: [{ kty: 'EC', crv: 'P-256', x: ecAuthority.jwk.x }] } } }, ['InvalidTrustBundle']],
    ['a SPIFFE bundle wit-svid key without kid', { spiffeBundles: { [TD]: { keys: [{ ...ecAuthority.jwk, use: 'wit-svid' }] } } }, ['InvalidTrustBundle']],
    ['a SPIFFE bundle whose spiffe_sequence is negative', { spiffeBundles: { [TD]: { spiffe_sequence: -1, keys: [] } } }, ['InvalidTrustBundle']],
    ['an x509-svid key with two certificates in x5c', { spiffeBundles: { [TD]: { keys: [{ kty: 'EC', crv: 'P-256', use: 'x509-svid', x5c: ['MIIBAA==', 'MIIBAA=='] }] } } }, ['InvalidTrustBundle']],
    // Scoping (spec §5.4).
    ["a partner's signer JWKS, scoped to partner.test, that lists a key under our idp's identity", signers([{ ...cast.signer('rogue-authority'), sub: 'spiffe://example.org/idp' }], { signersTrustDomain: 'partner.test' }), ['TrustDomainScope'], 'ERR_TRUST_DOMAIN'],
    ['a signer whose identity is a label, not a URI naming a trust domain', signers([{ ...idpJwk, sub: 'idp-signing-key' }]), ['TrustDomainScope'], 'ERR_TRUST_DOMAIN'],
    ['the idp key listed both as a layer signer and as a WIT issuer', signers([idpJwk], { witIssuers: { [TD]: witIssuerJwks(cast.key('idp')) } }), ['InvalidTrustBundle', 'BundleConflict']],
    ['one WIT issuer key listed for two trust domains', { witIssuers: { [TD]: witIssuerJwks(edAuthority), 'partner.test': witIssuerJwks(edAuthority) } }, ['InvalidTrustBundle', 'BundleConflict']],
    ['one kid given to two WIT issuer keys of example.org', { witIssuers: { [TD]: { keys: [{ ...exportPublicJwk(edAuthority), kid: 'k1' }, { ...ecAuthority.jwk, kid: 'k1' }] } } }, ['InvalidTrustBundle', 'BundleConflict']],
  ];
  for (const [comment, trust, flags, code] of broken) {
    const g = file.group({ comment: `A trust bundle that cannot be read: ${comment}.`, keys: cast.publicKeys(['idp', 'gateway']), trust });
    addToken(g, token, { comment: `a valid one-layer chain, checked against ${comment}`, flags, expect: { code: code ?? 'ERR_TRUST_BUNDLE' } });
  }

  // A SPIFFE bundle with an empty keys array is valid and distrusts its domain.
  const empty = file.group({ comment: 'The SPIFFE bundle of example.org has an empty keys array: the domain is known and trusts nothing (spec §5.1).', keys: cast.publicKeys(['idp', 'api', 'verifier']), trust: { signers: { keys: [cast.signer('idp')] }, spiffeBundles: { [TD]: { spiffe_sequence: 3, keys: [] } } } });
  const distrusted = await idChain(cast, { roles: ['idp', 'api', 'verifier'], formats: ['jwt', 'jwt'], tag: 'distrusted', documents: { 1: await wit(API, 'api') }, identities: ['https://idp.example', API] });
  addToken(empty, distrusted.token, { comment: 'a WIT of example.org, whose bundle lists no keys', flags: ['DocumentOutsideTrustDomain', 'TrustDomainScope'], expect: { code: 'ERR_TRUST_DOMAIN', layer: 1 } });

  return file.finish({
    topic: 'trust',
    algorithm: 'Ed25519, ES256 (identity documents)',
    header: [
      'Trust (spec §5, §7.4, §7.8): signer JWKS, WIT issuer sets and SPIFFE bundles by trust domain, WITs and the WIT-SVID profile, scoping, issuers and audience.',
      'A group whose trust cannot be read fails every test with ERR_TRUST_BUNDLE (or ERR_TRUST_DOMAIN when a signer lies outside its trust domain).',
    ],
  });
}
