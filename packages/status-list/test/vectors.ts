import { CompactSign, importJWK, type JWK } from 'jose';
import { b64u, encodeToken, exportPrivateJwk, exportPublicJwk, extend, issue, loadBundleMap, loadSignerJwks, mergeTrustBundles, signingKeyFromSeed, type ErrorCode, type SigningKey, type TrustBundle } from '@nestoken/core';
import { deflateSync, zlibSync } from 'fflate';
import { fflateZlib, StatusList, signStatusListCwt, signStatusListJwt, useZlibBackend, type StatusListLimits } from '../src/index.node.js';
import { draftFile, draftHexToken, draftJwt } from './draft.js';

/**
 * Status list vectors (spec §13) for other implementations: Status List Tokens with their
 * lookups or their error, and chains whose layers reference a list with the verdict. Every
 * signature is Ed25519 over fixed keys and claims, so the file is reproducible byte for byte;
 * list bytes are compressed with fflate (pinned by the lock file; what the bytes are does not
 * matter to a reader, only what they inflate to).
 */
export const VECTOR_FILE = 'test-vectors/status-lists/status-lists.json';

const NOW = 1_800_000_000;
const URI = 'https://status.example/lists/1';
const key = (label: string): SigningKey => {
  const seed = new Uint8Array(32);
  seed.set(new TextEncoder().encode(label).subarray(0, 32));
  return signingKeyFromSeed(seed);
};
const lister = key('nestoken status list vectors');
const stranger = key('nestoken status list stranger');
const hops = [0, 1, 2, 3].map((i) => key(`nestoken status list hop ${i}`));
const identity = (i: number) => (i === 0 ? 'https://idp.example' : `spiffe://example.org/w${i}`);
const draftKey = JSON.parse(draftFile('example-key.public.jwk')) as Record<string, unknown>;

/** The verifier's trust, one loader per kind of file (spec §5.1): the signers, and the draft's key (kid 12) in the SPIFFE bundle of example.com. */
export const trustJwks = {
  signers: {
    keys: [exportPublicJwk(lister, { sub: 'https://status.example' }), ...hops.map((k, i) => exportPublicJwk(k, { sub: identity(i) }))],
  },
  spiffeBundles: { 'example.com': { keys: [{ ...draftKey, use: 'jwt-svid' }] } },
};

/** Reads `trustJwks` (or the `trust` of the vector file) with the loaders of core. */
export function loadStatusTrust(t: { signers: object; spiffeBundles: Record<string, object> }): TrustBundle {
  return mergeTrustBundles(loadSignerJwks(t.signers, { trustDomainFromSub: true }), loadBundleMap(t.spiffeBundles));
}

type Expect = { readonly lookups: ReadonlyArray<{ idx: number; status?: number; code?: ErrorCode }> } | { readonly code: ErrorCode };
interface ListCase {
  readonly tcId: number;
  readonly comment: string;
  readonly jwt?: string;
  readonly cwtHex?: string;
  readonly uri: string;
  readonly now: number;
  readonly limits?: Partial<StatusListLimits>;
  readonly expect: Expect;
}
interface ChainCase {
  readonly tcId: number;
  readonly comment: string;
  readonly token: string;
  /** Thumbprint of the verifier's key (the last layer's cnf.jkt). */
  readonly audience: string;
  readonly now: number;
  /** The Status List Token served at each URI (JWT text), as a status list source would fetch it. */
  readonly lists: Record<string, string>;
  readonly expect: { readonly valid: true } | { readonly code: ErrorCode; readonly layer: number };
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function list(values: Record<number, number>, bits = 2, size = 64): StatusList {
  const l = StatusList.create(bits, size);
  for (const [i, v] of Object.entries(values)) l.set(Number(i), v);
  return l;
}

/** A JWT signed by `signer` over exactly this header and payload text: for cases the API refuses to make. */
async function rawJwt(header: object, payload: string, signer = lister): Promise<string> {
  const k = await importJWK(exportPrivateJwk(signer) as JWK, 'EdDSA');
  return new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader(header as never).sign(k);
}
const header = (extra: object = {}) => ({ alg: 'EdDSA', typ: 'statuslist+jwt', kid: lister.publicKey.kid, ...extra });
const payload = (statusList: object, extra: object = {}) => JSON.stringify({ sub: URI, iat: NOW, ttl: 300, status_list: statusList, ...extra });

export async function generateStatusListVectors(): Promise<object> {
  useZlibBackend(fflateZlib);
  const base = list({ 1: 1, 2: 2, 3: 3, 4: 0, 63: 1 });
  const init = { list: base, uri: URI, key: lister, iat: NOW, exp: NOW + 86400, ttl: 300, level: 9 };
  const jwt = await signStatusListJwt(init);
  const cwt = await signStatusListCwt(init);
  const lookups = [
    { idx: 0, status: 0 },
    { idx: 1, status: 1 },
    { idx: 2, status: 2 },
    { idx: 3, status: 3 },
    { idx: 63, status: 1 },
    { idx: 64, code: 'ERR_STATUS_INDEX' as const },
  ];
  const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
  const flipByte = (b: Uint8Array, at: number) => Uint8Array.from(b, (x, i) => (i === at ? x ^ 1 : x));
  const lst = (bytes: Uint8Array) => b64u(zlibSync(bytes, { level: 9 }));
  const lists: ListCase[] = [];
  const add = (c: Omit<ListCase, 'tcId' | 'uri' | 'now'> & { uri?: string; now?: number }) => lists.push({ tcId: lists.length + 1, uri: c.uri ?? URI, now: c.now ?? NOW + 10, ...c });

  add({ comment: '2-bit list as JWT: VALID, INVALID, SUSPENDED, an application value, the last entry, one past the end', jwt, expect: { lookups } });
  add({ comment: 'the same list as CWT', cwtHex: hex(cwt), expect: { lookups } });
  for (const bits of [1, 4, 8]) {
    const l = list({ 0: 1, 5: (1 << bits) - 1 }, bits, 16);
    add({ comment: `${bits}-bit list as JWT`, jwt: await signStatusListJwt({ ...init, list: l }), expect: { lookups: [{ idx: 0, status: 1 }, { idx: 1, status: 0 }, { idx: 5, status: (1 << bits) - 1 }, { idx: l.size, code: 'ERR_STATUS_INDEX' }] } });
  }
  add({ comment: "the draft's Status List Token (JWT, ES256, kid 12), trusted as an authority", jwt: draftJwt(), uri: 'https://example.com/statuslists/1', now: 1686920170 + 10, expect: { lookups: [{ idx: 0, status: 1 }, { idx: 1, status: 0 }, { idx: 15, status: 1 }, { idx: 16, code: 'ERR_STATUS_INDEX' }] } });
  add({ comment: "the draft's Status List Token (CWT, ES256, kid 12 unprotected, claims not in deterministic order)", cwtHex: hex(draftHexToken('status_list_cwt.md')), uri: 'https://example.com/statuslists/1', now: 1686920170 + 10, expect: { lookups: [{ idx: 0, status: 1 }, { idx: 2, status: 0 }] } });
  add({ comment: 'a changed character in the JWT payload', jwt: flip(jwt, jwt.indexOf('.') + 5), expect: { code: 'ERR_STATUS_TOKEN' } });
  add({ comment: 'a changed byte in the CWT signature', cwtHex: hex(flipByte(cwt, cwt.length - 3)), expect: { code: 'ERR_STATUS_TOKEN' } });
  add({ comment: 'a changed byte in the CWT payload', cwtHex: hex(flipByte(cwt, cwt.length - 80)), expect: { code: 'ERR_STATUS_TOKEN' } });
  add({ comment: 'asked for another list: sub is not the URI', jwt, uri: 'https://status.example/lists/2', expect: { code: 'ERR_STATUS_TOKEN' } });
  add({ comment: 'expired: now is exp + 60 (skew)', jwt, now: NOW + 86400 + 60, expect: { code: 'ERR_STATUS_TOKEN' } });
  add({ comment: 'issued in the future: iat beyond now + 60', jwt, now: NOW - 61, expect: { code: 'ERR_STATUS_TOKEN' } });
  add({ comment: 'signed by a key outside the trust bundle', jwt: await signStatusListJwt({ ...init, key: stranger }), expect: { code: 'ERR_STATUS_TOKEN' } });
  add({ comment: 'typ JWT instead of statuslist+jwt', jwt: await rawJwt(header({ typ: 'JWT' }), payload(base.toJson())), expect: { code: 'ERR_STATUS_TOKEN' } });
  add({ comment: 'a critical header parameter', jwt: await new CompactSign(new TextEncoder().encode(payload(base.toJson()))).setProtectedHeader(header({ crit: ['x'], x: 1 }) as never).sign(await importJWK(exportPrivateJwk(lister) as JWK, 'EdDSA'), { crit: { x: true } }), expect: { code: 'ERR_STATUS_TOKEN' } });
  add({ comment: 'no iat', jwt: await rawJwt(header(), JSON.stringify({ sub: URI, status_list: base.toJson() })), expect: { code: 'ERR_STATUS_TOKEN' } });
  add({ comment: 'ttl of zero', jwt: await rawJwt(header(), payload(base.toJson(), { ttl: 0 })), expect: { code: 'ERR_STATUS_TOKEN' } });
  add({ comment: 'sub repeated in the payload', jwt: await rawJwt(header(), payload(base.toJson()).replace('{', `{"sub":"${URI}",`)), expect: { code: 'ERR_DUPLICATE_KEY' } });
  add({ comment: 'bits 3', jwt: await rawJwt(header(), payload({ bits: 3, lst: lst(base.bytes) })), expect: { code: 'ERR_STATUS_LIST' } });
  add({ comment: 'lst is raw DEFLATE without the ZLIB wrapper', jwt: await rawJwt(header(), payload({ bits: 2, lst: b64u(deflateSync(base.bytes, { level: 9 })) })), expect: { code: 'ERR_STATUS_LIST' } });
  add({ comment: 'lst is padded base64url', jwt: await rawJwt(header(), payload({ bits: 2, lst: `${lst(base.bytes)}==` })), expect: { code: 'ERR_STATUS_LIST' } });
  add({ comment: 'a ZLIB bomb: 1 MiB of zeros inflating past maxListBytes 65536', jwt: await rawJwt(header(), payload({ bits: 1, lst: lst(new Uint8Array(1024 * 1024)) })), limits: { maxListBytes: 65536 }, expect: { code: 'ERR_STATUS_LIST' } });
  add({ comment: 'a token above maxTokenBytes 256', jwt, limits: { maxTokenBytes: 256 }, expect: { code: 'ERR_INPUT_TOO_LARGE' } });

  // Chains: every layer names its entry of one list; the verdict of verify with a status list source.
  const chains: ChainCase[] = [];
  const listCount = lists.length;
  const serving = async (values: Record<number, number>) => ({ [URI]: await signStatusListJwt({ ...init, list: list(values) }) });
  let t = await issue({ key: hops[0]!, audienceKey: hops[1]!.publicKey, format: 'cbor', claims: { iss: identity(0), exp: NOW + 3600, status: { status_list: { idx: 10, uri: URI } } } });
  t = await extend(t, { key: hops[1]!, audienceKey: hops[2]!.publicKey, format: 'jwt', claims: { iss: identity(1), status: { status_list: { idx: 11, uri: URI } } } });
  t = await extend(t, { key: hops[2]!, audienceKey: hops[3]!.publicKey, format: 'cbor', claims: { iss: identity(2), status: { status_list: { idx: 12, uri: URI } } } });
  const chain = (comment: string, served: Record<string, string>, expect: ChainCase['expect']) =>
    chains.push({ tcId: listCount + chains.length + 1, comment, token: encodeToken(t, 'jwt') as string, audience: hops[3]!.publicKey.kid, now: NOW + 10, lists: served, expect });
  chain('every layer VALID', await serving({}), { valid: true });
  chain('the middle layer INVALID', await serving({ 11: 1 }), { code: 'ERR_STATUS_INVALID', layer: 1 });
  chain('the middle layer SUSPENDED', await serving({ 11: 2 }), { code: 'ERR_STATUS_SUSPENDED', layer: 1 });
  chain('the root INVALID and the last layer SUSPENDED: the first decides', await serving({ 10: 1, 12: 2 }), { code: 'ERR_STATUS_INVALID', layer: 0 });
  chain('the last layer has an application value (3) the verifier does not accept', await serving({ 12: 3 }), { code: 'ERR_STATUS_REFUSED', layer: 2 });
  chain('the list served cannot be had: fail closed', {}, { code: 'ERR_STATUS_UNAVAILABLE', layer: 0 });
  chain('the list served is signed by a stranger', { [URI]: await signStatusListJwt({ ...init, key: stranger }) }, { code: 'ERR_STATUS_TOKEN', layer: 0 });

  return {
    schema: 'nestoken-status-list-vectors/1',
    algorithm: 'Ed25519 (nestoken lists), ES256 (the draft examples)',
    header: [
      'Status lists (spec §13). lists: verify the Status List Token (jwt text or cwtHex bytes) against trust with uri as the expected sub, now as the time, clockSkew 60 and the limits of §13.1 overridden by limits; then do each lookup, or expect the code.',
      'chains: verify the nestoken (JWT form) with audience, now and a status list source that fetches lists[uri] (a URI not listed cannot be fetched); expect valid, or the code at the layer.',
    ],
    trust: trustJwks,
    lists,
    chains,
  };
}

export type { ListCase, ChainCase };
