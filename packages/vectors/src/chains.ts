import { extend, issue, seal, type Claims, type LayerFormat, type Token } from '@nestoken/core';
import { b64u, sha256 } from './bytes.js';
import { HOUR, NOW, type Cast } from './cast.js';
import { aggregateIntermediates, type Intermediate } from './aggregate-math.js';
import type { ExpectedHop, ExpectedPath } from './model.js';
import { cborForm } from './wire/container.js';

/** A token built by the library, with the path the generator predicts for it from how it was built. */
export interface Built {
  readonly token: Token;
  readonly path: ExpectedPath;
  readonly randomness?: readonly string[];
  /** Aggregate chains: the per-layer values of the sequential verification (spec §6.4). */
  readonly intermediates?: readonly Intermediate[];
}

/** What a valid aggregate vector carries besides its token: the nonce inputs and the intermediate values. */
export const aggregateExtras = (b: Built): { randomness: readonly string[]; intermediates: readonly Intermediate[] } => ({ randomness: b.randomness!, intermediates: b.intermediates! });

export const digestOf = (bytes: Uint8Array): string => b64u(sha256(bytes));

export interface IdChainSpec {
  /** Signers in order, then the receiver: `roles.length === formats.length + 1`. */
  readonly roles: readonly string[];
  readonly formats: readonly LayerFormat[];
  /** Distinguishes chains of the same shape (it goes into every jti). */
  readonly tag: string;
  readonly exp?: number;
  readonly rootClaims?: Claims;
  /** Claims of hop i >= 1, merged over the defaults. */
  readonly hopClaims?: (i: number) => Claims;
  /** Identity documents (wit) of the layers that carry one, by layer index. */
  readonly documents?: Readonly<Record<number, string>>;
  /** X.509-SVID chains (x5c, leaf first, DER) of the layers that carry one, by layer index. */
  readonly x509Chains?: Readonly<Record<number, readonly Uint8Array[]>>;
  /** Leave iss out of every layer (for bundles whose identities are not the roles' names). */
  readonly omitIss?: boolean;
  /** The identities the verifier will prove, when they are not the roles' names. */
  readonly identities?: readonly string[];
}

/** An ID-mode chain: layer i signed by roles[i] and handed to roles[i + 1] (spec §5.2). */
export async function idChain(cast: Cast, spec: IdChainSpec): Promise<Built> {
  const { roles, formats, tag } = spec;
  if (roles.length !== formats.length + 1) throw new RangeError('an ID chain names one more role than it has layers');
  const exp = spec.exp ?? NOW + HOUR;
  const iss = (i: number) => (spec.omitIss ? {} : { iss: cast.identity(roles[i]!) });
  const wit = (i: number) => ({
    ...(spec.documents?.[i] === undefined ? {} : { identityDocument: spec.documents[i] }),
    ...(spec.x509Chains?.[i] === undefined ? {} : { x509Chain: spec.x509Chains[i] }),
  });
  let t = await issue({
    key: cast.key(roles[0]!),
    audienceKey: cast.key(roles[1]!).publicKey,
    format: formats[0]!,
    ...wit(0),
    claims: { ...iss(0), sub: 'alice', iat: NOW - 60, exp, jti: `${tag}-0`, ...spec.rootClaims },
  });
  for (let i = 1; i < formats.length; i++) {
    t = await extend(t, {
      key: cast.key(roles[i]!),
      audienceKey: cast.key(roles[i + 1]!).publicKey,
      format: formats[i]!,
      ...wit(i),
      claims: { ...iss(i), iat: NOW - 60 + i, jti: `${tag}-${i}`, data: { hop: i }, ...spec.hopClaims?.(i) },
    });
  }
  const hopsOut: ExpectedHop[] = t.layers.map((l, i) => ({
    index: i,
    identity: spec.identities?.[i] ?? cast.identity(roles[i]!),
    via: spec.documents?.[i] !== undefined ? 'identity-document' : spec.x509Chains?.[i] !== undefined ? 'x509-svid' : 'trust-bundle',
    format: formats[i]!,
    digest: digestOf(l.bytes),
    keyThumbprint: cast.kid(roles[i]!),
    audienceKey: cast.kid(roles[i + 1]!),
  }));
  const expiresAt = Math.min(...t.layers.flatMap((l) => (l.claims.exp === undefined ? [] : [l.claims.exp])));
  const nbfs = t.layers.flatMap((l) => (l.claims.nbf === undefined ? [] : [l.claims.nbf]));
  return {
    token: t,
    path: { mode: 'id', issuer: hopsOut[0]!.identity, sealed: false, expiresAt, ...(nbfs.length ? { notBefore: Math.max(...nbfs) } : {}), hops: hopsOut },
  };
}

export interface AggregateHop {
  readonly format: LayerFormat;
  /** The role of an identified hop; absent for an anonymous one. */
  readonly identified?: string;
  /** An identity document vouching for the identified hop's key, and the identity it proves. */
  readonly document?: { readonly wit: string; readonly identity: string };
}

export interface AggregateSpec {
  readonly root: string;
  readonly rootFormat: LayerFormat;
  readonly hops: readonly AggregateHop[];
  readonly tag: string;
  readonly sealed?: boolean;
  readonly exp?: number;
}

/** An anonymous or hybrid chain (spec §6), nonces from the seeded stream named by the tag. */
export async function aggregateChain(cast: Cast, spec: AggregateSpec): Promise<Built> {
  const random = cast.seeded.random(`chain/${spec.tag}`);
  const exp = spec.exp ?? NOW + HOUR;
  let t = await issue({
    mode: 'anon',
    key: cast.key(spec.root),
    format: spec.rootFormat,
    random,
    claims: { iss: cast.identity(spec.root), sub: 'alice', iat: NOW - 60, exp, jti: `${spec.tag}-0` },
  });
  const path: ExpectedHop[] = [];
  for (const [j, hop] of spec.hops.entries()) {
    const i = j + 1;
    const role = hop.identified;
    const identity = role === undefined ? undefined : (hop.document?.identity ?? cast.identity(role));
    t = await extend(t, {
      ...(role !== undefined ? { key: cast.key(role) } : {}),
      ...(hop.document ? { identityDocument: hop.document.wit } : {}),
      format: hop.format,
      random,
      seal: spec.sealed === true && i === spec.hops.length,
      claims: { jti: `${spec.tag}-${i}`, data: { hop: i }, ...(identity !== undefined ? { iss: identity } : {}) },
    });
    path.push({
      index: i,
      identity: identity ?? 'anonymous',
      via: role === undefined ? 'anonymous' : hop.document ? 'identity-document' : 'trust-bundle',
      format: hop.format,
      digest: '',
      ...(role !== undefined ? { keyThumbprint: cast.kid(role) } : {}),
    });
  }
  if (spec.sealed === true && spec.hops.length === 0) t = seal(t, random);
  const root: ExpectedHop = { index: 0, identity: cast.identity(spec.root), via: 'trust-bundle', format: spec.rootFormat, digest: '', keyThumbprint: cast.kid(spec.root) };
  const hopsOut = [root, ...path].map((h, i) => ({ ...h, digest: digestOf(t.layers[i]!.bytes) }));
  return {
    token: t,
    path: {
      mode: spec.hops.some((h) => h.identified !== undefined) ? 'hybrid' : 'anon',
      issuer: cast.identity(spec.root),
      sealed: spec.sealed === true,
      expiresAt: exp,
      hops: hopsOut,
    },
    randomness: random.drawn,
    intermediates: aggregateIntermediates(cborForm(t), (kid) => cast.seeded.byKid(kid)?.publicKey.bytes),
  };
}
