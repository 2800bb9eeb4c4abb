import { encode } from 'cborg';
import { b64u, concat, hex, utf8 } from '../bytes.js';
import type { GroupBuilder } from '../builder.js';
import { hops, NOW, type Cast } from '../cast.js';
import { aggregateChain, aggregateExtras, idChain } from '../chains.js';
import { replaceAt } from '../structure.js';
import { cborForm } from '../wire/container.js';
import { coseProtectedMap, cwtClaimsMap, transcode } from '../wire/layer.js';
import { signedCose, signedJws } from '../wire/raw.js';
import { addToken } from './context.js';
import { rootKit } from './root-kit.js';

/**
 * Rules an implementer in another language reads differently unless the spec pins them
 * (issue #12): text read exactly, the wrong type of a claim, which check comes first when one
 * input breaks several rules, and a seal over a re-encoded last layer.
 */
export async function addOneReadingCases(g: GroupBuilder, cast: Cast): Promise<void> {
  const kit = rootKit(cast);
  const idp = cast.key('idp');
  const P = encode(coseProtectedMap(kit.header));
  const claims = cwtClaimsMap(kit.claims);
  const withClaims = (change: (m: Map<unknown, unknown>) => void) => {
    const m = new Map(claims);
    change(m);
    return encode(m);
  };
  const cose = async (p: Uint8Array, c: Uint8Array, comment: string, flags: string[], code: Parameters<typeof addToken>[2]['expect']) =>
    addToken(g, { layers: [{ format: 'cbor', bytes: await signedCose(p, c, idp) }] }, { comment, flags, expect: code });

  // Text that starts with U+FEFF is text like any other: cborg-style decoders that drop it must not.
  const audience = { audience: cast.kid(hops(3)[2]!) };
  const bom = await idChain(cast, {
    roles: hops(2),
    formats: ['cbor', 'jwt'],
    tag: 'bom',
    rootClaims: { data: '\uFEFFstarts with a byte-order mark', sub: '\uFEFFalice' },
    hopClaims: () => ({ data: { '\uFEFFkey': ['\uFEFF', '\uFEFF\uFEFFtwo'] } }),
  });
  addToken(g, bom.token, { comment: 'claim text and member names starting with U+FEFF, in CBOR and JWT layers', flags: ['ByteOrderMarkText', 'MixedFormats'], options: audience, expect: { valid: bom.path } });
  const single = await idChain(cast, { roles: hops(1), formats: ['cbor'], tag: 'bom-single', rootClaims: { data: '\uFEFF' } });
  addToken(g, single.token, { comment: 'a CBOR layer whose data is the single character U+FEFF', flags: ['ByteOrderMarkText'], options: { audience: cast.kid(hops(2)[1]!) }, expect: { valid: single.path } });
  g.add({ comment: 'the CBOR form as base64url text after U+FEFF: white space, removed before the form is detected', flags: ['FormDetection'], now: NOW, options: { audience: cast.kid(hops(2)[1]!) }, text: `\uFEFF${b64u(cborForm(single.token))}`, expect: { valid: single.path } });

  // Ill-formed UTF-8 in any CBOR text string: a non-canonical text, wherever it is.
  const badText = (valid: string) => {
    const bytes = encode(valid);
    bytes[bytes.length - 1] = 0xff;
    return bytes;
  };
  await cose(P, concat([encode(claims)[0]! + 1], encode(claims).subarray(1), encode('data'), badText('text')), 'ill-formed UTF-8 in a claim text', ['InvalidUtf8Text'], { code: 'ERR_NONCANONICAL', layer: 0 });
  const typAt = P.indexOf(0x10) + 1;
  await cose(concat(P.subarray(0, typAt), badText('application/nst+cwt'), P.subarray(typAt + encode('application/nst+cwt').length)), encode(claims), 'ill-formed UTF-8 in the typ of the protected header', ['InvalidUtf8Text'], { code: 'ERR_NONCANONICAL', layer: 0 });
  const TAG = [0xda, 0x7b, 0x2d, 0x00, 0x01];
  g.add({ comment: 'ill-formed UTF-8 in a JWT layer carried as text in the CBOR container', flags: ['InvalidUtf8Text'], now: NOW, cborHex: hex(concat(TAG, [0x81, 0x81], badText('eyJhbGciOiJFZDI1NTE5In0.e30.AA'))), expect: { code: 'ERR_NONCANONICAL' } });

  // A claim of the wrong CBOR type is a claims fault, whatever the type.
  await cose(P, withClaims((m) => m.set(8, 5)), 'cnf as an integer', ['ClaimsInvalid'], { code: 'ERR_CLAIMS_INVALID', layer: 0 });
  await cose(P, withClaims((m) => m.set(8, [utf8('jkt')])), 'cnf as an array', ['ClaimsInvalid'], { code: 'ERR_CLAIMS_INVALID', layer: 0 });
  await cose(P, withClaims((m) => m.set(8, new Uint8Array(32))), 'cnf as a byte string', ['ClaimsInvalid'], { code: 'ERR_CLAIMS_INVALID', layer: 0 });

  // One input, several faults: the first check of the spec's order decides, in either format.
  const critTyp = `{"alg":"Ed25519","crit":["exp"],"kid":"${cast.kid('idp')}","typ":"JWT"}`;
  addToken(g, { layers: [{ format: 'jwt', bytes: utf8(await signedJws(critTyp, kit.claimsText, idp)) }] }, { comment: 'JWT layer with crit and a wrong typ: crit is checked first', flags: ['CheckOrder', 'CriticalHeader'], expect: { code: 'ERR_CRIT_UNSUPPORTED', layer: 0 } });
  const critTypCose = new Map(coseProtectedMap(kit.header)).set(2, [4]).set(16, 'application/cwt');
  await cose(encode(critTypCose), encode(claims), 'CBOR layer with crit and a wrong typ: crit is checked first', ['CheckOrder', 'CriticalHeader'], { code: 'ERR_CRIT_UNSUPPORTED', layer: 0 });
  const long = 'x'.repeat(8193); // maxStringLength + 1
  const lateLong = `${kit.claimsText.slice(0, -1)},"z":"${long}"}`.replace(`"iss":"${cast.identity('idp')}"`, '"iss":""');
  addToken(g, { layers: [{ format: 'jwt', bytes: utf8(await signedJws(kit.headerText, lateLong, idp)) }] }, { comment: 'JWT layer with an empty iss and a string beyond maxStringLength: the walk comes first', flags: ['CheckOrder', 'LongString'], expect: { code: 'ERR_LIMIT_EXCEEDED', layer: 0 } });
  await cose(P, withClaims((m) => m.set(1, '').set('z', long)), 'CBOR layer with an empty iss and a string beyond maxStringLength: the walk comes first', ['CheckOrder', 'LongString'], { code: 'ERR_LIMIT_EXCEEDED', layer: 0 });
  const deep = `${'['.repeat(17)}${']'.repeat(17)}`; // a list at depth maxClaimDepth
  const surrogateFirst = `{"a":"\\ud800",${kit.claimsText.slice(1, -1)},"z":${deep}}`;
  const surrogateLast = `{"a":${deep},${kit.claimsText.slice(1, -1)},"z":"\\ud800"}`;
  for (const [text, where] of [[surrogateFirst, 'before'], [surrogateLast, 'after']] as const) {
    addToken(g, { layers: [{ format: 'jwt', bytes: utf8(await signedJws(kit.headerText, text, idp)) }] }, { comment: `a lone surrogate ${where} a nesting bomb: a bound exceeded anywhere wins`, flags: ['CheckOrder', 'DepthBomb'], expect: { code: 'ERR_LIMIT_EXCEEDED', layer: 0 } });
  }
  const bigThenSurrogate = `${kit.claimsText.slice(0, -1)},"y":9007199254740993,"z":"\\ud800"}`;
  addToken(g, { layers: [{ format: 'jwt', bytes: utf8(await signedJws(kit.headerText, bigThenSurrogate, idp)) }] }, { comment: 'an integer beyond 2^53 (read exactly, not rounded) and a lone surrogate', flags: ['CheckOrder', 'ClaimsInvalid'], expect: { code: 'ERR_CLAIMS_INVALID', layer: 0 } });

  // A seal binds the last layer's bytes: re-encoding that layer is a format change, named as such.
  for (const format of ['jwt', 'cbor'] as const) {
    const sealed = await aggregateChain(cast, { root: 'idp', rootFormat: 'jwt', hops: [{ format }, { format, identified: 'gateway' }], tag: `seal-reencoded-${format}`, sealed: true });
    addToken(g, sealed.token, { comment: `a sealed hybrid chain ending in a ${format} layer`, flags: ['Sealed'], expect: { valid: sealed.path }, ...aggregateExtras(sealed) });
    const last = sealed.token.layers.length - 1;
    addToken(g, { layers: replaceAt(sealed.token.layers, last, transcode(sealed.token.layers[last]!)), proof: sealed.token.proof! }, {
      comment: `the same sealed chain, its last layer re-encoded from ${format}`,
      flags: ['Sealed', format === 'jwt' ? 'FormatChangedJwtToCbor' : 'FormatChangedCborToJwt'],
      expect: { code: 'ERR_FORMAT_CHANGED', layer: last },
    });
  }
  const anonSealed = await aggregateChain(cast, { root: 'idp', rootFormat: 'cbor', hops: [{ format: 'cbor' }], tag: 'seal-reencoded-anon', sealed: true });
  addToken(g, { layers: replaceAt(anonSealed.token.layers, 1, transcode(anonSealed.token.layers[1]!)), proof: anonSealed.token.proof! }, {
    comment: 'a sealed anonymous chain, its anonymous last link re-encoded from cbor',
    flags: ['Sealed', 'FormatChangedCborToJwt'],
    expect: { code: 'ERR_FORMAT_CHANGED', layer: 1 },
  });
}
