import { b64u } from '../bytes.js';
import { sha256 } from '../crypto/hash.js';
import { codecs, decodeToken, type Token } from '../encoding/token.js';
import { checkClaims, type Claims, type LayerClaims, type LayerFormat, type LayerHeader } from '../encoding/layer.js';
import { fail } from '../errors.js';
import { thumbprintOf, type PublicKey, type SigningKey } from '../keys.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { signIdLayer } from '../modes/id.js';

export type TokenInput = Token | string | Uint8Array;

interface LayerOptions {
  /** The signer: the issuer for a root layer, the hop for an extension. */
  readonly key: SigningKey;
  /** The key of the workload the token is handed to (issuer -> audience binding). */
  readonly audienceKey: PublicKey | SigningKey | string;
  readonly claims?: Claims;
  /** Encoding of the new layer; default `jwt`. */
  readonly format?: LayerFormat;
  /** Identity document (WIT / JWT-SVID) binding the signer's key to its identity. */
  readonly identityDocument?: string;
}

export type IssueOptions = LayerOptions;
export type ExtendOptions = LayerOptions;

export const layerDigest = (bytes: Uint8Array): string => b64u(sha256(bytes));

export function asToken(input: TokenInput): Token {
  return typeof input === 'string' || input instanceof Uint8Array ? decodeToken(input, DEFAULT_LIMITS).token : input;
}

async function signLayer(options: LayerOptions, prv: string | undefined): Promise<Token['layers'][number]> {
  const header: LayerHeader = {
    alg: 'Ed25519',
    kid: options.key.publicKey.kid,
    ...(prv ? { prv } : {}),
    ...(options.identityDocument ? { wit: options.identityDocument } : {}),
  };
  const claims: LayerClaims = checkClaims({ ...options.claims, cnf: { jkt: thumbprintOf(options.audienceKey) } }, DEFAULT_LIMITS);
  return signIdLayer(codecs[options.format ?? 'jwt'], options.key, header, claims);
}

/** Signs the root layer of an ID-mode chain. */
export async function issue(options: IssueOptions): Promise<Token> {
  return { layers: [await signLayer(options, undefined)] };
}

/**
 * Wraps a received token in one more layer. The signer must be the audience the last layer
 * named: anyone else could not produce a chain that verifies, so we refuse early.
 */
export async function extend(input: TokenInput, options: ExtendOptions): Promise<Token> {
  const token = asToken(input);
  const last = token.layers[token.layers.length - 1];
  if (!last) return fail('ERR_CHAIN_TRUNCATED', 'nothing to extend');
  if (last.header.alg !== 'Ed25519') fail('ERR_MODE_MIXED', 'an aggregate chain is extended with extendAggregate');
  if (last.claims.cnf?.jkt !== options.key.publicKey.kid) {
    fail('ERR_KEY_BINDING', 'the last layer names another key as its audience', token.layers.length - 1);
  }
  return { layers: [...token.layers, await signLayer(options, layerDigest(last.bytes))] };
}
