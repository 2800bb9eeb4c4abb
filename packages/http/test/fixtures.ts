import { decodeToken, DEFAULT_LIMITS, encodeToken, issue, layerDigest, type IssueMode, type TokenInput } from '@nestoken/core';
import { CrateBuilder, type Crate } from '@nestoken/crate';
import { NESTOKEN_SCALAR_HEADER, reopenChain } from '../src/aggregate/scalar-transport.js';
import { nestokenHop, type NestokenHop } from '../src/client.js';
import { workloadProof } from '../src/proof/make-proof.js';
import { WORKLOAD_PROOF_TOKEN_HEADER } from '../src/proof/wpt.js';
import type { RequestHeaders } from '../src/headers.js';
import { receivedToken } from '../src/caller-document.js';
import type { NestokenVerifierOptions } from '../src/verify-request.js';
import { createTestWorld, ISSUER, type Workload } from './support/world.js';

export const NOW = 1_800_000_000;
/** Where the library-level tests pretend to send their requests. */
export const ORIGIN = 'http://127.0.0.1:1';
export const world = await createTestWorld(NOW);
export const { gateway, foo, bar, partner } = world.workloads;

/** The issuer's root layer, handed to `to` (ID mode) or open (aggregate modes). */
export async function root(to: Workload = gateway, mode: IssueMode = 'id'): Promise<string> {
  // A jti per chain, so two chains started in the same second are two chains.
  const claims = { iss: ISSUER, sub: 'demo-client', exp: NOW + 120, iat: NOW, jti: crypto.randomUUID() };
  const token = mode === 'id' ? await issue({ key: world.issuerKey, audienceKey: to.key.publicKey, claims }) : await issue({ mode, key: world.issuerKey, claims });
  return encodeToken(token, 'jwt');
}

/** The digest of a token's root layer: what a crate attestation names as its chain. */
export const chainOf = (token: TokenInput): string => layerDigest(decodeToken(token as string, DEFAULT_LIMITS).token.layers[0]!.bytes);

/** A crate holding one access token in bucket `ingress`, attested by `attester` for `chain` when given. */
export async function ingressCrate(accessToken: string, attester: Workload | undefined, window: { now: number; expiresAt: number }, chain?: string): Promise<Crate> {
  const b = new CrateBuilder();
  const token = b.token({ format: 'jwt', bytes: accessToken, meta: { role: 'access_token' } });
  b.bucket({ name: 'ingress', items: [token] });
  if (attester) {
    await b.attest({
      subjects: [token],
      key: attester.key,
      issuer: attester.identity,
      issuedAt: window.now,
      expiresAt: window.expiresAt,
      ...(attester.wit ? { identityDocument: attester.wit } : {}),
      ...(chain ? { chain } : {}),
    });
  }
  return b.build();
}

/** The gateway's crate for the chain that starts with `rootToken`. */
export const accessCrate = (rootToken: string, accessToken = 'eyJhbGciOiJFZERTQSJ9.e30.c2ln'): Promise<Crate> =>
  ingressCrate(accessToken, gateway, { now: NOW, expiresAt: NOW + 120 }, chainOf(rootToken));

export interface HopExtra {
  readonly path?: string;
  readonly method?: string;
  readonly crate?: Crate;
  readonly anonymous?: boolean;
  readonly seal?: boolean;
  /** Where the request goes; default ORIGIN. */
  readonly origin?: string;
}

/** `from` extends `token` for a call to `to` at `POST {path}`. */
export function hop(from: Workload, to: Workload, token: TokenInput, extra: HopExtra = {}): Promise<NestokenHop> {
  return nestokenHop(`${extra.origin ?? ORIGIN}${extra.path ?? '/orders'}`, extra.method ?? 'POST', {
    token,
    key: from.key,
    audienceKey: to.key.publicKey,
    audience: to.identity,
    identityDocument: from.wit!,
    now: () => NOW,
    ...(extra.crate ? { crate: extra.crate } : {}),
    ...(extra.anonymous !== undefined ? { anonymous: extra.anonymous } : {}),
    ...(extra.seal !== undefined ? { seal: extra.seal } : {}),
  });
}

/** The token the receiver of `sent` holds (its `ctx.token`): the sender's WIT, sent once in its header, back in the token (spec §11.1). */
export const held = receivedToken;

/** What `to` extends after receiving `sent`: an aggregate chain is reopened with the scalar encrypted to it. */
export const receivedBy = (sent: NestokenHop, to: Workload): Promise<string> =>
  sent.headers[NESTOKEN_SCALAR_HEADER] === undefined ? Promise.resolve(held(sent)) : reopenChain(held(sent), sent.headers[NESTOKEN_SCALAR_HEADER], to.key);

/** A chain issuer -> gateway -> foo, arriving at bar; with `crate`, the gateway's attested crate travels along. */
export async function chainToBar(extra: { crate?: boolean; path?: string; method?: string; origin?: string } = {}): Promise<NestokenHop & { crate?: Crate; root: string }> {
  const start = await root(gateway);
  const crate = extra.crate ? await accessCrate(start) : undefined;
  const { crate: _, ...where } = extra;
  const atFoo = await hop(gateway, foo, start, { ...(crate ? { crate } : {}), ...where });
  const sent = await hop(foo, bar, held(atFoo), { ...(crate ? { crate } : {}), ...where });
  return { ...sent, root: start, ...(crate ? { crate } : {}) };
}

/** The request a server would see for these headers. */
export function requestOf(headers: Readonly<Record<string, string>>, method = 'POST', url = '/orders'): RequestHeaders {
  return { method, url, origin: ORIGIN, headersDistinct: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), [v]])) };
}

/** bar's verifier; each call gets its own replay cache, so one test's proofs do not count in another. */
export const barOptions = (more: Partial<NestokenVerifierOptions> = {}): NestokenVerifierOptions => ({
  trust: world.trust,
  key: bar.key,
  identity: bar.identity,
  modes: ['id', 'anon', 'hybrid'],
  now: () => NOW,
  ...more,
});

/**
 * What a sender can do with its own key: send whatever headers it likes with a fresh, valid
 * proof over them. The proof then says who sent them, not that the chain vouches for them.
 */
export async function sentBy(from: Workload, headers: Readonly<Record<string, string>>, path = '/orders', origin = ORIGIN): Promise<Record<string, string>> {
  const proof = await workloadProof(`${origin}${path}`, { key: from.key, identityDocument: from.wit!, headers, now: NOW });
  return { ...headers, 'Workload-Identity-Token': from.wit!, [WORKLOAD_PROOF_TOKEN_HEADER]: proof };
}
