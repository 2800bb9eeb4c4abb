import { encodeToken, issue, type IssueMode, type TokenInput } from '@nestoken/core';
import { CrateBuilder, type Crate } from '@nestoken/crate';
import { nestokenHop, type NestokenHop } from '../src/client.js';
import type { RequestHeaders } from '../src/headers.js';
import type { NestokenVerifierOptions } from '../src/verify-request.js';
import { createTestWorld, ISSUER, type Workload } from './support/world.js';

export const NOW = 1_800_000_000;
export const world = await createTestWorld(NOW);
export const { gateway, foo, bar } = world.workloads;

/** The issuer's root layer, handed to `to` (ID mode) or open (aggregate modes). */
export async function root(to: Workload = gateway, mode: IssueMode = 'id'): Promise<string> {
  const claims = { iss: ISSUER, sub: 'demo-client', exp: NOW + 120, iat: NOW };
  const token = mode === 'id' ? await issue({ key: world.issuerKey, audienceKey: to.key.publicKey, claims }) : await issue({ mode, key: world.issuerKey, claims });
  return encodeToken(token, 'jwt');
}

/** A crate holding one access token in bucket `ingress`, attested by `attester` when given. */
export async function ingressCrate(accessToken: string, attester: Workload | undefined, window: { now: number; expiresAt: number }): Promise<Crate> {
  const b = new CrateBuilder();
  const token = b.token({ format: 'jwt', bytes: accessToken, meta: { role: 'access_token' } });
  b.bucket({ name: 'ingress', items: [token] });
  if (attester) {
    await b.attest({ subjects: [token], key: attester.key, issuer: attester.identity, issuedAt: window.now, expiresAt: window.expiresAt, ...(attester.wit ? { identityDocument: attester.wit } : {}) });
  }
  return b.build();
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
