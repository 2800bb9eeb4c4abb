import type { Layer, Token } from '@nestoken/core';
import { encode } from 'cborg';
import { b64u, hex, utf8 } from '../bytes.js';
import { NOW, hops } from '../cast.js';
import { aggregateChain, aggregateExtras, idChain } from '../chains.js';
import type { TokenVectorFile } from '../model.js';
import { replaceAt } from '../structure.js';
import { cborForm, jwtForm } from '../wire/container.js';
import { coseProtectedMap, cwtClaimsMap, transcode } from '../wire/layer.js';
import { addToken, topicContext } from './context.js';
import { addCborCases } from './encodings-cbor.js';
import { addByteFlips, addTextFlips, addTruncations, ends, indexOfBytes, type Region } from './encodings-bytes.js';
import { addJsonCases } from './encodings-json.js';
import { addOneReadingCases } from './encodings-one-reading.js';

const changeFlag = (l: Layer) => (l.format === 'jwt' ? 'FormatChangedJwtToCbor' : 'FormatChangedCborToJwt');

export async function encodingsVectors(seed: string): Promise<TokenVectorFile> {
  const { cast, file } = topicContext(seed);
  const roles = hops(4);
  const group = (comment: string) => file.group({ comment, keys: cast.publicKeys(roles), trust: cast.trust(roles) });

  // Containers, form detection, format changes.
  const forms = group('The two containers, how a verifier tells them apart, and layers re-encoded into the other format (spec §4.1, §4.5).');
  const mixed = await idChain(cast, { roles: hops(3), formats: ['jwt', 'cbor', 'jwt'], tag: 'mixed' });
  const audience = { audience: cast.kid(roles[3]!) };
  addToken(forms, mixed.token, { comment: 'JWT, CBOR, JWT layers in either container', flags: ['ContainerConversion', 'MixedFormats'], options: audience, expect: { valid: mixed.path } });
  const anon = await aggregateChain(cast, { root: 'idp', rootFormat: 'cbor', hops: [{ format: 'jwt' }, { format: 'cbor', identified: 'gateway' }], tag: 'mixed-aggregate' });
  addToken(forms, anon.token, { comment: 'an aggregate chain of CBOR, JWT, CBOR links in either container', flags: ['ContainerConversion', 'MixedFormats'], expect: { valid: anon.path }, ...aggregateExtras(anon) });
  const status = (idx: number) => ({ status: { status_list: { idx, uri: 'https://idp.example/statuslists/1' } } });
  const referenced = await idChain(cast, { roles: hops(3), formats: ['cbor', 'jwt', 'cbor'], tag: 'status', rootClaims: status(0), hopClaims: (i) => status(i) });
  addToken(forms, referenced.token, { comment: 'each layer names its entry in a status list: CWT claim 65535 in CBOR, status in JSON', flags: ['StatusReference', 'MixedFormats'], options: audience, expect: { valid: referenced.path } });
  const jwt = jwtForm(mixed.token);
  const cbor = cborForm(mixed.token);
  const detect = (input: { text?: string; binaryHex?: string }, comment: string, flags: string[], expect: Parameters<typeof forms.add>[0]['expect']) =>
    forms.add({ comment, flags, now: NOW, options: audience, ...input, expect });
  detect({ text: b64u(cbor) }, 'the CBOR form as base64url text (it starts with 2nst)', ['FormDetection'], { valid: mixed.path });
  detect({ text: ` \t${b64u(cbor)}\r\n` }, 'the CBOR form as base64url text, with white space around it', ['FormDetection'], { valid: mixed.path });
  detect({ text: `\n  ${jwt}\n` }, 'the JWT form with white space around it', ['FormDetection'], { valid: mixed.path });
  detect({ binaryHex: hex(utf8(`${jwt}\n`)) }, 'the JWT form as bytes, with a final newline', ['FormDetection'], { valid: mixed.path });
  detect({ binaryHex: hex(utf8(jwt.replace('~', '~\u0080'))) }, 'the JWT form as bytes with a non-ASCII byte inside', ['FormDetection', 'MalformedStructure'], { code: 'ERR_MALFORMED' });
  detect({ binaryHex: hex(utf8(jwt.replace('~', '~ '))) }, 'the JWT form as bytes with a space inside', ['FormDetection', 'MalformedStructure'], { code: 'ERR_MALFORMED' });
  detect({ text: `${b64u(cbor)}=` }, 'the CBOR form as padded base64', ['FormDetection', 'NonCanonicalBase64'], { code: 'ERR_BASE64' });
  detect({ text: b64u(cbor).replace(/-/g, '+').replace(/_/g, '/') }, 'the CBOR form as standard base64', ['FormDetection', 'NonCanonicalBase64'], { code: 'ERR_BASE64' });

  // Silent re-encoding of each layer, ID and aggregate, in both directions.
  const id4 = await idChain(cast, { roles, formats: ['jwt', 'cbor', 'jwt', 'cbor'], tag: 'id4' });
  const chains: Array<[string, Token, { audience: string } | undefined]> = [
    ['ID chain', id4.token, { audience: cast.kid(roles[4]!) }],
    ['aggregate chain', anon.token, undefined],
  ];
  for (const [what, t, options] of chains) {
    t.layers.forEach((l, i) => {
      addToken(forms, { layers: replaceAt(t.layers, i, transcode(l)), ...(t.proof ? { proof: t.proof } : {}) }, {
        comment: `${what}: layer ${i} re-encoded from ${l.format} to ${l.format === 'jwt' ? 'cbor' : 'jwt'}`,
        flags: [changeFlag(l)],
        ...(options ? { options } : {}),
        expect: { code: 'ERR_FORMAT_CHANGED', layer: i },
      });
    });
    addToken(forms, { layers: t.layers.map((l, i) => transcode(l, t.layers[i - 1]?.header.alg)), ...(t.proof ? { proof: t.proof } : {}) }, {
      comment: `${what}: every layer re-encoded into the other format`,
      flags: ['FormatChangedJwtToCbor', 'FormatChangedCborToJwt'],
      ...(options ? { options } : {}),
      expect: { code: 'ERR_FORMAT_CHANGED', layer: 0 },
    });
  }
  for (const format of ['jwt', 'cbor'] as const) {
    const single = await idChain(cast, { roles: hops(1), formats: [format], tag: `single-${format}` });
    const l = single.token.layers[0]!;
    addToken(forms, { layers: [transcode(l)] }, { comment: `a one-layer ${format} chain re-encoded: found by its signature`, flags: [changeFlag(l)], expect: { code: 'ERR_FORMAT_CHANGED', layer: 0 } });
  }

  await addJsonCases(group('Hand-built JWT layers: canonical JSON, duplicate members, header and claim rules, base64url (spec §3.2, §3.3, §4.2, §4.4).'), cast);
  await addCborCases(group('Hand-built COSE layers and CBOR containers: deterministic CBOR, duplicate keys, indefinite lengths, structure (spec §4.1.2, §4.3, §4.4.1).'), cast);

  // Byte damage: every truncation of three small tokens, and flips in every class of byte.
  const bytes = group('Byte-level damage: every prefix of three small tokens, and one changed byte or character in each part of a two-layer token (spec §4.1.4, §7).');
  const single = await idChain(cast, { roles: hops(1), formats: ['jwt'], tag: 'cut' });
  addTruncations(bytes, single.token, 'jwt', 'a one-layer JWT-format ID chain');
  const singleCbor = await idChain(cast, { roles: hops(1), formats: ['cbor'], tag: 'cut-cbor' });
  addTruncations(bytes, singleCbor.token, 'cbor', 'a one-layer CBOR-format ID chain');
  const oneLink = await aggregateChain(cast, { root: 'idp', rootFormat: 'jwt', hops: [], tag: 'cut-anon' });
  addTruncations(bytes, oneLink.token, 'jwt', 'a one-link anonymous chain');

  const pair = await idChain(cast, { roles: hops(2), formats: ['jwt', 'cbor'], tag: 'flip' });
  const pairAudience = cast.kid(roles[2]!);
  const text = jwtForm(pair.token);
  const [jws, coseText] = text.split('~') as [string, string];
  const [h, p] = jws.split('.') as [string, string, string];
  const d1 = h.length;
  const d2 = d1 + 1 + p.length;
  const tilde = jws.length;
  addTextFlips(
    bytes,
    text,
    [
      { flag: 'FlippedHeader', what: 'JWS header', positions: ends(0, d1) },
      { flag: 'FlippedPayload', what: 'JWS payload', positions: ends(d1 + 1, d2) },
      { flag: 'FlippedSignature', what: 'JWS signature', positions: ends(d2 + 1, tilde) },
      { flag: 'FlippedSeparator', what: 'a JWS dot', positions: [d1, d2] },
      { flag: 'FlippedSeparator', what: 'the layer separator', positions: [tilde] },
      { flag: 'FlippedPayload', what: 'the base64url COSE layer', positions: ends(tilde + 1, tilde + 1 + coseText.length) },
    ],
    'JWT form of a JWT + CBOR chain',
    pairAudience,
  );
  const bin = cborForm(pair.token);
  const coseLayer = pair.token.layers[1]!;
  const jwsAt = indexOfBytes(bin, utf8(jws));
  const coseAt = indexOfBytes(bin, coseLayer.bytes, jwsAt + jws.length);
  const protectedBytes = encode(coseProtectedMap(coseLayer.header));
  const payloadBytes = encode(cwtClaimsMap(coseLayer.claims));
  const protAt = indexOfBytes(bin, protectedBytes, coseAt);
  const payloadAt = indexOfBytes(bin, payloadBytes, protAt + protectedBytes.length);
  const sigAt = coseAt + coseLayer.bytes.length - 64;
  addByteFlips(
    bytes,
    bin,
    [
      { flag: 'FlippedContainer', what: 'the container tag and array heads', positions: [0, 2, 4, 5, 6] },
      { flag: 'FlippedContainer', what: 'the text head of the JWT layer', positions: [7, jwsAt - 1] },
      { flag: 'FlippedHeader', what: 'JWS header text', positions: ends(jwsAt, jwsAt + d1) },
      { flag: 'FlippedSignature', what: 'JWS signature text', positions: ends(jwsAt + d2 + 1, jwsAt + jws.length) },
      { flag: 'FlippedContainer', what: 'the byte-string head of the COSE layer', positions: [coseAt - 2, coseAt - 1] },
      { flag: 'FlippedContainer', what: 'the COSE tag and array head', positions: [coseAt, coseAt + 1] },
      { flag: 'FlippedHeader', what: 'the COSE protected header', positions: ends(protAt, protAt + protectedBytes.length) },
      { flag: 'FlippedPayload', what: 'the COSE payload', positions: ends(payloadAt, payloadAt + payloadBytes.length) },
      { flag: 'FlippedSignature', what: 'the COSE signature', positions: ends(sigAt, sigAt + 64) },
    ],
    'CBOR form of a JWT + CBOR chain',
    pairAudience,
  );

  await addOneReadingCases(group('One reading of the spec: text read exactly (U+FEFF, ill-formed UTF-8), claims of the wrong CBOR type, which check decides when one input breaks several rules, a seal over a re-encoded last layer (spec §3.2, §3.3, §4.1.3, §4.4.1, §4.5).'), cast);

  return file.finish({
    topic: 'encodings',
    algorithm: 'Ed25519, nst-r255',
    header: [
      'Encodings (spec §4): both containers, form detection, silent re-encoding between the layer formats, canonical JSON and CBOR, base64url.',
      'Byte damage: every truncation of small tokens and one changed byte or character in every part of a token.',
    ],
  });
}
