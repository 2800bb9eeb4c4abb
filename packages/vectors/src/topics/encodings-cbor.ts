import type { ErrorCode } from '@nestoken/core';
import { encode, Tagged } from 'cborg';
import { concat, hex, utf8 } from '../bytes.js';
import type { GroupBuilder } from '../builder.js';
import { NOW, type Cast } from '../cast.js';
import type { Expectation } from '../expectation.js';
import { TAG_NESTOKEN } from '../wire/container.js';
import { coseProtectedMap, cwtClaimsMap } from '../wire/layer.js';
import { bstrHead, coseFromParts, coseSignature, indefiniteMap, rawMap, signedCose } from '../wire/raw.js';
import { addToken } from './context.js';
import { rootKit } from './root-kit.js';

/** Entries in the order deterministic CBOR writes them: encoded keys shorter first, then bytewise (as cborg sorts). */
export function sortedEntries(m: Map<unknown, unknown>): Array<[unknown, unknown]> {
  const key = (k: unknown) => Buffer.from(encode(k));
  return [...m.entries()].sort(([a], [b]) => key(a).length - key(b).length || Buffer.compare(key(a), key(b)));
}

/** Hand-built COSE layers and CBOR containers (spec §4.1.2, §4.3, §4.4.1). */
export async function addCborCases(g: GroupBuilder, cast: Cast): Promise<void> {
  const kit = rootKit(cast);
  const idp = cast.key('idp');
  const header = coseProtectedMap(kit.header);
  const claims = cwtClaimsMap(kit.claims);
  const P = encode(header);
  const C = encode(claims);
  const layer = (bytes: Uint8Array, comment: string, flags: string[], expect: Expectation) =>
    addToken(g, { layers: [{ format: 'cbor', bytes }] }, { comment, flags, expect });
  const signed = async (p: Uint8Array, c: Uint8Array, comment: string, flags: string[], code: ErrorCode, unprotected = new Map()) =>
    layer(await signedCose(p, c, idp, unprotected), comment, flags, { code, layer: 0 });
  const withHeader = (change: (m: Map<unknown, unknown>) => void) => {
    const m = new Map(header);
    change(m);
    return encode(m);
  };
  const withClaims = (change: (m: Map<unknown, unknown>) => void) => {
    const m = new Map(claims);
    change(m);
    return encode(m);
  };

  const control = await signedCose(P, C, idp);
  layer(control, 'the hand-built control layer', ['ValidChain'], { valid: kit.path('cbor', control) });

  // Deterministic encoding.
  const algAt = P.indexOf(0x32);
  await signed(concat(P.subarray(0, algAt), [0x38, 0x12], P.subarray(algAt + 1)), C, 'alg -19 written with a two-byte head', ['NonCanonicalCbor'], 'ERR_NONCANONICAL');
  await signed(rawMap(sortedEntries(header).reverse()), C, 'protected header labels in reverse order', ['NonCanonicalCbor'], 'ERR_NONCANONICAL');
  await signed(P, rawMap(sortedEntries(claims).reverse()), 'claim keys in reverse order', ['NonCanonicalCbor'], 'ERR_NONCANONICAL');
  const expAt = C.indexOf(0x04) + 1;
  const float = Buffer.alloc(9);
  float[0] = 0xfb;
  float.writeDoubleBE(kit.exp, 1);
  await signed(P, concat(C.subarray(0, expAt), float, C.subarray(expAt + 5)), 'exp as a 64-bit float of an integral value', ['NonCanonicalCbor'], 'ERR_NONCANONICAL');
  await signed(P, withClaims((m) => m.set(4, kit.exp + 0.5)), 'a fractional exp', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  await signed(P, withClaims((m) => m.set(4, kit.exp * 1000)), 'exp in milliseconds', ['TimeInMilliseconds'], 'ERR_CLAIMS_INVALID');
  await signed(rawMap([...sortedEntries(header), [1, -19]]), C, 'alg twice in the protected header', ['DuplicateKeyCbor'], 'ERR_DUPLICATE_KEY');
  await signed(P, rawMap([...sortedEntries(claims), [4, kit.exp + 3600]]), 'exp twice in the claims', ['DuplicateKeyCbor'], 'ERR_DUPLICATE_KEY');
  await signed(P, indefiniteMap(sortedEntries(claims)), 'claims as an indefinite-length map', ['IndefiniteLength'], 'ERR_NONCANONICAL');
  await signed(indefiniteMap(sortedEntries(header)), C, 'the protected header as an indefinite-length map', ['IndefiniteLength'], 'ERR_NONCANONICAL');
  const signature = await coseSignature(P, C, idp);
  const half = (b: Uint8Array) => [b.subarray(0, 32), b.subarray(32)] as const;
  layer(coseFromParts(encode(P), encode(new Map()), encode(C), concat([0x5f], encode(half(signature)[0]), encode(half(signature)[1]), [0xff])), 'the signature as an indefinite-length byte string', ['IndefiniteLength'], { code: 'ERR_NONCANONICAL', layer: 0 });
  layer(coseFromParts(bstrHead(P, 2), encode(new Map()), encode(C), encode(signature)), 'the protected header bytes with a two-byte length head', ['NonCanonicalCbor'], { code: 'ERR_NONCANONICAL', layer: 0 });
  layer(coseFromParts(encode(P), encode(new Map()), bstrHead(C, 4), encode(signature)), 'the payload bytes with a four-byte length head', ['NonCanonicalCbor'], { code: 'ERR_NONCANONICAL', layer: 0 });
  layer(coseFromParts(encode(P), concat([0xbf, 0xff]), encode(C), encode(signature)), 'an empty unprotected header of indefinite length', ['IndefiniteLength'], { code: 'ERR_NONCANONICAL', layer: 0 });

  // Structure and data model.
  layer(encode([P, new Map(), C, signature]), 'a COSE_Sign1 array without tag 18', ['MalformedStructure'], { code: 'ERR_MALFORMED', layer: 0 });
  layer(encode(new Tagged(18, [P, new Map(), C])), 'three items instead of four', ['MalformedStructure'], { code: 'ERR_MALFORMED', layer: 0 });
  layer(encode(new Tagged(18, [P, new Map(), C, 'signature'])), 'the signature as text', ['MalformedStructure'], { code: 'ERR_MALFORMED', layer: 0 });
  layer(concat(control, [0x00]), 'a byte after the COSE_Sign1', ['InvalidCbor'], { code: 'ERR_CBOR', layer: 0 });
  layer(concat([0xd8, 0x62], control.subarray(1)), 'tag 98 (COSE_Sign) instead of 18', ['InvalidCbor'], { oneOf: ['ERR_CBOR', 'ERR_MALFORMED'] });
  await signed(P, withClaims((m) => m.set('data', new Tagged(1, NOW))), 'a tagged value (epoch time, tag 1) in data', ['InvalidCbor'], 'ERR_CBOR');
  await signed(P, concat([C[0]! + 1], C.subarray(1), encode('data'), [0xf7]), 'undefined in data', ['InvalidCbor'], 'ERR_CBOR');
  await signed(P, withClaims((m) => m.set('data', utf8('bytes'))), 'a byte string in data: no JSON twin', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  await signed(P, withClaims((m) => m.set(7, 'kit-0')), 'cti (jti) as text instead of bytes', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  await signed(P, withClaims((m) => m.set(99, 1)), 'an unknown integer claim key', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  await signed(P, withClaims((m) => m.set('exp', kit.exp)), 'exp under its JSON name instead of key 4', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  await signed(P, withClaims((m) => m.set('scope', 'trade.stocks')), 'scope under its JSON name instead of key 9', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  await signed(P, withClaims((m) => m.set('nst_role', 'admin')), 'a claim under the reserved prefix nst_', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  const openLayer = await signedCose(P, withClaims((m) => m.set(9, 'trade.stocks').set('act', new Map([['sub', 'spiffe://example.org/gateway']])).set('tctx', new Map([['action', 'BUY']])).set('__proto__', 1)), idp);
  layer(openLayer, 'open claims: act and tctx under text keys, scope under key 9, a claim named __proto__', ['OpenClaims'], { valid: kit.path('cbor', openLayer) });
  const statusList = (idx: unknown, uri: unknown) => new Map([['status_list', new Map<string, unknown>([['idx', idx], ['uri', uri]])]]);
  await signed(P, withClaims((m) => m.set('status', statusList(0, 'https://idp.example/statuslists/1'))), 'status under its JSON name instead of key 65535', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  await signed(P, withClaims((m) => m.set(65535, statusList(-1, 'https://idp.example/statuslists/1'))), 'a status list index below zero', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  await signed(P, withClaims((m) => m.set(65535, statusList(0, 'statuslists/1'))), 'a status list uri without a scheme', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  await signed(P, withClaims((m) => m.set(8, new Map([['jkt', utf8('short')]]))), 'cnf.jkt of 5 bytes', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  await signed(withHeader((m) => m.set(16, 'application/cwt')), C, 'typ application/cwt', ['HeaderInvalid'], 'ERR_HEADER_INVALID');
  await signed(withHeader((m) => m.set(16, 'application/nst+cwt')), C, 'typ sent: a format 1 layer (format 2 implies it)', ['FormatVersion1'], 'ERR_UNSUPPORTED_VERSION');
  await signed(withHeader((m) => m.set(32, utf8('cert'))), C, 'an unknown label (32, x5bag)', ['HeaderInvalid'], 'ERR_HEADER_INVALID');
  await signed(withHeader((m) => m.set(4, utf8('kid'))), C, 'kid of 3 bytes', ['HeaderInvalid'], 'ERR_HEADER_INVALID');
  await signed(withHeader((m) => m.set(2, [4])), C, 'crit (label 2)', ['CriticalHeader'], 'ERR_CRIT_UNSUPPORTED');
  await signed(P, C, 'kid in a non-empty unprotected header', ['HeaderInvalid'], 'ERR_HEADER_INVALID', new Map([[4, new Uint8Array(32)]]));

  // The container.
  const cbor = (bytes: Uint8Array, comment: string, flags: string[], expect: Expectation) => g.add({ comment, flags, now: NOW, cborHex: hex(bytes), expect });
  const TAG = [0xda, 0x7b, 0x2d, 0x00, 0x02];
  // [documents, layers]: 0x82 0x80 opens the container and its empty documents section.
  cbor(concat(TAG, [0x82, 0x80, 0x98, 0x01], encode(control)), 'the layer array with a two-byte head', ['NonCanonicalCbor'], { code: 'ERR_NONCANONICAL' });
  cbor(concat(TAG, [0x82, 0x80, 0x9f], encode(control), [0xff]), 'the layer array of indefinite length', ['IndefiniteLength'], { code: 'ERR_NONCANONICAL' });
  cbor(concat(TAG, [0x9f, 0x80, 0x81], encode(control), [0xff]), 'the container array of indefinite length', ['IndefiniteLength'], { code: 'ERR_NONCANONICAL' });
  cbor(concat(TAG, [0x82, 0x98, 0x00, 0x81], encode(control)), 'the documents array with a two-byte head', ['NonCanonicalCbor'], { code: 'ERR_NONCANONICAL' });
  cbor(concat(TAG, [0x82, 0x80, 0x81], bstrHead(control, 4)), 'the layer bytes with a four-byte length head', ['NonCanonicalCbor'], { code: 'ERR_NONCANONICAL' });
  const jws = 'eyJhbGciOiJFZDI1NTE5In0.e30.AA';
  cbor(concat(TAG, [0x82, 0x80, 0x81, 0x7f], encode(jws.slice(0, 10)), encode(jws.slice(10)), [0xff]), 'a JWT layer as an indefinite-length text string', ['IndefiniteLength'], { code: 'ERR_NONCANONICAL' });
  cbor(concat(TAG, [0x82, 0x80, 0x81], encode(control), [0x00]), 'a byte after the container', ['InvalidCbor'], { code: 'ERR_CBOR' });
  cbor(concat([0xda, 0x7b, 0x2d, 0x00, 0x03, 0x82, 0x80, 0x81], encode(control)), 'tag 0x7b2d0003 instead of 0x7b2d0002', ['MalformedStructure'], { oneOf: ['ERR_CBOR', 'ERR_MALFORMED'] });
  cbor(concat([0xda, 0x7b, 0x2d, 0x00, 0x01, 0x81, 0x81], encode(control)), 'a format 1 container (tag 0x7b2d0001)', ['FormatVersion1'], { code: 'ERR_UNSUPPORTED_VERSION' });
  cbor(concat([0xdb, 0, 0, 0, 0, 0x7b, 0x2d, 0x00, 0x02, 0x82, 0x80, 0x81], encode(control)), 'the container tag with an eight-byte head: not detected as CBOR', ['NonCanonicalCbor', 'FormDetection'], { code: 'ERR_MALFORMED' });
  cbor(encode(new Tagged(TAG_NESTOKEN, [[], [control], new Uint8Array(32), 1])), 'four items in the container', ['MalformedStructure'], { code: 'ERR_MALFORMED' });
  cbor(encode(new Tagged(TAG_NESTOKEN, [[control]])), 'the layers without a documents section', ['MalformedStructure'], { code: 'ERR_MALFORMED' });
  cbor(encode(new Tagged(TAG_NESTOKEN, [[], new Map([[0, control]])])), 'layers as a map', ['MalformedStructure'], { code: 'ERR_MALFORMED' });
  cbor(encode(new Tagged(TAG_NESTOKEN, [[], [42]])), 'a layer that is an integer', ['MalformedStructure'], { code: 'ERR_MALFORMED', layer: 0 });
  cbor(encode(new Tagged(TAG_NESTOKEN, [[], control])), 'the layer bytes where the layer array belongs', ['MalformedStructure'], { code: 'ERR_MALFORMED' });
  cbor(encode(new Tagged(TAG_NESTOKEN, [[], [control], 'proof'])), 'an ID chain with a text proof', ['MalformedStructure', 'ProofMissing'], { code: 'ERR_MALFORMED' });
  cbor(encode(new Tagged(TAG_NESTOKEN, [[42], [control]])), 'a document that is an integer', ['MalformedStructure'], { code: 'ERR_MALFORMED' });
}
