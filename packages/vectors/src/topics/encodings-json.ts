import type { ErrorCode } from '@nestoken/core';
import { concat, utf8 } from '../bytes.js';
import type { GroupBuilder } from '../builder.js';
import type { Cast } from '../cast.js';
import type { Expectation } from '../expectation.js';
import { canonicalJson } from '../wire/json.js';
import { signedJws, signedJwsBytes } from '../wire/raw.js';
import { addToken } from './context.js';
import { rootKit } from './root-kit.js';

/** Hand-built JWT layers (spec §4.2, §4.4.2, §4.4.3), each correctly signed so that only its encoding is at fault. */
export async function addJsonCases(g: GroupBuilder, cast: Cast): Promise<void> {
  const kit = rootKit(cast);
  const idp = cast.key('idp');
  const { headerText: H, claimsText: C } = kit;
  const kid = cast.kid('idp');
  const jkt = cast.kid('gateway');
  const iss = cast.identity('idp');
  const one = (jws: string, comment: string, flags: string[], expect: Expectation) =>
    addToken(g, { layers: [{ format: 'jwt', bytes: utf8(jws) }] }, { comment, flags, expect });
  /** The control claims with one more member in its sorted place, its value written as given. */
  const plus = (name: string, valueText: string) => canonicalJson({ ...kit.claims, [name]: '\u0000' }).replace('"\\u0000"', valueText);
  const signed = async (header: string, claims: string, comment: string, flags: string[], code: ErrorCode) =>
    one(await signedJws(header, claims, idp), comment, flags, { code, layer: 0 });

  const control = await signedJws(H, C, idp);
  one(control, 'the hand-built control layer', ['ValidChain'], { valid: kit.path('jwt', utf8(control)) });

  // Canonical JSON: exactly one serialization of each value.
  await signed(`{"kid":"${kid}","alg":"Ed25519"}`, C, 'header members out of order', ['NonCanonicalJson'], 'ERR_NONCANONICAL');
  await signed(H, `{"iss":"${iss}","exp":${kit.exp},"cnf":{"jkt":"${jkt}"},"jti":"kit-0"}`, 'payload members out of order', ['NonCanonicalJson'], 'ERR_NONCANONICAL');
  await signed(H, C.replace(',"exp"', ', "exp"'), 'a space between payload members', ['NonCanonicalJson'], 'ERR_NONCANONICAL');
  await signed(H, `${C}\n`, 'a newline after the payload', ['NonCanonicalJson'], 'ERR_NONCANONICAL');
  await signed(H, C.replace('https://', 'https:\\/\\/'), 'an escaped solidus in iss', ['NonCanonicalJson'], 'ERR_NONCANONICAL');
  await signed(H, C.replace('"kit-0"', '"\\u006bit-0"'), 'a needless \\u escape in jti', ['NonCanonicalJson'], 'ERR_NONCANONICAL');
  await signed(H, C.replace(`"exp":${kit.exp}`, `"exp":${kit.exp}.0`), 'exp written as a decimal fraction', ['NonCanonicalJson'], 'ERR_NONCANONICAL');
  await signed(H, C.replace(`"exp":${kit.exp}`, `"exp":${String(kit.exp / 100)}e2`), 'exp written with an exponent', ['NonCanonicalJson'], 'ERR_NONCANONICAL');
  await signed(H, plus('data', '{"b":1,"a":2}'), 'members of a nested data object out of order', ['NonCanonicalJson'], 'ERR_NONCANONICAL');
  await signed(H, plus('data', '[1,2 ]'), 'white space inside a nested array', ['NonCanonicalJson'], 'ERR_NONCANONICAL');

  await signed(H, C.replace(`"exp":${kit.exp}`, `"exp":${kit.exp * 1000}`), 'exp in milliseconds', ['TimeInMilliseconds'], 'ERR_CLAIMS_INVALID');
  await signed(H, plus('iat', String((kit.exp - 60) * 1000)), 'iat in milliseconds', ['TimeInMilliseconds'], 'ERR_CLAIMS_INVALID');
  await signed(H, plus('status', '{}'), 'a status claim that names no mechanism', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  await signed(H, plus('status', '{"status_list":{"idx":1.5,"uri":"https://idp.example/statuslists/1"}}'), 'a status list index that is not whole', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');

  // Duplicate members.
  await signed(`{"alg":"Ed25519","alg":"Ed25519","kid":"${kid}"}`, C, 'alg twice in the header', ['DuplicateKeyJson'], 'ERR_DUPLICATE_KEY');
  await signed(H, C.replace(`"exp":${kit.exp}`, `"exp":${kit.exp},"exp":${kit.exp + 3600}`), 'exp twice, the second later', ['DuplicateKeyJson'], 'ERR_DUPLICATE_KEY');
  await signed(H, C.replace(`{"jkt":"${jkt}"}`, `{"jkt":"${jkt}","jkt":"${kid}"}`), 'cnf.jkt twice, naming two keys', ['DuplicateKeyJson'], 'ERR_DUPLICATE_KEY');
  await signed(H, plus('data', '{"role":"user","role":"admin"}'), 'a member repeated inside data', ['DuplicateKeyJson'], 'ERR_DUPLICATE_KEY');

  // Not a JSON object, or not text.
  await signed(H, `{"cnf":`, 'a truncated payload object', ['InvalidJson'], 'ERR_JSON');
  await signed(H, '[1]', 'a payload that is an array', ['InvalidJson'], 'ERR_JSON');
  await signed(H, 'null', 'a payload that is null', ['InvalidJson'], 'ERR_JSON');
  await signed('"Ed25519"', C, 'a header that is a string', ['InvalidJson'], 'ERR_JSON');
  await signed(H, `\ufeff${C}`, 'a payload that starts with a byte order mark', ['InvalidJson'], 'ERR_JSON');
  const badUtf8 = concat(utf8(C.slice(0, -1)), utf8(',"sub":"'), [0xc3, 0x28], utf8('"}'));
  one(await signedJwsBytes(utf8(H), badUtf8, idp), 'a payload that is not valid UTF-8', ['InvalidJson'], { code: 'ERR_MALFORMED', layer: 0 });

  // Header and claim rules.
  await signed(`{"alg":"Ed25519","kid":"${kid}","typ":"JWT"}`, C, 'typ JWT instead of nst+jwt', ['HeaderInvalid'], 'ERR_HEADER_INVALID');
  await signed(`{"alg":"Ed25519","kid":"${kid}","typ":"nst+jwt"}`, C, 'typ sent: a format 1 layer (format 2 implies it)', ['FormatVersion1'], 'ERR_UNSUPPORTED_VERSION');
  await signed(`{"alg":"Ed25519","kid":"${kid}","x5u":"https://evil.example"}`, C, 'an unknown header member x5u', ['HeaderInvalid'], 'ERR_HEADER_INVALID');
  await signed(`{"alg":"Ed25519"}`, C, 'a first Ed25519 layer without kid: it extends a layer that is missing', ['RootRemoved'], 'ERR_CHAIN_TRUNCATED');
  await signed(`{"alg":"Ed25519","kid":42}`, C, 'kid as a number', ['HeaderInvalid'], 'ERR_HEADER_INVALID');
  await signed(`{"alg":"Ed25519","kid":"${kid.slice(0, 42)}"}`, C, 'kid of 31 bytes', ['NonCanonicalBase64'], 'ERR_BASE64');
  await signed(`{"alg":"Ed25519","crit":["exp"],"kid":"${kid}"}`, C, 'crit in the header', ['CriticalHeader'], 'ERR_CRIT_UNSUPPORTED');
  await signed(`{"alg":"Ed25519","kid":"${kid}","prv":"${jkt}"}`, C, 'prv sent: it is implied, never sent', ['HeaderInvalid'], 'ERR_HEADER_INVALID');
  const open = canonicalJson({ ...kit.claims, act: { sub: 'spiffe://example.org/gateway' }, scope: 'trade.stocks', tctx: { action: 'BUY' }, txn: 'txn-1', ['__proto__']: 1 });
  const openJws = await signedJws(H, open, idp);
  one(openJws, 'open claims: act, tctx, txn, scope and a claim named __proto__', ['OpenClaims'], { valid: kit.path('jwt', utf8(openJws)) });
  await signed(H, plus('nst_role', '"admin"'), 'a claim under the reserved prefix nst_', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  await signed(H, plus('scope', '["trade"]'), 'scope as an array', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  await signed(H, plus('txn', '""'), 'an empty txn', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  await signed(H, plus('tth', '"AAAA"'), 'tth of 3 bytes', ['NonCanonicalBase64'], 'ERR_BASE64');
  await signed(H, C.replace(`"exp":${kit.exp}`, `"exp":${kit.exp}.5`), 'a fractional exp', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  await signed(H, C.replace(`"exp":${kit.exp}`, '"exp":"tomorrow"'), 'exp as text', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  await signed(H, plus('data', '9007199254740993'), 'an integer beyond 2^53 in data', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  await signed(H, C.replace('"kit-0"', '"\\ud800"'), 'a lone surrogate in jti', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  await signed(H, C.replace(`"iss":"${iss}"`, '"iss":""'), 'an empty iss', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  await signed(H, plus('aud', '[]'), 'an empty aud array', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');
  await signed(H, C.replace(`{"jkt":"${jkt}"}`, `{"jkt":"${jkt}","jwk":{}}`), 'cnf with a member besides jkt', ['ClaimsInvalid'], 'ERR_CLAIMS_INVALID');

  // base64url (spec §4.4.3).
  const [h, p, s] = control.split('.') as [string, string, string];
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const stray = (seg: string) => seg.slice(0, -1) + B64[B64.indexOf(seg[seg.length - 1]!) | 1]!;
  one(`${h}.${p}.${s}==`, 'padding after the signature', ['NonCanonicalBase64'], { code: 'ERR_BASE64', layer: 0 });
  one(`${h}=.${p}.${s}`, 'padding after the header', ['NonCanonicalBase64'], { code: 'ERR_BASE64', layer: 0 });
  one(`${h}.${p}.${stray(s)}`, 'non-zero trailing bits in the last signature character', ['NonCanonicalBase64'], { code: 'ERR_BASE64', layer: 0 });
  one(`${h}.${p}.+${s.slice(1)}`, 'a + (standard base64) in the signature', ['NonCanonicalBase64'], { code: 'ERR_BASE64', layer: 0 });
  one(`${h}.${p}.${s.slice(0, 10)}/${s.slice(11)}`, 'a / (standard base64) in the signature', ['NonCanonicalBase64'], { code: 'ERR_BASE64', layer: 0 });
  one(`${h}.${p}.${s.slice(0, -3)}`, 'a signature two bytes short', ['NonCanonicalBase64'], { oneOf: ['ERR_BASE64', 'ERR_SIGNATURE_INVALID'] });
  one(`${h}.${p}.${s}AA`, 'a signature two bytes too long', ['NonCanonicalBase64'], { oneOf: ['ERR_BASE64', 'ERR_SIGNATURE_INVALID'] });
  one(`${h}.${p}`, 'two parts', ['MalformedStructure'], { code: 'ERR_MALFORMED', layer: 0 });
  one(`${h}.${p}.${s}.${s}`, 'four parts', ['MalformedStructure'], { code: 'ERR_MALFORMED', layer: 0 });
  one(`.${p}.${s}`, 'an empty header part: nothing sent, so a first layer without alg and kid', ['RootRemoved'], { code: 'ERR_CHAIN_TRUNCATED', layer: 0 });
  one(`e30.${p}.${s}`, 'an empty header sent as {}: nothing is sent as an empty part', ['NonCanonicalJson'], { code: 'ERR_NONCANONICAL', layer: 0 });
}
