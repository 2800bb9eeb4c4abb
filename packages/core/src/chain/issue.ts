import { LAYER_ALGORITHMS } from '../crypto/algorithms.js';
import { sha256 } from '../crypto/hash.js';
import { decodeScalar, encodeScalar, secretScalar } from '../crypto/ristretto.js';
import { checkAnonymousClaims, checkClaims, type Claims, type Layer, type LayerClaims, type LayerFormat, type LayerHeader } from '../encoding/layer.js';
import { codecs, decodeToken, encodeTokenBinary, isMinted, mint, type Token } from '../encoding/token.js';
import { checkTokenObject } from '../encoding/token-object.js';
import { encodeX5c } from '../encoding/x5c.js';
import { checkDocument, documentDigest, type IdentityDocument } from '../encoding/documents.js';
import { layerDigest } from '../encoding/implied.js';
import { fail, NestokenError } from '../errors.js';
import { asSigningKey, thumbprintOf, type PublicKey, type SigningKey } from '../keys.js';
import { checkOptions, checks, describedCheck } from '../options.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { sealProof, signAggregateLayer } from '../modes/aggregate.js';
import { signIdLayer } from '../modes/id.js';

/** A token as `extend` and `seal` take it: decoded, or either wire form. */
export type TokenInput = Token | string | Uint8Array;
/** The kind of chain: ID mode, or the anonymous and hybrid aggregate modes. */
export type IssueMode = 'id' | 'anon' | 'hybrid';

interface CommonOptions {
  readonly claims?: Claims;
  /** Encoding of the new layer; default `jwt`. */
  readonly format?: LayerFormat;
  /** Identity document (WIT / JWT-SVID) binding the signer's key to its identity. */
  readonly identityDocument?: string;
  /** The signer's X.509-SVID chain, leaf first, DER: the leaf's key must be the signing key (spec §5.6). */
  readonly x509Chain?: readonly Uint8Array[];
  /** Source of nonce randomness for aggregate layers; default: the platform CSPRNG. Seed it only for test vectors. */
  readonly random?: (length: number) => Uint8Array;
}

/** Options of `issue` for an ID-mode chain: the signer, the next hop's key, the claims. */
export interface IdIssueOptions extends CommonOptions {
  readonly mode?: 'id';
  /** A crate attestation statement (spec §10.4.2), typed so that it never verifies as a token; CBOR only. */
  readonly use?: 'attestation';
  readonly key: SigningKey;
  /** The key of the workload the token is handed to (issuer -> audience binding). */
  readonly audienceKey: PublicKey | SigningKey | string;
}

/** Anonymous and hybrid chains start alike: the issuer's key signs the root link. */
export interface AggregateIssueOptions extends CommonOptions {
  readonly mode: 'anon' | 'hybrid';
  readonly key: SigningKey;
}

/** Options of `issue`: ID mode or an aggregate mode. */
export type IssueOptions = IdIssueOptions | AggregateIssueOptions;

/** Options of `extend`: the new layer's signer, the key it hands the token to, its claims and format. */
export interface ExtendOptions extends CommonOptions {
  /** ID mode: the hop's key (the audience the last layer named). Aggregate: present for an identified (hybrid) hop, absent for an anonymous one. */
  readonly key?: SigningKey;
  /** ID mode only: the next hop's key. */
  readonly audienceKey?: PublicKey | SigningKey | string;
  /** Aggregate only: close the chain after this layer so that nobody can extend it. */
  readonly seal?: boolean;
}

export { layerDigest };

/**
 * A token to work on. Wire input is decoded; a `Token` made by `issue`, `extend` or `seal` is
 * used as it is; any other object is bounded by its lengths, encoded and decoded again, so a
 * hand-made object never reaches the signer with layers that do not match their bytes.
 */
export function asToken(input: TokenInput): Token {
  if (typeof input === 'string' || input instanceof Uint8Array) return decodeToken(input, DEFAULT_LIMITS).token;
  if (isMinted(input)) return input;
  return decodeToken(encodeTokenBinary(checkTokenObject(input, DEFAULT_LIMITS)), DEFAULT_LIMITS).token;
}

const defaultRandom = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n));

/** Nonces are hedged, not derived from this alone, but a short source would still weaken them. */
function randomBytes(source: (n: number) => Uint8Array): Uint8Array {
  let r: unknown;
  try {
    r = source(32);
  } catch (cause) {
    throw new NestokenError('ERR_USAGE', 'random(32) threw', { cause });
  }
  if (!(r instanceof Uint8Array) || r.length !== 32) fail('ERR_USAGE', 'random(32) must return 32 bytes');
  return r;
}

/** The identity document the options name, checked as a receiver would read it. */
function documentOf(options: CommonOptions): IdentityDocument | undefined {
  const { identityDocument: wit, x509Chain } = options;
  if (wit !== undefined && x509Chain !== undefined) fail('ERR_USAGE', 'a layer names one identity document: identityDocument or x509Chain');
  if (x509Chain !== undefined && (!Array.isArray(x509Chain) || !x509Chain.every((c) => c instanceof Uint8Array))) fail('ERR_USAGE', 'x509Chain is an array of DER certificates');
  if (wit !== undefined && (typeof wit !== 'string' || wit === '')) fail('ERR_USAGE', 'identityDocument is a compact JWT');
  if (wit !== undefined) return checkDocument({ wit }, DEFAULT_LIMITS);
  return x509Chain === undefined ? undefined : checkDocument({ x5c: encodeX5c(x509Chain) }, DEFAULT_LIMITS);
}

function header(alg: LayerHeader['alg'], key: SigningKey | undefined, prv: string | undefined, doc: string | undefined, use?: 'attestation'): LayerHeader {
  return { alg, ...(key ? { kid: key.publicKey.kid } : {}), ...(prv ? { prv } : {}), ...(doc ? { doc } : {}), ...(use ? { use } : {}) };
}

/** The token's documents with this layer's added: each document travels once, named by its digest (spec §4.6). */
function withDocument(documents: Token['documents'], document: IdentityDocument | undefined): { documents?: ReadonlyMap<string, IdentityDocument>; doc?: string } {
  if (!document) return documents && documents.size > 0 ? { documents } : {};
  const doc = documentDigest(document);
  const all = new Map(documents ?? []);
  all.set(doc, document);
  return { documents: all, doc };
}

function claimsWith(claims: Claims | undefined, audienceKey: IdIssueOptions['audienceKey'] | undefined): LayerClaims {
  if (claims && 'cnf' in claims) fail('ERR_USAGE', 'cnf is set from audienceKey');
  return checkClaims({ ...claims, ...(audienceKey !== undefined ? { cnf: { jkt: thumbprintOf(audienceKey) } } : {}) }, DEFAULT_LIMITS);
}

function requireKey(key: SigningKey | undefined): SigningKey {
  if (key === undefined) fail('ERR_USAGE', 'a signing key is required');
  return asSigningKey(key);
}

const KEY_OR_THUMBPRINT = describedCheck('a key or its thumbprint', (v) => typeof v === 'string' || (typeof v === 'object' && v !== null));
const SIGNING_KEY = describedCheck('a SigningKey', (v) => typeof v === 'object' && v !== null);
const COMMON_OPTIONS = {
  claims: checks.object,
  format: checks.oneOf('jwt', 'cbor'),
  identityDocument: describedCheck('a compact JWT', (v) => typeof v === 'string' && v !== '' && v.length <= DEFAULT_LIMITS.maxStringLength),
  x509Chain: checks.listOf(checks.bytes),
  random: checks.function,
  key: SIGNING_KEY,
};
const ISSUE_OPTIONS = { ...COMMON_OPTIONS, mode: checks.oneOf('id', 'anon', 'hybrid'), use: checks.oneOf('attestation'), audienceKey: KEY_OR_THUMBPRINT };
const EXTEND_OPTIONS = { ...COMMON_OPTIONS, audienceKey: KEY_OR_THUMBPRINT, seal: checks.boolean };

/**
 * The caller's claims, read once: a getter or proxy cannot answer the checks one thing and the
 * signer another, and one that throws is the caller's mistake (`ERR_USAGE`).
 */
function ownClaims<T extends CommonOptions>(options: T): T {
  if (options.claims === undefined) return options;
  try {
    return { ...options, claims: structuredClone(options.claims) };
  } catch (cause) {
    throw new NestokenError('ERR_USAGE', 'claims must be plain data (the I-JSON model of spec §3.3)', { cause });
  }
}

/** The aggregate modes work in ristretto255 with Ed25519 keys (spec §6.1): an ES256 key cannot sign a link. */
function aggregateKey(key: SigningKey): SigningKey {
  const needed = LAYER_ALGORITHMS['nst-r255'].key;
  if (key.publicKey.alg !== needed) fail('ERR_ALG_KEY_MISMATCH', `an aggregate link is signed with an ${needed} key, not ${key.publicKey.alg}`);
  return key;
}

async function idLayer(options: CommonOptions & { key?: SigningKey; audienceKey?: IdIssueOptions['audienceKey'] }, doc: string | undefined, previous?: Layer): Promise<Layer> {
  const key = requireKey(options.key);
  if (options.audienceKey === undefined) fail('ERR_USAGE', 'ID mode names the next key: audienceKey is required');
  const use = previous === undefined ? (options as IdIssueOptions).use : undefined;
  if (use !== undefined && (use !== 'attestation' || options.format !== 'cbor')) fail('ERR_USAGE', 'an attestation statement is a CBOR root layer');
  const prv = previous === undefined ? undefined : layerDigest(previous.bytes);
  const h = header(key.publicKey.alg, key, prv, doc, use);
  return signIdLayer(codecs[options.format ?? 'jwt'], key, h, claimsWith(options.claims, options.audienceKey), previous?.header.alg);
}

/** Signs the root layer of a chain. The root bounds the lifetime of everything built on it, so it must carry exp. */
export async function issue(input: IssueOptions): Promise<Token> {
  const options = ownClaims(checkOptions<IssueOptions>(input, 'issue', ISSUE_OPTIONS));
  if (options.claims?.exp === undefined) fail('ERR_USAGE', 'the root layer must carry exp');
  const { documents, doc } = withDocument(undefined, documentOf(options));
  const held = documents ? { documents } : {};
  if (options.mode === undefined || options.mode === 'id') return mint({ layers: [await idLayer(options, doc)], ...held });
  if ((options as { audienceKey?: unknown }).audienceKey !== undefined) fail('ERR_USAGE', 'aggregate chains need no audience key');
  if ((options as { use?: unknown }).use !== undefined) fail('ERR_USAGE', 'an attestation statement is an ID-mode layer');
  const key = aggregateKey(requireKey(options.key));
  const random = options.random ?? defaultRandom;
  const h = header('nst-r255', key, undefined, doc);
  const link = signAggregateLayer(codecs[options.format ?? 'jwt'], h, claimsWith(options.claims, undefined), { own: secretScalar(key) }, randomBytes(random));
  return mint({ layers: [link.layer], proof: encodeScalar(link.scalar), ...held });
}

/**
 * Wraps a received token in one more layer. In ID mode the signer must be the audience the
 * last layer named: anyone else could not produce a chain that verifies, so we refuse early.
 * In the aggregate modes the token's scalar is the secret; a key makes the hop identified.
 */
export async function extend(input: TokenInput, given: ExtendOptions): Promise<Token> {
  const options = ownClaims(checkOptions<ExtendOptions>(given, 'extend', EXTEND_OPTIONS));
  const token = asToken(input);
  const last = token.layers[token.layers.length - 1];
  if (!last) return fail('ERR_CHAIN_TRUNCATED', 'nothing to extend');
  const prv = layerDigest(last.bytes);
  const { documents, doc } = withDocument(token.documents, documentOf(options));
  const held = documents ? { documents } : {};
  const exp = options.claims?.exp;
  if (exp !== undefined && token.layers.some((l) => l.claims.exp !== undefined && exp > l.claims.exp)) {
    fail('ERR_LIFETIME_WIDENED', 'a layer may narrow the lifetime it received, never widen it');
  }
  if (LAYER_ALGORITHMS[last.header.alg].mode === 'id') {
    if (options.seal) fail('ERR_USAGE', 'only aggregate chains are sealed');
    if (last.claims.cnf?.jkt !== requireKey(options.key).publicKey.kid) {
      fail('ERR_KEY_BINDING', 'the last layer names another key as its audience', token.layers.length - 1);
    }
    return mint({ layers: [...token.layers, await idLayer(options, doc, last)], ...held });
  }
  if (options.audienceKey !== undefined) fail('ERR_USAGE', 'aggregate chains need no audience key');
  if (!token.proof) return fail('ERR_MALFORMED', 'an aggregate token carries its scalar');
  if (token.proof.length !== 32) fail('ERR_SEALED', 'the chain is sealed');
  const previous = decodeScalar(token.proof, 'the chain scalar');
  const random = options.random ?? defaultRandom;
  const secrets = options.key ? { previous, own: secretScalar(aggregateKey(requireKey(options.key))) } : { previous };
  // Refused here with the code verify would give, so a builder never makes what verify refuses.
  if (!options.key && options.claims) checkAnonymousClaims(options.claims);
  const h = header('nst-r255', options.key, prv, doc);
  const link = signAggregateLayer(codecs[options.format ?? 'jwt'], h, claimsWith(options.claims, undefined), secrets, randomBytes(random), last.header.alg);
  const layers = [...token.layers, link.layer];
  const proof = options.seal ? sealProof(link.scalar, sha256(link.layer.bytes), randomBytes(random)) : encodeScalar(link.scalar);
  return mint({ layers, proof, ...held });
}

/** Closes an aggregate chain as it is: the scalar is replaced by a proof of knowledge of it. */
export function seal(input: TokenInput, random: (length: number) => Uint8Array = defaultRandom): Token {
  if (typeof random !== 'function') fail('ERR_USAGE', 'seal: random is a function giving random bytes');
  const token = asToken(input);
  const last = token.layers[token.layers.length - 1];
  if (!last || last.header.alg !== 'nst-r255' || !token.proof) return fail('ERR_USAGE', 'only aggregate chains are sealed');
  if (token.proof.length !== 32) fail('ERR_SEALED', 'the chain is already sealed');
  return mint({ ...token, proof: sealProof(decodeScalar(token.proof, 'the chain scalar'), sha256(last.bytes), randomBytes(random)) });
}

