import {
  DEFAULT_LIMITS,
  NestokenError,
  decodeToken,
  encodeToken,
  extend,
  type Claims,
  type LayerFormat,
  type PublicKey,
  type SigningKey,
  type Token,
  type TokenInput,
} from '@nestoken/core';
import { toCompact, type Crate } from '@nestoken/crate';
import { clientTarget, hopData } from './binding.js';
import { TXN_TOKEN_HEADER } from '@nestoken/oauth';
import { NESTOKEN_CRATE_HEADER, NESTOKEN_HEADER, WORKLOAD_IDENTITY_TOKEN_HEADER } from './headers.js';

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
  /** This service's identity document: carried in the layer and sent as `Workload-Identity-Token`. */
  readonly identityDocument?: string;
  /** The Txn-Token of this transaction, forwarded unmodified in the `Txn-Token` header. */
  readonly txnToken?: string;
  /** Sent as `Nestoken-Crate`; the new layer names its root CID. */
  readonly crate?: Crate;
  /** Aggregate chains: add an anonymous link although `key` is set. */
  readonly anonymous?: boolean;
  readonly format?: LayerFormat;
  /** Seconds since the epoch, for `iat`; default: the clock. */
  readonly now?: () => number;
  /** Nonce source for aggregate links; default: the platform CSPRNG. */
  readonly random?: (length: number) => Uint8Array;
}

export interface NestokenHop {
  /** The extended token, JWT form. */
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
  const extended = await extend(received, {
    ...common,
    ...signer,
    ...(!aggregate && options.audienceKey !== undefined ? { audienceKey: options.audienceKey } : {}),
  });
  const token = encodeToken(extended, 'jwt');
  const headers: Record<string, string> = { [NESTOKEN_HEADER]: token };
  if (options.crate) headers[NESTOKEN_CRATE_HEADER] = toCompact(options.crate);
  // The draft: outbound calls carry the Txn-Token exactly as it was received.
  if (options.txnToken !== undefined) headers[TXN_TOKEN_HEADER] = options.txnToken;
  if (identified && options.identityDocument !== undefined) headers[WORKLOAD_IDENTITY_TOKEN_HEADER] = options.identityDocument;
  return { token, headers };
}

export interface NestokenFetchOptions extends NestokenHopOptions {
  /** The fetch to call; default: the global one. */
  readonly fetch?: typeof fetch;
}

/** `fetch`, with the token extended for the next hop and sent (and the crate beside it) in headers. */
export async function nestokenFetch(url: string | URL, init: RequestInit | undefined, options: NestokenFetchOptions): Promise<Response> {
  const hop = await nestokenHop(url, init?.method, options);
  const headers = new Headers(init?.headers);
  for (const [name, value] of Object.entries(hop.headers)) headers.set(name, value);
  return (options.fetch ?? fetch)(url, { ...init, headers });
}
