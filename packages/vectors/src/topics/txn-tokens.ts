import type { LayerFormat } from '@nestoken/core';
import { ed25519 } from '@noble/curves/ed25519.js';
import { b64u, fromB64u, sha256, utf8 } from '../bytes.js';
import { hops, HOUR, NOW } from '../cast.js';
import { idChain } from '../chains.js';
import type { TokenVectorFile } from '../model.js';
import { addToken, topicContext } from './context.js';

/** The verifier's trust domain, and another one. */
const TRUST_DOMAIN = 'example.org';
const OTHER_DOMAIN = 'other.example';
const TXN = 'txn-8d2f';

/**
 * Chains bound to OAuth Txn-Tokens (spec §12.3), positive and negative. The Txn-Token Service
 * signs Txn-Tokens with an Ed25519 key of the cast (EdDSA JWS, deterministic), written here as
 * exact header and payload text so that hostile forms (a repeated member, alg none) are possible;
 * the chain's root is the TTS and carries `txn` and `tth`.
 */
export async function txnTokenVectors(seed: string): Promise<TokenVectorFile> {
  const { cast, file } = topicContext(seed);
  const tts = 'txn-token-service';
  const ttsKid = cast.kid(tts);
  const ttsSeed = fromB64u(cast.privateJwk(tts).d);
  const jws = (header: string, payload: string, signature?: Uint8Array): string => {
    const input = `${b64u(utf8(header))}.${b64u(utf8(payload))}`;
    return `${input}.${b64u(signature ?? ed25519.sign(utf8(input), ttsSeed))}`;
  };
  const header = (extra = '') => `{"alg":"EdDSA","typ":"txntoken+jwt","kid":"${ttsKid}"${extra}}`;
  const claims = (o: Record<string, unknown> = {}) => JSON.stringify({ iat: NOW - 60, aud: TRUST_DOMAIN, exp: NOW + HOUR, txn: TXN, sub: 'alice', scope: 'trade.stocks', req_wl: cast.identity('gateway'), tctx: { action: 'BUY' }, ...o });
  const txnToken = jws(header(), claims());
  const tth = (t: string) => b64u(sha256(utf8(t)));

  const roles = hops(3);
  const g = file.group({
    comment:
      `Txn-Token binding (spec §12): the root (${cast.identity('idp')}, the Txn-Token Service) binds the chain with txn and tth = b64u(SHA-256(the Txn-Token text)); ` +
      `Txn-Tokens are EdDSA JWS signed by the key in txnTokenKeys; the verifier's trust domain is txnTrustDomain. ` +
      'A verifier checks the Txn-Token (§12.2), then the chain (§7), then the binding (§12.3).',
    keys: cast.publicKeys([...roles, 'stranger']),
    privateKeys: cast.privateKeys(roles),
    trust: cast.trust(roles),
    txnTokenKeys: { keys: [{ ...cast.publicJwk(tts), kid: ttsKid, alg: 'EdDSA' }] },
    txnTrustDomain: TRUST_DOMAIN,
  });
  const options = { audience: cast.kid(roles[3]!) };
  let tag = 0;
  const chain = (formats: readonly LayerFormat[], rootClaims: Record<string, unknown>, hopClaims?: (i: number) => Record<string, unknown>) =>
    idChain(cast, { roles: roles.slice(0, formats.length + 1), formats, tag: `txn${tag++}`, rootClaims, ...(hopClaims ? { hopClaims } : {}) });
  const bound = { txn: TXN, tth: tth(txnToken) };
  const three: LayerFormat[] = ['jwt', 'cbor', 'jwt'];

  // Valid: a bound chain in every mix of formats.
  for (const formats of [['jwt', 'jwt', 'jwt'], ['cbor', 'cbor', 'cbor'], three] as LayerFormat[][]) {
    const built = await chain(formats, bound);
    addToken(g, built.token, { comment: `a chain bound at its root to the Txn-Token presented: ${formats.join(', ')}`, flags: ['ValidChain', 'TxnTokenBound', ...(new Set(formats).size > 1 ? ['MixedFormats'] : [])], options, txnToken, expect: { valid: built.path } });
  }
  const valid = await chain(three, bound);
  const presented = (t: string, comment: string, flags: string[], code: Parameters<typeof g.add>[0]['expect']) => addToken(g, valid.token, { comment, flags, options, txnToken: t, expect: code });

  // The binding (§12.3).
  const other = jws(header(), claims({ txn: 'txn-other' }));
  presented(other, 'a Txn-Token of another transaction swapped in', ['TxnTokenSwapped'], { code: 'ERR_TXN_TOKEN_MISMATCH', layer: 0 });
  presented(jws(header(), claims({ iat: NOW - 59 })), 'a Txn-Token of the same transaction, issued again (other bytes)', ['TxnTokenSwapped'], { code: 'ERR_TXN_TOKEN_MISMATCH', layer: 0 });
  const reserialized = jws(`{"kid":"${ttsKid}","typ":"txntoken+jwt","alg":"EdDSA"}`, claims());
  presented(reserialized, 'the same claims and key, the header members in another order: other bytes, so another tth', ['TxnTokenBytesAltered'], { code: 'ERR_TXN_TOKEN_MISMATCH', layer: 0 });
  presented(` ${txnToken}`, 'the bound Txn-Token with a space in front: refused as a Txn-Token, never trimmed', ['TxnTokenBytesAltered'], { code: 'ERR_TXN_TOKEN_INVALID' });
  const unbound = await chain(three, {});
  addToken(g, unbound.token, { comment: 'a chain whose root carries neither txn nor tth', flags: ['TxnTokenUnbound'], options, txnToken, expect: { code: 'ERR_TXN_TOKEN_MISMATCH', layer: 0 } });
  const late = await chain(three, {}, (i) => (i === 2 ? bound : {}));
  addToken(g, late.token, { comment: 'the binding written on layer 2 only, not on the root', flags: ['TxnTokenUnbound'], options, txnToken, expect: { code: 'ERR_TXN_TOKEN_MISMATCH', layer: 0 } });
  const rebound = await chain(three, bound, (i) => (i === 1 ? { txn: TXN, tth: tth(other) } : {}));
  addToken(g, rebound.token, { comment: 'layer 1, signed by a workload that is not the root, rebinds the chain', flags: ['TxnTokenRebound'], options, txnToken, expect: { code: 'ERR_TXN_TOKEN_MISMATCH', layer: 1 } });
  const otherTxn = await chain(three, bound, (i) => (i === 2 ? { txn: 'txn-other' } : {}));
  addToken(g, otherTxn.token, { comment: 'layer 2 names another transaction', flags: ['TxnMismatch'], options, txnToken, expect: { code: 'ERR_TXN_MISMATCH', layer: 2 } });
  const rootOtherTxn = await chain(three, { txn: 'txn-other', tth: tth(txnToken) });
  addToken(g, rootOtherTxn.token, { comment: 'the root binds the right tth under another txn', flags: ['TxnMismatch'], options, txnToken, expect: { code: 'ERR_TXN_MISMATCH', layer: 0 } });

  // The Txn-Token itself (§12.2), each bound by the root so that only the Txn-Token check decides.
  const boundTo = async (t: string) => chain(three, { txn: TXN, tth: tth(t) });
  const refused = async (t: string, comment: string, flags: string[], code: 'ERR_TXN_TOKEN_INVALID' | 'ERR_TXN_TOKEN_AUDIENCE' | 'ERR_DUPLICATE_KEY') =>
    addToken(g, (await boundTo(t)).token, { comment, flags, options, txnToken: t, expect: { code } });
  await refused(jws(header(), claims({ aud: OTHER_DOMAIN })), 'a Txn-Token for another trust domain', ['TxnTokenAudience'], 'ERR_TXN_TOKEN_AUDIENCE');
  await refused(`${b64u(utf8('{"alg":"none","typ":"txntoken+jwt"}'))}.${b64u(utf8(claims()))}.`, 'a Txn-Token with alg none and no signature', ['TxnTokenForged'], 'ERR_TXN_TOKEN_INVALID');
  await refused(jws(header().replace('"typ":"txntoken+jwt"', '"typ":"JWT"'), claims()), 'a Txn-Token with typ JWT', ['TxnTokenForged'], 'ERR_TXN_TOKEN_INVALID');
  await refused(jws('{"alg":"EdDSA","typ":"txntoken+jwt"}', claims()), 'a Txn-Token without kid', ['TxnTokenForged'], 'ERR_TXN_TOKEN_INVALID');
  await refused(jws(header(',"crit":["urn:example:hint"],"urn:example:hint":1'), claims()), 'a Txn-Token with an unknown critical header', ['TxnTokenForged'], 'ERR_TXN_TOKEN_INVALID');
  await refused(jws(header(), claims().replace('"sub":"alice"', '"sub":"alice","sub":"admin"')), 'a Txn-Token repeating sub', ['TxnTokenForged'], 'ERR_DUPLICATE_KEY');
  await refused(jws(header(), claims({ iat: NOW - 2 * HOUR, exp: NOW - HOUR })), 'an expired Txn-Token', ['TxnTokenForged'], 'ERR_TXN_TOKEN_INVALID');
  await refused(jws(header(), claims({ iat: NOW + 600, exp: NOW + HOUR })), 'a Txn-Token issued ten minutes in the future', ['TxnTokenForged'], 'ERR_TXN_TOKEN_INVALID');
  await refused(jws(header(), claims(), ed25519.sign(utf8('another input'), ttsSeed)), 'a Txn-Token whose signature covers other bytes', ['TxnTokenForged'], 'ERR_TXN_TOKEN_INVALID');

  return file.finish({
    topic: 'txn-tokens',
    algorithm: 'EdDSA',
    header: [
      'Chains bound to OAuth Transaction Tokens (spec §12): txn and tth = b64u(SHA-256(the exact Txn-Token text)) on the root, written by the Txn-Token Service.',
      'Each test presents a Txn-Token beside the chain; the verifier checks it (§12.2), the chain (§7), then the binding (§12.3).',
    ],
  });
}
