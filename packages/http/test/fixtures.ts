import { encodeToken, issue, type IssueMode, type TokenInput } from '@nestoken/core';
import type { Crate } from '@nestoken/crate';
import { nestokenHop, type NestokenHop } from '../src/client.js';
import type { RequestHeaders } from '../src/headers.js';
import type { NestokenVerifierOptions } from '../src/verify-request.js';
import { ingressCrate } from '../src/demo/ingress-crate.js';
import { createWorld, ISSUER, type Workload } from '../src/demo/world.js';

export const NOW = 1_800_000_000;
export const world = await createWorld(() => NOW);
export const { gateway, foo, bar } = world.workloads;

/** The issuer's root layer, handed to `to` (ID mode) or open (aggregate modes). */
export async function root(to: Workload = gateway, mode: IssueMode = 'id'): Promise<string> {
  const claims = { iss: ISSUER, sub: 'demo-client', exp: NOW + 120, iat: NOW };
  const token = mode === 'id' ? await issue({ key: world.issuerKey, audienceKey: to.key.publicKey, claims }) : await issue({ mode, key: world.issuerKey, claims });
  return encodeToken(token, 'jwt');
}

export const accessCrate = (): Promise<Crate> => ingressCrate('eyJhbGciOiJFZERTQSJ9.e30.c2ln', gateway, { now: NOW, expiresAt: NOW + 120 });

/** `from` extends `token` for a call to `to` at `POST {path}`. */
export function hop(from: Workload, to: Workload, token: TokenInput, extra: { path?: string; method?: string; crate?: Crate; anonymous?: boolean } = {}): Promise<NestokenHop> {
  return nestokenHop(`http://127.0.0.1:1${extra.path ?? '/orders'}`, extra.method ?? 'POST', {
    token,
    key: from.key,
    audienceKey: to.key.publicKey,
    audience: to.identity,
    identityDocument: from.wit!,
    now: () => NOW,
    ...(extra.crate ? { crate: extra.crate } : {}),
    ...(extra.anonymous !== undefined ? { anonymous: extra.anonymous } : {}),
  });
}

/** A chain issuer -> gateway -> foo, arriving at bar. */
export async function chainToBar(extra: { crate?: Crate; path?: string } = {}): Promise<NestokenHop> {
  const atFoo = await hop(gateway, foo, await root(), extra);
  return hop(foo, bar, atFoo.token, extra);
}

/** The request a server would see for these headers. */
export function requestOf(headers: Readonly<Record<string, string>>, method = 'POST', url = '/orders'): RequestHeaders {
  return { method, url, headersDistinct: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), [v]])) };
}

export const barOptions: NestokenVerifierOptions = {
  trust: world.trust,
  key: bar.key,
  identity: bar.identity,
  modes: ['id', 'anon', 'hybrid'],
  now: () => NOW,
};
