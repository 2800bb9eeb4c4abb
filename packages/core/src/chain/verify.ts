import { LAYER_ALGORITHMS, LAYER_ALGS } from '../crypto/algorithms.js';
import { sha256 } from '../crypto/hash.js';
import { checkAnonymousClaims, type Claims, type Layer, type LayerAlg, type LayerFormat } from '../encoding/layer.js';
import { codecs, decodeToken, encodeTokenBinary, type Token, type TokenForm } from '../encoding/token.js';
import { atLayer, fail, NestokenError } from '../errors.js';
import type { PublicKey } from '../keys.js';
import { idLayerSignaturesValid, idSignatureValid } from '../modes/id.js';
import { aggregateValid, decodeProof, reencodedLink } from '../modes/aggregate.js';
import { heldDocument, holdDocument } from '../trust/held-documents.js';
import { layerDigest } from '../encoding/implied.js';
import { verifyIdentityDocument } from '../trust/wit.js';
import { x509SvidSigner } from '../trust/x509-svid.js';
import type { TrustBundle } from '../trust/bundle.js';
import { effectiveLifetime, REVOCATION_CODES, type RevocationCheck } from './policy.js';
import type { TokenInput } from './issue.js';
import { checkPathPolicy } from './path-policy.js';
import { withinTimeout } from './hooks.js';
import { resolveVerifyOptions, type ChainMode, type ResolvedVerifyOptions, type VerifyOptions } from './verify-options.js';
import { checkTokenObject } from '../encoding/token-object.js';
import { withDocumentBeside } from './document-beside.js';

export type { ChainMode, VerifyOptions } from './verify-options.js';

/** One hop of a verified chain, as the verifier proved it. */
export interface ProvenHop {
  readonly index: number;
  /** The proven workload identity; `anonymous` for an anonymous link. */
  readonly identity: string;
  readonly anonymous: boolean;
  readonly keyThumbprint?: string;
  /** How the key was accepted: a bundle signer, a WIT / JWT-SVID (`wit`), an X.509-SVID chain (`x5c`), or not at all. */
  readonly via: 'trust-bundle' | 'identity-document' | 'x509-svid' | 'anonymous';
  readonly format: LayerFormat;
  /** base64url SHA-256 of the layer's bytes: a stable name for this hop of this chain. */
  readonly digest: string;
  readonly claims: Claims;
  /** The key this hop handed the token to (ID mode). */
  readonly audienceKey?: string;
}

/** What `verify` returns: the proven chain, root first. */
export interface ProvenPath {
  readonly mode: ChainMode;
  readonly form: TokenForm;
  /** The identity that started the chain. */
  readonly issuer: string;
  /** Innermost (root) first. */
  readonly hops: readonly ProvenHop[];
  readonly notBefore?: number;
  readonly expiresAt: number;
  readonly sealed: boolean;
}

interface Signer {
  readonly identity: string;
  readonly key: PublicKey;
  readonly via: 'trust-bundle' | 'identity-document' | 'x509-svid';
}

const otherCodec = (f: LayerFormat) => codecs[f === 'jwt' ? 'cbor' : 'jwt'];

/** A direct signer of the bundle, found without a promise: the common case, once per layer. */
function trustedSigner(layer: Layer, trust: TrustBundle): Signer | undefined {
  const trusted = trust.signers.get(layer.header.kid!);
  return trusted && { identity: trusted.identity, key: trusted.key, via: 'trust-bundle' };
}

/**
 * The layer's key comes from a bundle signer, else from the identity document its `doc` names:
 * sent in the token, or held by this verifier from an earlier token (spec §4.6, §7.4).
 */
async function resolveSigner(layer: Layer, documents: Token['documents'], trust: TrustBundle, at: { now: number; clockSkew: number }): Promise<Signer> {
  const kid = layer.header.kid!;
  const trusted = trust.signers.get(kid);
  if (trusted) return { identity: trusted.identity, key: trusted.key, via: 'trust-bundle' };
  const digest = layer.header.doc;
  if (digest === undefined) fail('ERR_KEY_UNTRUSTED', 'the signing key is neither in the trust bundle nor vouched for by an identity document or X.509-SVID');
  const document = documents?.get(digest) ?? heldDocument(trust, digest);
  if (document === undefined) fail('ERR_DOCUMENT_MISSING', `identity document ${digest} is neither in the token nor held by this verifier`);
  const signer = 'wit' in document ? await witSigner(layer, document.wit, trust, at) : await x509Signer(kid, document.x5c, trust, at);
  holdDocument(trust, digest, document);
  return signer;
}

async function x509Signer(kid: string, x5c: readonly string[], trust: TrustBundle, at: { now: number; clockSkew: number }): Promise<Signer> {
  const svid = await x509SvidSigner(x5c, trust, at);
  if (svid.key.kid !== kid) fail('ERR_IDENTITY_DOCUMENT', 'the leaf certificate binds a different key');
  return { identity: svid.identity, key: svid.key, via: 'x509-svid' };
}

async function witSigner(layer: Layer, wit: string, trust: TrustBundle, at: { now: number; clockSkew: number }): Promise<Signer> {
  const doc = await verifyIdentityDocument(wit, trust, at);
  // The WIT says which algorithm proves possession of its key; a layer of another algorithm is not that proof.
  const needed = LAYER_ALGORITHMS[layer.header.alg].key;
  if (doc.confirmation.alg !== needed) fail('ERR_ALG_NOT_ALLOWED', `the identity document requires ${doc.confirmation.alg} proofs, and this layer is ${layer.header.alg}`);
  if (!doc.key || doc.key.kid !== layer.header.kid) fail('ERR_IDENTITY_DOCUMENT', 'the identity document binds a different key');
  return { identity: doc.identity, key: doc.key, via: 'identity-document' };
}

type Signers = ReadonlyArray<Signer | undefined>;

/** §7.4: who may start a chain. Unless the verifier names issuers, only a direct signer of its bundle. */
function checkIssuer(signer: Signer, issuers: readonly string[] | undefined, allowVouched: boolean): void {
  if (issuers !== undefined) {
    if (!issuers.includes(signer.identity)) fail('ERR_KEY_UNTRUSTED', `${signer.identity} is not accepted as a chain issuer`);
  } else if (signer.via !== 'trust-bundle' && !allowVouched) {
    fail('ERR_KEY_UNTRUSTED', `${signer.identity} is vouched for by an identity document, not a direct signer of the bundle: only a listed issuer may start a chain`);
  }
}

/** §7.4: who signed each layer, and is that the key the layer before handed it to. */
async function resolveSigners(token: Token, aggregate: boolean, options: ResolvedVerifyOptions, at: { now: number; clockSkew: number }): Promise<Signers> {
  const layers = token.layers;
  const signers: Array<Signer | undefined> = [];
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    try {
      if (aggregate && layer.claims.cnf !== undefined) {
        fail('ERR_CLAIMS_INVALID', 'an aggregate layer binds no audience key: any holder of the scalar can extend it');
      }
      if (!aggregate) {
        if (layer.claims.cnf === undefined) fail('ERR_CLAIMS_INVALID', 'an ID-mode layer names the next key in cnf.jkt');
        if (i > 0 && layer.header.kid !== layers[i - 1]!.claims.cnf!.jkt) fail('ERR_KEY_BINDING', `layer ${i} is not signed by the key layer ${i - 1} handed the token to`);
      }
      if (layer.header.kid === undefined) {
        if (i === 0) fail('ERR_HEADER_INVALID', 'the root layer names the issuer key');
        checkAnonymousClaims(layer.claims);
        signers.push(undefined);
        continue;
      }
      const signer = trustedSigner(layer, options.trust) ?? (await resolveSigner(layer, token.documents, options.trust, at));
      // The thumbprint names one key of one type; a layer's alg must be that type's (spec §7.4).
      const keyAlg = LAYER_ALGORITHMS[layer.header.alg].key;
      if (signer.key.alg !== keyAlg) fail('ERR_ALG_KEY_MISMATCH', `a ${layer.header.alg} layer is signed with an ${keyAlg} key, and ${signer.identity}'s key is ${signer.key.alg}`);
      if (layer.claims.iss !== undefined && layer.claims.iss !== signer.identity) {
        fail('ERR_ISSUER_MISMATCH', `layer says iss ${layer.claims.iss} but its key belongs to ${signer.identity}`);
      }
      if (i === 0) checkIssuer(signer, options.issuers, options.allowVouchedIssuer === true);
      signers.push(signer);
    } catch (e) {
      throw atLayer(e, i);
    }
  }
  return signers;
}

/**
 * §7.5 in ID mode: every layer's own signature over the header it sent and the members it
 * implies. All are checked (together), then the verdicts are read in layer order: the first
 * that fails names the fault. Verifying in its other format means it was re-encoded (§4.5);
 * otherwise it is a bad signature, or a layer that does not extend the one before it, which
 * its implied `prv` and `kid` make the same thing.
 */
async function checkIdSignatures(layers: readonly Layer[], signers: Signers, digests: readonly string[]): Promise<void> {
  const valid = await idLayerSignaturesValid(layers, layers.map((_, i) => signers[i]!.key), digests);
  for (let i = 0; i < layers.length; i++) {
    if (valid[i]) continue;
    const layer = layers[i]!;
    const key = signers[i]!.key;
    const other = otherCodec(layer.format);
    if (await idSignatureValid(layer, key, other.signingInput(layer.header, layer.claims, layers[i - 1]?.header.alg))) {
      fail('ERR_FORMAT_CHANGED', `layer ${i} was signed as ${other.name} and re-encoded`, i);
    }
    fail('ERR_SIGNATURE_INVALID', `layer ${i} has a bad signature or does not extend layer ${i - 1}`, i);
  }
}

/**
 * The signing inputs that change if the layers in `reencoded` were signed in their other
 * format (§4.5): each one's own, and the next layer's, whose implied prv then names the other
 * bytes. Keyed by layer index.
 */
function reencodingOf(layers: readonly Layer[], reencoded: ReadonlySet<number>): { inputs: ReadonlyMap<number, Uint8Array>; lastBytes?: Uint8Array } {
  const inputs = new Map<number, Uint8Array>();
  let previousBytes: Uint8Array | undefined;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    const previousAlg = layers[i - 1]?.header.alg;
    const signedAs = reencoded.has(i) ? otherCodec(layer.format) : codecs[layer.format];
    const header = previousBytes === undefined ? layer.header : { ...layer.header, prv: layerDigest(previousBytes) };
    if (reencoded.has(i) || previousBytes !== undefined) inputs.set(i, signedAs.signingInput(header, layer.claims, previousAlg));
    previousBytes = reencoded.has(i) ? signedAs.encode(layer.header, layer.claims, layer.signature, previousAlg).bytes : undefined;
  }
  return previousBytes === undefined ? { inputs } : { inputs, lastBytes: previousBytes };
}

/**
 * The re-encodings a verifier looks for when the aggregate equation fails (§4.5), in order:
 * each single layer, then every layer, every JWT layer, every CBOR layer (a middlebox that
 * converts a whole token). Each is named by its first layer.
 */
function reencodingCandidates(layers: readonly Layer[]): Array<{ readonly at: number; readonly inputs: ReadonlyMap<number, Uint8Array>; readonly lastBytes?: Uint8Array }> {
  const sets: number[][] = layers.map((_, j) => [j]);
  const all = layers.map((_, i) => i);
  sets.push(all, all.filter((i) => layers[i]!.format === 'jwt'), all.filter((i) => layers[i]!.format === 'cbor'));
  return sets.filter((s) => s.length > 0).map((s) => ({ at: s[0]!, ...reencodingOf(layers, new Set(s)) }));
}

/** §7.5 in the aggregate modes: the whole chain in one equation. Returns whether it is sealed. */
function checkAggregate(token: Token, signers: Signers, options: ResolvedVerifyOptions): boolean {
  const layers = token.layers;
  const last = layers[layers.length - 1]!;
  const proof = decodeProof(token.proof!, sha256(last.bytes));
  const links = layers.map((layer, i) => ({ layer, key: signers[i]?.key }));
  const verifier = options.aggregateVerifier;
  if (!aggregateValid(links, proof, verifier)) {
    const candidates = reencodingCandidates(layers);
    // A seal binds the last layer's bytes as prv binds the others': where the last layer is re-encoded, it is checked against the bytes it was signed as (spec §4.5).
    const proofs = candidates.map((c) => (proof.sealed && c.lastBytes ? decodeProof(token.proof!, sha256(c.lastBytes)) : proof));
    const found = reencodedLink(links, proofs, candidates.map((c) => c.inputs));
    if (found >= 0) {
      const j = candidates[found]!.at;
      fail('ERR_FORMAT_CHANGED', `layer ${j} was signed as ${otherCodec(layers[j]!.format).name} and re-encoded`, j);
    }
    fail('ERR_SIGNATURE_INVALID', 'the aggregate signature does not verify');
  }
  if (options.requireSealed && !proof.sealed) fail('ERR_NOT_SEALED', 'this verifier accepts only sealed chains');
  return proof.sealed;
}

/**
 * §7.7: a ban list that cannot answer must not let a banned chain through, so failures fail
 * closed. A hook names a cause of its own by throwing one of the revocation codes (§13.4-12.5).
 */
async function checkRevocation(isRevoked: RevocationCheck, timeoutMs: number, layers: readonly Layer[], signers: Signers, digests: readonly string[]): Promise<void> {
  const issuer = signers[0]!.identity;
  for (let i = 0; i < layers.length; i++) {
    const s = signers[i];
    const { jti, status } = layers[i]!.claims;
    const query = { index: i, digest: digests[i]!, issuer, ...(jti ? { jti } : {}), ...(s ? { identity: s.identity, keyThumbprint: s.key.kid } : {}), ...(status ? { status } : {}) };
    let revoked: unknown;
    try {
      revoked = await withinTimeout(`revocation hook (layer ${i})`, timeoutMs, () => isRevoked(query));
    } catch (cause) {
      if (cause instanceof NestokenError && REVOCATION_CODES.has(cause.code)) throw new NestokenError(cause.code, cause.message, { layer: i, cause });
      // A hook that does not settle in time fails closed like one that throws; the cause (ERR_HOOK_FAILED) says why.
      throw new NestokenError('ERR_REVOKED', `the revocation check failed for layer ${i}`, { layer: i, cause });
    }
    if (typeof revoked !== 'boolean') fail('ERR_REVOKED', `the revocation check gave no yes-or-no answer for layer ${i} (${typeof revoked}): failing closed`, i);
    if (revoked) fail('ERR_REVOKED', `layer ${i} is revoked`, i);
  }
}

/** §7.8: the last layer must be addressed to this verifier, by key and/or by identity. */
function checkAudience(last: Layer, index: number, audienceKey: string | undefined, audienceIdentity: string | undefined): void {
  if (audienceKey !== undefined && last.claims.cnf?.jkt !== audienceKey) fail('ERR_AUDIENCE_MISMATCH', 'the token was handed to another key', index);
  if (audienceIdentity !== undefined) {
    const aud = last.claims.aud;
    const auds = aud === undefined ? [] : typeof aud === 'string' ? [aud] : aud;
    if (!auds.includes(audienceIdentity)) fail('ERR_AUDIENCE_MISMATCH', `the token is not addressed to ${audienceIdentity}`, index);
  }
}

/**
 * Built member by member in the order a reader sees them: conditional spreads in an object
 * literal take V8's slow path, which a chain would pay once per hop.
 */
function provenHop(layer: Layer, index: number, signer: Signer | undefined, digest: string): ProvenHop {
  const { cnf, ...claims } = layer.claims;
  const hop: { -readonly [K in keyof ProvenHop]: ProvenHop[K] } = { index, identity: signer ? signer.identity : 'anonymous', anonymous: !signer } as ProvenHop;
  if (signer) hop.keyThumbprint = signer.key.kid;
  hop.via = signer ? signer.via : 'anonymous';
  hop.format = layer.format;
  hop.digest = digest;
  hop.claims = claims;
  if (cnf) hop.audienceKey = cnf.jkt;
  return hop;
}

/** Decode, bound, replay, check, apply policy: spec §7, step by step, in the order that fixes which code a token gets. */
export async function verify(input: TokenInput, options: VerifyOptions): Promise<ProvenPath> {
  // Step 0: the options, before the token is looked at.
  const o = resolveVerifyOptions(options);
  const { limits, now, clockSkew } = o;

  // §7.1-7.2 bounds and decoding: all structural failures happen before any crypto. A Token
  // object is bounded by its lengths before any of its bytes are copied (§2.5).
  const wire = typeof input === 'string' || input instanceof Uint8Array ? input : encodeTokenBinary(checkTokenObject(input, limits));
  const { token: carried, form } = decodeToken(wire, limits);
  const token = withDocumentBeside(carried, o.lastLayerDocument, limits);
  const layers = token.layers;

  // §7.2: a statement is typed apart: it never passes as a token, nor a token as a statement.
  const statement = layers.some((l) => l.header.use === 'attestation');
  if (statement !== (o.use === 'attestation')) fail('ERR_HEADER_INVALID', statement ? 'a crate attestation statement is not a token' : 'not an attestation statement');
  const isAggregate = (l: Layer) => LAYER_ALGORITHMS[l.header.alg].mode === 'aggregate';
  const aggregate = isAggregate(layers[0]!);
  const allowed = o.algorithms ?? LAYER_ALGS;
  layers.forEach((l, i) => {
    if (!allowed.includes(l.header.alg)) fail('ERR_ALG_NOT_ALLOWED', `algorithm ${l.header.alg} is not allowed here`, i);
    if (isAggregate(l) !== aggregate) fail('ERR_MODE_MIXED', 'ID-mode and aggregate layers in one chain', i);
  });
  const mode: ChainMode = !aggregate ? 'id' : layers.some((l, i) => i > 0 && l.header.kid !== undefined) ? 'hybrid' : 'anon';
  if (o.modes && !o.modes.includes(mode)) fail('ERR_ALG_NOT_ALLOWED', `${mode} chains are not accepted here`);

  // Each layer's implied prv is the digest of the one before: computed once, when it was decoded.
  const digests = layers.map((l, i) => layers[i + 1]?.header.prv ?? layerDigest(l.bytes));
  const signers = await resolveSigners(token, aggregate, o, { now, clockSkew });
  let sealed = false;
  if (aggregate) sealed = checkAggregate(token, signers, o);
  else await checkIdSignatures(layers, signers, digests);

  // §7.6-7.8 policy.
  const lifetime = effectiveLifetime(layers, now, clockSkew);
  if (o.isRevoked) await checkRevocation(o.isRevoked, o.hookTimeoutMs, layers, signers, digests);
  checkAudience(layers[layers.length - 1]!, layers.length - 1, o.audienceKey, o.audienceIdentity);

  const hops = layers.map((layer, i) => provenHop(layer, i, signers[i], digests[i]!));
  const issuer = hops[0]!.identity;
  const { notBefore, expiresAt } = lifetime;
  const path: ProvenPath = notBefore === undefined ? { mode, form, issuer, hops, expiresAt, sealed } : { mode, form, issuer, hops, notBefore, expiresAt, sealed };
  if (o.pathPolicy !== undefined) checkPathPolicy(path, o.pathPolicy);
  return path;
}
