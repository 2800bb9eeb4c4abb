import {
  DEFAULT_LIMITS,
  NestokenError,
  decodeToken,
  documentDigest,
  encodeToken,
  extend,
  seal,
  type Claims,
  type LayerFormat,
  type PublicKey,
  type SigningKey,
  type Token,
  type TokenInput,
} from '@nestoken/core';
import { toCompact, type Crate } from '@nestoken/crate';
import { encryptScalar, NESTOKEN_SCALAR_HEADER } from './aggregate/scalar-transport.js';
import { clientTarget, hopData } from './binding.js';
import { TXN_TOKEN_HEADER } from '@nestoken/oauth';
import { NESTOKEN_CRATE_HEADER, NESTOKEN_HEADER, WORKLOAD_IDENTITY_TOKEN_HEADER } from './headers.js';
import { workloadProof } from './proof/make-proof.js';
import { WORKLOAD_PROOF_TOKEN_HEADER } from './proof/wpt.js';

/** How a service adds its layer before calling the next hop. */
export interface NestokenHopOptions {
  /** The token this service holds: the one it received (`req.nestoken.token`) or was issued. */
  readonly token: TokenInput;
  /** This service's key: signs ID-mode layers and identified (hybrid) links. */
  readonly key?: SigningKey;
  /** ID mode: the next hop's key, the only one able to extend the token further. Aggregate chains bind by `audience` instead. */
  readonly audienceKey?: PublicKey | SigningKey | string;
  /** The next hop's workload identity, written as `aud`; required for aggregate chains. */
  readonly audience?: string;
  /** Claims of the new layer; `data` must be an object, `aud` comes from `audience`. */
  readonly claims?: Claims;
  /** This service's identity document: named by the layer and sent as `Workload-Identity-Token`, not also in the token (spec §11.1). */
  readonly identityDocument?: string;
  /** The Txn-Token of this transaction, forwarded unmodified in the `Txn-Token` header and bound by the proof (`tth`). */
  readonly txnToken?: string;
  /** Sent as `Nestoken-Crate`; the new layer names its root CID. */
  readonly crate?: Crate;
  /** Aggregate chains: add an anonymous link although `key` is set. */
  readonly anonymous?: boolean;
  readonly format?: LayerFormat;
  /** Seconds since the epoch, for `iat`; default: the clock. */
  readonly now?: () => number;
  /** Nonce source for aggregate links and the proof's `jti`; default: the platform CSPRNG. */
  readonly random?: (length: number) => Uint8Array;
  /**
   * Aggregate chains: whether the next hop may extend the chain. Either way the token on the
   * wire is sealed (an open scalar lets whoever sees it add links, spec §11.9). Default true:
   * nobody can extend. With false, the scalar goes in `Nestoken-Scalar`, encrypted with HPKE
   * to `audienceKey`, which is then required.
   */
  readonly seal?: boolean;
  /** Seconds the Workload Proof Token lives; default 30, at most 60. */
  readonly proofLifetime?: number;
  /** The `Authorization` value sent with the request: the proof binds it (`ath`). */
  readonly authorization?: string;
  /**
   * Digests of identity documents the service called already holds (spec §4.6.3), left out
   * of the token for this call. Only what the service is known to hold: one that lacks a
   * document refuses with `ERR_DOCUMENT_MISSING` naming it, and the call is made again without this option.
   */
  readonly omitDocuments?: readonly string[];
}

/** The headers of an outgoing call: the extended token, the crate, the identity document. */
export interface NestokenHop {
  /** The extended token, JWT form, as sent in `Nestoken`: without this hop's WIT when it travels in `Workload-Identity-Token`. */
  readonly token: string;
  readonly headers: Readonly<Record<string, string>>;
}

const asToken = (input: TokenInput): Token =>
  typeof input === 'string' || input instanceof Uint8Array ? decodeToken(input, DEFAULT_LIMITS).token : input;

/**
 * Extends the token with this service's layer, made for exactly this request (method and path)
 * and naming the next hop, and returns the headers that carry it.
 */
export async function nestokenHop(url: string | URL, method: string | undefined, options: NestokenHopOptions): Promise<NestokenHop> {
  if (!options || typeof options !== 'object') throw new NestokenError('ERR_USAGE', 'nestokenHop needs options');
  if (options.claims?.aud !== undefined) throw new NestokenError('ERR_USAGE', 'the next hop is named by `audience`, not claims.aud');
  const received = asToken(options.token);
  const aggregate = received.layers[received.layers.length - 1]?.header.alg === 'nst-r255';
  if (aggregate && options.audience === undefined) throw new NestokenError('ERR_USAGE', 'an aggregate link names no key: name the next hop by `audience`');
  const identified = !aggregate || (options.key !== undefined && !options.anonymous);
  const crateRoot = options.crate?.root.toString();
  const now = options.now ? options.now() : Math.floor(Date.now() / 1000);
  const claims: Claims = {
    ...options.claims,
    ...(options.audience !== undefined ? { aud: options.audience } : {}),
    iat: options.claims?.iat ?? now,
    data: hopData(options.claims?.data, clientTarget(method, url), crateRoot),
  };
  const common = {
    claims,
    ...(options.format ? { format: options.format } : {}),
    ...(options.random ? { random: options.random } : {}),
  };
  const signer = identified
    ? {
        ...(options.key ? { key: options.key } : {}),
        ...(options.identityDocument !== undefined ? { identityDocument: options.identityDocument } : {}),
      }
    : {};
  const handOn = aggregate && options.seal === false;
  if (handOn && (typeof options.audienceKey !== 'object' || options.audienceKey === null)) {
    throw new NestokenError('ERR_USAGE', 'an aggregate chain the next hop may extend needs its key (audienceKey) to encrypt the scalar to');
  }
  const extended = await extend(received, {
    ...common,
    ...signer,
    ...(!aggregate && options.audienceKey !== undefined ? { audienceKey: options.audienceKey } : {}),
    ...(aggregate && !handOn ? { seal: true } : {}),
  });
  if (options.omitDocuments !== undefined && (!Array.isArray(options.omitDocuments) || !options.omitDocuments.every((d) => typeof d === 'string'))) {
    throw new NestokenError('ERR_USAGE', 'omitDocuments is an array of document digests');
  }
  // The WIT travels once: in Workload-Identity-Token, which the proof needs, not also in the token (spec §11.1).
  const sendsDocument = identified && options.identityDocument !== undefined && options.key !== undefined;
  const omitted = [...(options.omitDocuments ?? []), ...(sendsDocument ? [documentDigest({ wit: options.identityDocument! })] : [])];
  const omit = omitted.length === 0 ? {} : { omitDocuments: omitted };
  const token = encodeToken(handOn ? seal(extended, options.random) : extended, 'jwt', omit);
  const headers: Record<string, string> = { [NESTOKEN_HEADER]: token };
  if (handOn) {
    const to = options.audienceKey as PublicKey | SigningKey;
    headers[NESTOKEN_SCALAR_HEADER] = await encryptScalar(extended, 'publicKey' in to ? to.publicKey : to);
  }
  if (options.crate) headers[NESTOKEN_CRATE_HEADER] = toCompact(options.crate);
  // The draft: outbound calls carry the Txn-Token exactly as it was received.
  if (options.txnToken !== undefined) headers[TXN_TOKEN_HEADER] = options.txnToken;
  if (sendsDocument) {
    headers[WORKLOAD_IDENTITY_TOKEN_HEADER] = options.identityDocument;
    headers[WORKLOAD_PROOF_TOKEN_HEADER] = await workloadProof(url, {
      key: options.key!,
      identityDocument: options.identityDocument!,
      headers,
      now,
      ...(options.authorization !== undefined ? { authorization: options.authorization } : {}),
      ...(options.txnToken !== undefined ? { txnToken: options.txnToken } : {}),
      ...(options.proofLifetime !== undefined ? { lifetime: options.proofLifetime } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
  }
  return { token, headers };
}

/** Options of `nestokenFetch`: the hop options and the fetch to use. */
export interface NestokenFetchOptions extends NestokenHopOptions {
  /** The fetch to call; default: the global one. */
  readonly fetch?: typeof fetch;
}

/** `fetch`, with the token extended for the next hop and sent (and the crate beside it) in headers. */
export async function nestokenFetch(url: string | URL, init: RequestInit | undefined, options: NestokenFetchOptions): Promise<Response> {
  const headers = new Headers(init?.headers);
  const authorization = headers.get('authorization');
  const txnToken = headers.get(TXN_TOKEN_HEADER);
  const hop = await nestokenHop(url, init?.method, {
    ...options,
    ...(authorization !== null ? { authorization } : {}),
    ...(txnToken !== null ? { txnToken } : {}),
  });
  for (const [name, value] of Object.entries(hop.headers)) headers.set(name, value);
  return (options.fetch ?? fetch)(url, { ...init, headers });
}
